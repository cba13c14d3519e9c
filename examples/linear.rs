//! Three steps in a line: the Rust version of kfp v1's `a_linear.py`
//! (`../shared/reference/kfp-v1/a_linear.py`). Pipeline parameters flow into the first two steps, the
//! first step's output into the second (inside a larger string), the second's into the third.
//!
//!     cargo run --example linear -- compile -o linear.yaml

use kfp::prelude::*;

/// Downloads a page and keeps its first 64 bytes.
#[container_component(image = "alpine:3.18", name = "fetch")]
fn fetch(
    /// The page to fetch.
    url: Param<String>,
    /// The first 64 bytes of the page.
    raw: OutputParam<String>,
) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c"])
        .arg("mkdir -p \"$(dirname \"$1\")\" && wget -qO- -- \"$0\" | head -c 64 > \"$1\"")
        .arg(url)
        .arg(raw)
}

/// Counts the words of at least `min_len` characters.
#[container_component(image = "alpine:3.18", name = "count-words")]
fn count_words(
    /// The text to scan.
    text: Param<String>,
    /// The shortest word that counts.
    min_len: Param<u32>,
    /// How many words.
    count: OutputParam<u32>,
) -> ContainerSpec {
    // Values reach the script as positional arguments ("$0", "$1", ...), never inside its text: a page
    // holding `$(...)` stays text.
    ContainerSpec::new(["sh", "-c"])
        .arg(
            "mkdir -p \"$(dirname \"$2\")\" && printf '%s\\n' \"$0\" | tr ' ' '\\n' \
             | awk -v min=\"$1\" 'length >= min + 0' | wc -l > \"$2\"",
        )
        .args([Arg::from(text), min_len.into(), count.into()])
}

/// Prints the count with a label.
#[container_component(image = "alpine:3.18", name = "report")]
fn report(count: Param<u32>, label: Param<String>) -> ContainerSpec {
    ContainerSpec::new(["echo"]).args([Arg::from("label="), label.into(), "count=".into(), count.into()])
}

/// fetch -> count -> report
#[pipeline(name = "Linear three step", description = "fetch -> count -> report")]
fn linear(
    p: &Dag,
    #[default("https://example.com")] url: Param<String>,
    #[default(3)] min_len: Param<u32>,
    #[default("demo")] label: Param<String>,
) {
    let fetched = fetch(p, url);
    let counted = count_words(p, fetched.raw, min_len);
    report(p, counted.count, label);
}

fn main() {
    kfp::main(linear);
}
