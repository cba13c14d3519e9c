//! Components shared through a WorkflowTemplate library: `tokenize` and `count` run from the
//! cluster's `text-components-v1` template (Argo `templateRef`), `report` is carried in the workflow.
//! The same binary writes the library:
//!
//!     cargo run --example template_library -- compile --kind workflow-template \
//!         --name text-components-v1 --inline-libraries      # the library (apply it once)
//!     cargo run --example template_library -- compile        # the workflow that references it
//!     cargo run --example template_library -- run            # locally: the code's definitions

use kfp::TemplateLibrary;
use kfp::prelude::*;

/// Splits a text into one word per line.
#[container_component(image = "alpine:3.20")]
fn tokenize(text: Param<String>, words: Output<Dataset>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c"])
        .arg(r#"mkdir -p "$(dirname "$1")" && printf '%s\n' "$0" | tr -s ' ' '\n' > "$1""#)
        .arg(text)
        .arg(words)
}

/// Counts the lines of a file.
#[container_component(image = "alpine:3.20")]
fn count(words: Input<Dataset>, total: OutputParam<i64>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c"])
        .arg(r#"mkdir -p "$(dirname "$1")" && wc -l < "$0" | tr -d ' ' > "$1""#)
        .arg(words)
        .arg(total)
}

/// Prints the count.
#[container_component(image = "alpine:3.20")]
fn report(total: Param<i64>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c", r#"echo "words: $0""#]).arg(total)
}

#[pipeline(name = "word-count")]
fn word_count(p: &Dag, #[default("the quick brown fox")] text: Param<String>) -> Param<i64> {
    let library = TemplateLibrary::workflow_template("text-components-v1");
    p.from_library::<tokenize>(library.clone());
    p.from_library::<count>(library);
    let words = tokenize(p, text);
    let total = count(p, words.words);
    report(p, total.total);
    total.total
}

fn main() {
    kfp::main(word_count);
}
