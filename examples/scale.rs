//! A synthetic pipeline of N tasks, to measure build, compile and emit times.
//!
//!     cargo run --release --example scale -- --tasks 5000 [-o FILE] [--repeat 5] [--split] [--max-size 1MiB]
//!
//! Shape (as in the peers' benchmarks): 10 components; tasks in blocks of 100, each block 10 chains of
//! 10 steps (step k of a chain calls component k and reads the previous step's output); every chain
//! tail of a block feeds every chain head of the next block (the head reads its own chain's tail and
//! runs after the other nine: 100 edges per boundary). Times go to stderr; with `--repeat R` the
//! median of R runs is printed too.

use std::time::{Duration, Instant};

use kfp::prelude::*;

macro_rules! steps {
    ($($name:ident),*) => {$(
        /// One synthetic step: reads a value, writes a value.
        #[container_component(image = "alpine:3.20")]
        fn $name(x: Param<String>, y: OutputParam<String>) -> ContainerSpec {
            ContainerSpec::new(["sh", "-c"]).arg("printf '%s' \"$0\" > \"$1\"").arg(x).arg(y)
        }
    )*};
}
steps!(step0, step1, step2, step3, step4, step5, step6, step7, step8, step9);

type Tail<'a> = kfp::Task<'a, <step9 as kfp::Component>::Outputs>;

fn build(n: usize) -> kfp::Pipeline {
    kfp::Pipeline::build("scale", Some("synthetic benchmark pipeline"), |p| {
        let seed = p.param_with_default::<String>("seed", "s");
        let mut tails: Vec<Tail<'_>> = Vec::new();
        let mut made = 0;
        'blocks: while made < n {
            let mut new_tails = Vec::with_capacity(10);
            for chain in 0..10 {
                if made == n {
                    break 'blocks;
                }
                let head = step0(p, tails.get(chain).map_or(seed, |t| t.y));
                for (other, t) in tails.iter().enumerate() {
                    if other != chain {
                        head.after(t);
                    }
                }
                made += 1;
                let mut last = head.y;
                for k in 1..9 {
                    if made == n {
                        break 'blocks;
                    }
                    last = middle(k, p, last);
                    made += 1;
                }
                if made == n {
                    break 'blocks;
                }
                let tail = step9(p, last);
                made += 1;
                new_tails.push(tail);
            }
            tails = new_tails;
        }
    })
    .expect("the synthetic pipeline is valid")
}

fn middle(k: usize, p: &Dag, x: Param<String>) -> Param<String> {
    match k {
        1 => step1(p, x).y,
        2 => step2(p, x).y,
        3 => step3(p, x).y,
        4 => step4(p, x).y,
        5 => step5(p, x).y,
        6 => step6(p, x).y,
        7 => step7(p, x).y,
        _ => step8(p, x).y,
    }
}

struct Run {
    build: Duration,
    compile: Duration,
    emit: Duration,
    bytes: u64,
    /// With `--split`: the number of objects and the biggest one's size (compact JSON, as stored).
    objects: Option<(usize, usize)>,
}

/// `--split` and `--max-size`.
#[derive(Clone, Copy)]
struct SplitArgs {
    split: bool,
    max_bytes: Option<usize>,
}

/// Counts the bytes written to it and drops them.
struct Counter(u64);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Builds, compiles and emits once: the YAML is streamed to `out` (a file) or counted and discarded.
fn run_once(n: usize, out: Option<&str>, ir: bool, sa: SplitArgs) -> Run {
    if ir {
        return run_once_ir(n, out);
    }
    let t0 = Instant::now();
    let pipeline = build(n);
    let t1 = Instant::now();
    let workflow = kfp_compile(&pipeline);
    let limit = sa.max_bytes.unwrap_or(kfp::argo::split::size::DEFAULT_MAX_BYTES);
    if sa.split {
        let bundle = kfp::argo::split::split(workflow, &kfp::argo::split::SplitOptions::with_max_bytes(limit))
            .unwrap_or_else(|e| fail(&e.to_string()));
        let t2 = Instant::now();
        let bytes = match out {
            Some(path) => {
                let file = std::fs::File::create(path).unwrap_or_else(|e| fail(&format!("cannot write `{path}`: {e}")));
                let mut w = std::io::BufWriter::with_capacity(1 << 16, file);
                bundle.write_yaml(&mut w).unwrap_or_else(|e| fail(&e.to_string()));
                let file = w.into_inner().unwrap_or_else(|e| fail(&format!("cannot write `{path}`: {e}")));
                file.metadata().map(|m| m.len()).unwrap_or(0)
            }
            None => {
                let mut c = Counter(0);
                bundle.write_yaml(&mut c).expect("a counter never fails");
                c.0
            }
        };
        let t3 = Instant::now();
        // The split checked every object against the limit; this measures them again, untimed, for
        // the report.
        let sizes = bundle.sizes();
        let objects = Some((sizes.len(), sizes.iter().copied().max().unwrap_or(0)));
        return Run { build: t1 - t0, compile: t2 - t1, emit: t3 - t2, bytes, objects };
    }
    if sa.max_bytes.is_some() {
        kfp::argo::split::size::check(&workflow, limit).unwrap_or_else(|e| fail(&e.to_string()));
    }
    let t2 = Instant::now();
    let bytes = match out {
        Some(path) => {
            let file = std::fs::File::create(path).unwrap_or_else(|e| fail(&format!("cannot write `{path}`: {e}")));
            let mut w = std::io::BufWriter::with_capacity(1 << 16, file);
            kfp::write_yaml(&workflow, &mut w).unwrap_or_else(|e| fail(&e.to_string()));
            let file = w.into_inner().unwrap_or_else(|e| fail(&format!("cannot write `{path}`: {e}")));
            file.metadata().map(|m| m.len()).unwrap_or(0)
        }
        None => {
            let mut c = Counter(0);
            kfp::write_yaml(&workflow, &mut c).expect("a counter never fails");
            c.0
        }
    };
    let t3 = Instant::now();
    Run { build: t1 - t0, compile: t2 - t1, emit: t3 - t2, bytes, objects: None }
}

