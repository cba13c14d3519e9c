//! The SVG `graph` draws, rendered by headless Chromium: the screenshot is a picture of the right size
//! (not a blank page), the rendered page has many non-white pixels, and its DOM names every task in a
//! box that holds its text, no two boxes overlapping.
//!
//! Needs Chromium (`apt-get install chromium`): ignored by a plain `cargo test`, run by `.ci/run` with
//! `--ignored`, where a missing Chromium fails the test. `KFP_CHROMIUM` names another binary.

#[path = "graph_support/mod.rs"]
mod graph_support;
mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use graph_support::{parse_xml, workflow_tasks};
use support::*;

/// Loops, conditions, an exit handler and a recursive graph component between them.
const DRAWN: &[&str] = &["linear", "condition", "exit_handler", "recursion", "parallel_for", "parallel_for_outputs"];

/// `$KFP_CHROMIUM`, else `/usr/bin/chromium`, else `chromium` on the `PATH`.
fn chromium() -> PathBuf {
    let on_path = || {
        let dirs = std::env::var_os("PATH").map(|p| std::env::split_paths(&p).collect::<Vec<_>>()).unwrap_or_default();
        dirs.into_iter().map(|d| d.join("chromium")).find(|p| p.is_file())
    };
    let found = match std::env::var_os("KFP_CHROMIUM") {
        Some(path) => Some(PathBuf::from(path)).filter(|p| p.is_file()),
        None => Some(PathBuf::from("/usr/bin/chromium")).filter(|p| p.is_file()).or_else(on_path),
    };
    found.expect("this test renders SVG in headless Chromium: install chromium (apt-get install chromium)")
}

/// Runs Chromium headless with `args`, failing the test after a minute.
fn headless(args: &[&str]) -> Output {
    let mut child = Command::new(chromium())
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    let start = Instant::now();
    while child.try_wait().expect("wait for chromium").is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().ok();
            panic!("chromium {args:?} did not finish in 60s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().expect("chromium output")
}

fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// A screenshot of `svg` at its own size: the PNG's bytes.
fn screenshot(dir: &Path, name: &str, svg: &str, (w, h): (u32, u32)) -> Vec<u8> {
    let (src, png) = (dir.join(format!("{name}.svg")), dir.join(format!("{name}.png")));
    std::fs::write(&src, svg).unwrap();
    let shot = format!("--screenshot={}", png.display());
    let size = format!("--window-size={w},{h}");
    let out = headless(&[&shot, &size, &file_url(&src)]);
    assert!(png.exists(), "no screenshot of {name}: {}", String::from_utf8_lossy(&out.stderr));
    std::fs::read(&png).unwrap()
}

/// The width and height a PNG's header gives.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert!(png.len() > 24 && png.starts_with(b"\x89PNG\r\n\x1a\n") && &png[12..16] == b"IHDR", "not a PNG");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&png[16..20]), be(&png[20..24]))
}

/// The page that embeds the SVG inline and reports, in `<pre id="report">`, each task's box and
/// text width as laid out, then how many pixels of the SVG drawn on a canvas are not white.
fn report_page(svg: &str) -> String {
    let inline = svg.split_once("?>").map_or(svg, |(_, rest)| rest);
    format!(
        r#"<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0">{inline}
<pre id="report"></pre><script>
const report = document.getElementById('report');
const svg = document.querySelector('svg');
const lines = [];
for (const g of svg.querySelectorAll('g.task')) {{
  const r = g.querySelector('rect').getBoundingClientRect();
  const name = g.querySelector('text.name');
  lines.push(['TASK', name.textContent, r.x, r.y, r.width, r.height, name.getComputedTextLength()].join('\t'));
}}
report.textContent = lines.join('\n') + '\nPIXELS pending';
const img = new Image();
img.onload = () => {{
  const c = document.createElement('canvas');
  c.width = img.width; c.height = img.height;
  const x = c.getContext('2d');
  x.fillStyle = '#fff'; x.fillRect(0, 0, c.width, c.height); x.drawImage(img, 0, 0);
  const d = x.getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240) n++;
  report.textContent = lines.join('\n') + '\nPIXELS ' + n + ' ' + c.width + ' ' + c.height;
}};
img.onerror = () => {{ report.textContent = lines.join('\n') + '\nPIXELS error'; }};
img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(new XMLSerializer().serializeToString(svg));
</script></body></html>"#
    )
}

