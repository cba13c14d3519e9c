//! `lint [FILE...]`: checks Argo workflows and KFP v2 pipeline specs the way the servers that run them
//! would; without FILE, the pipeline's own output as `compile` writes it with the same options.

use std::io::Write;
use std::path::PathBuf;

use kfp_dsl::PipelineDef;

use super::{CliError, CompileArgs, compile_text};

#[derive(clap::Args, Debug)]
pub(super) struct LintArgs {
    /// The files to check: YAML (one or several documents) or JSON, Argo objects or a KFP v2 pipeline
    /// spec. Without any, the pipeline's own output is checked, compiled with the options below
    /// (`--argo-version` also chooses the schema FILEs are checked with).
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
    /// `compile`'s options: which output to check without FILE (`-o` is refused).
    #[command(flatten, next_help_heading = "Compile options (which output to check without FILE)")]
    compile: CompileArgs,
}

/// Prints one line per problem (`FILE: PATH: message [rule]`) or `FILE: ok`; fails if any file has a
/// problem or cannot be read.
pub(super) fn run(pipeline: PipelineDef, args: LintArgs, stdout: &mut dyn Write) -> Result<(), CliError> {
    let write = |source| CliError::Write { path: PathBuf::from("<stdout>"), source };
    if args.compile.output.is_some() {
        return Err(CliError::Lint("`lint` writes no file: drop `--output`".to_owned()));
    }
    let version = args.compile.argo_version.unwrap_or_default();
    let mut results = Vec::new();
    if args.files.is_empty() {
        let mut compile = args.compile;
        compile.quiet = true;
        let text = compile_text(pipeline, &compile)?;
        let label =
            format!("<{} compiled>", if matches!(compile.target, super::Target::KfpV2) { "kfp-v2" } else { "argo" });
        results.push((label, kfp_compiler::lint::lint_str_for(&text, version)));
    } else {
        for file in &args.files {
            results.push((file.display().to_string(), kfp_compiler::lint::lint_file_for(file, version)));
        }
    }
    let (mut unreadable, mut failed, mut count) = (Vec::new(), 0, 0);
    for (label, result) in &results {
        match result {
            Err(e) => unreadable.push(format!("{label}: {e}")),
            Ok(problems) if problems.is_empty() => writeln!(stdout, "{label}: ok").map_err(write)?,
            Ok(problems) => {
                failed += 1;
                count += problems.len();
                for p in problems {
                    writeln!(stdout, "{label}: {p}").map_err(write)?;
                }
            }
        }
    }
    stdout.flush().map_err(write)?;
    if !unreadable.is_empty() {
        return Err(CliError::Lint(unreadable.join("; ")));
    }
    if failed > 0 {
        let s = |n: usize| if n == 1 { "" } else { "s" };
        return Err(CliError::Lint(format!(
            "{count} problem{} in {failed} of {} file{}",
            s(count),
            results.len(),
            s(results.len())
        )));
    }
    Ok(())
}

/// What `compile` does in a debug build (as `cargo run` and the tests make) before it writes: lints
/// its own output, and refuses output its server would refuse, writing nothing.
pub(super) fn own_output(text: &str, version: Option<kfp_compiler::argo::ArgoVersion>) -> Result<(), CliError> {
    let problems = kfp_compiler::lint::lint_str_for(text, version.unwrap_or_default())
        .map_err(|e| CliError::Lint(format!("the compiled output does not read back ({e}); nothing was written")))?;
    if problems.is_empty() {
        return Ok(());
    }
    let shown: Vec<String> = problems.iter().take(3).map(ToString::to_string).collect();
    let more = if problems.len() > 3 { format!(" (and {} more)", problems.len() - 3) } else { String::new() };
    Err(CliError::Lint(format!(
        "the compiled output breaks {} lint rule(s), so its server would refuse it; nothing was written: {}{more}. \
         A merge patch (`argo_patch`, ...) can cause this: fix it; otherwise it is a kfp-rs bug (please report it). \
         `compile --no-lint` writes it anyway",
        problems.len(),
        shown.join("; ")
    )))
}