/// The same with `--target kfp-v2`: the KFP v2 pipeline IR.
fn run_once_ir(n: usize, out: Option<&str>) -> Run {
    let t0 = Instant::now();
    let pipeline = build(n);
    let t1 = Instant::now();
    let compiled =
        kfp::compile_kfp_v2(&pipeline, &kfp::CompileOptions::default()).unwrap_or_else(|e| fail(&e.to_string()));
    let (spec, platform) = (&compiled.spec, compiled.platform.as_ref());
    let t2 = Instant::now();
    let bytes = match out {
        Some(path) => {
            let file = std::fs::File::create(path).unwrap_or_else(|e| fail(&format!("cannot write `{path}`: {e}")));
            let mut w = std::io::BufWriter::with_capacity(1 << 16, file);
            kfp::kfp_v2::write_yaml(spec, platform, &mut w).unwrap_or_else(|e| fail(&e.to_string()));
            let file = w.into_inner().unwrap_or_else(|e| fail(&format!("cannot write `{path}`: {e}")));
            file.metadata().map(|m| m.len()).unwrap_or(0)
        }
        None => {
            let mut c = Counter(0);
            kfp::kfp_v2::write_yaml(spec, platform, &mut c).expect("a counter never fails");
            c.0
        }
    };
    let t3 = Instant::now();
    Run { build: t1 - t0, compile: t2 - t1, emit: t3 - t2, bytes, objects: None }
}

fn kfp_compile(p: &kfp::Pipeline) -> kfp::argo::Workflow {
    kfp::compile_pipeline(p, &kfp::CompileOptions::default()).expect("the synthetic pipeline compiles")
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Peak resident memory of this process (Linux), in MiB.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut n, mut out, mut repeat, mut ir) = (1000usize, None::<String>, 1usize, false);
    let mut sa = SplitArgs { split: false, max_bytes: None };
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().unwrap_or_else(|| fail(&format!("`{name}` needs a value")));
        match a.as_str() {
            "--tasks" | "-n" => n = value("--tasks").parse().unwrap_or_else(|_| fail("`--tasks` takes a number")),
            "--output" | "-o" => out = Some(value("--output")),
            "--repeat" => repeat = value("--repeat").parse().unwrap_or_else(|_| fail("`--repeat` takes a number")),
            "--target" => {
                ir = match value("--target").as_str() {
                    "argo" => false,
                    "kfp-v2" => true,
                    other => fail(&format!("`--target {other}`: expected `argo` or `kfp-v2`")),
                }
            }
            "--split" => sa.split = true,
            "--max-size" => {
                sa.max_bytes =
                    Some(kfp::argo::split::size::parse_size(&value("--max-size")).unwrap_or_else(|e| fail(&e)))
            }
            "--help" | "-h" => {
                println!(
                    "usage: scale --tasks N [-o FILE] [--repeat R] [--target argo|kfp-v2] [--split] [--max-size BYTES]"
                );
                return;
            }
            other => fail(&format!(
                "unknown argument `{other}`; usage: scale --tasks N [-o FILE] [--repeat R] [--target argo|kfp-v2] [--split] [--max-size BYTES]"
            )),
        }
    }
    if n == 0 || repeat == 0 {
        fail("`--tasks` and `--repeat` must be at least 1");
    }
    let runs: Vec<Run> = (0..repeat).map(|i| run_once(n, out.as_deref().filter(|_| i == 0), ir, sa)).collect();
    for r in &runs {
        eprintln!(
            "tasks={n} build={:.2}ms compile={:.2}ms emit={:.2}ms total={:.2}ms yaml={} bytes",
            ms(r.build),
            ms(r.compile),
            ms(r.emit),
            ms(r.build + r.compile + r.emit),
            r.bytes
        );
        if let Some((count, biggest)) = r.objects {
            eprintln!("objects={count} biggest={biggest} bytes (compact JSON, as stored)");
        }
    }
    if repeat > 1 {
        let med = |f: &dyn Fn(&Run) -> Duration| {
            let mut v: Vec<Duration> = runs.iter().map(f).collect();
            v.sort();
            ms(v[v.len() / 2])
        };
        eprintln!(
            "median of {repeat}: build={:.2}ms compile={:.2}ms emit={:.2}ms total={:.2}ms",
            med(&|r| r.build),
            med(&|r| r.compile),
            med(&|r| r.emit),
            med(&|r| r.build + r.compile + r.emit)
        );
    }
    if let Some(mib) = peak_rss_mib() {
        eprintln!("peak RSS: {mib:.1} MiB");
    }
}

fn fail(msg: &str) -> ! {
    eprintln!("error: {msg}");
    std::process::exit(2);
}