/// The report the page wrote, from the DOM Chromium dumps.
fn dumped_report(dir: &Path, name: &str, svg: &str) -> String {
    let page = dir.join(format!("{name}.html"));
    std::fs::write(&page, report_page(svg)).unwrap();
    let out = headless(&["--virtual-time-budget=10000", "--dump-dom", &file_url(&page)]);
    let dom = String::from_utf8_lossy(&out.stdout);
    let start = dom.find("<pre id=\"report\">").unwrap_or_else(|| panic!("{name}: no report in the DOM:\n{dom}"));
    let body = &dom[start + "<pre id=\"report\">".len()..];
    let body = &body[..body.find("</pre>").expect("the report ends")];
    body.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&")
}

struct Drawn {
    name: String,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    text: f64,
}

#[test]
#[ignore = "needs chromium (apt-get install chromium); run by .ci/run"]
fn chromium_renders_the_svg_of_examples_with_loops_conditions_exit_handlers_and_graphs() {
    chromium();
    let dir = temp_dir("graph-browser");
    for example in DRAWN {
        let tasks = workflow_tasks(&compile_example(example, &[]));
        let out = run_example(example, &["graph", "--format", "svg"]);
        assert!(out.status.success(), "{example}: {}", String::from_utf8_lossy(&out.stderr));
        let svg = String::from_utf8(out.stdout).unwrap();
        let root = &parse_xml(&svg).unwrap()[0];
        let dim = |a: &str| root.attr(a).and_then(|v| v.parse::<u32>().ok()).expect("width and height");
        let size = (dim("width"), dim("height"));

        // The screenshot: a PNG of the window's size, far bigger than a blank page of that size.
        let png = screenshot(&dir, example, &svg, size);
        assert_eq!(png_size(&png), size, "{example}");
        let blank_svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\"><rect width=\"{0}\" \
             height=\"{1}\" fill=\"#fff\"/></svg>",
            size.0, size.1
        );
        let blank = screenshot(&dir, &format!("{example}-blank"), &blank_svg, size);
        assert!(
            png.len() > 5 * blank.len(),
            "{example}: the screenshot ({} bytes) looks blank ({} bytes)",
            png.len(),
            blank.len()
        );

        // The DOM: every task in a box that holds its name; boxes apart; a picture that is not white.
        let report = dumped_report(&dir, example, &svg);
        let drawn: Vec<Drawn> = report
            .lines()
            .filter_map(|l| l.strip_prefix("TASK\t"))
            .map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                let n = |i: usize| f[i].parse::<f64>().unwrap_or_else(|_| panic!("{example}: {l}"));
                Drawn { name: f[0].to_owned(), x: n(1), y: n(2), w: n(3), h: n(4), text: n(5) }
            })
            .collect();
        for task in &tasks {
            let d = drawn.iter().find(|d| d.name == *task);
            let d = d.unwrap_or_else(|| panic!("{example}: task `{task}` is not in the rendered DOM:\n{report}"));
            assert!(d.w > 0.0 && d.h > 0.0 && d.text > 0.0, "{example}: `{task}` is not drawn: {report}");
            assert!(d.text <= d.w, "{example}: the name `{task}` ({}px) overflows its box ({}px)", d.text, d.w);
        }
        for (i, a) in drawn.iter().enumerate() {
            for b in &drawn[i + 1..] {
                let apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
                assert!(apart, "{example}: the boxes of `{}` and `{}` overlap", a.name, b.name);
            }
        }
        let pixels = report.lines().find_map(|l| l.strip_prefix("PIXELS ")).expect("the pixel count");
        let f: Vec<u64> =
            pixels.split(' ').map(|v| v.parse().unwrap_or_else(|_| panic!("{example}: PIXELS {pixels}"))).collect();
        assert_eq!((f[1], f[2]), (u64::from(size.0), u64::from(size.1)), "{example}");
        let area = f[1] * f[2];
        eprintln!(
            "{example}: {} tasks drawn, {} of {area} pixels, png {} vs blank {}",
            drawn.len(),
            f[0],
            png.len(),
            blank.len()
        );
        assert!(f[0] * 100 > area, "{example}: only {} of {area} pixels are not white", f[0]);
    }
    std::fs::remove_dir_all(&dir).ok();
}
