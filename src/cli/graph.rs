//! `graph`: draws the pipeline (tasks, dependencies with the values passed, loops, conditions, exit
//! handlers and graph components as nested boxes) as a standalone SVG, Mermaid or Graphviz DOT.

use std::io::Write;
use std::path::PathBuf;

use clap::ValueEnum;
use kfp_dsl::PipelineDef;

use super::CliError;
use super::write::write_atomically;

/// `graph`'s arguments.
#[derive(clap::Args, Debug)]
pub(super) struct GraphArgs {
    /// What to write: an SVG picture (laid out here, no Graphviz needed), Mermaid flowchart text (for
    /// Markdown), or Graphviz DOT text (`dot -Tpng`).
    #[arg(long, value_enum, default_value_t = GraphFormat::Svg)]
    format: GraphFormat,
    /// Write to FILE instead of stdout (written whole or not at all, as `compile -o`).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// `--format`.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum GraphFormat {
    Svg,
    Mermaid,
    Dot,
}

/// Builds the pipeline and writes its picture.
pub(super) fn run(pipeline: PipelineDef, a: &GraphArgs, stdout: &mut dyn Write) -> Result<(), CliError> {
    let built = pipeline.build().map_err(|e| CliError::Compile(e.into()))?;
    let text = match a.format {
        GraphFormat::Svg => kfp_compiler::graph::to_svg(&built),
        GraphFormat::Mermaid => kfp_compiler::graph::to_mermaid(&built),
        GraphFormat::Dot => kfp_compiler::graph::to_dot(&built),
    }
    .map_err(CliError::Compile)?;
    match &a.output {
        Some(path) => write_atomically(path, text.as_bytes()),
        None => stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush())
            .map_err(|source| CliError::Write { path: PathBuf::from("<stdout>"), source }),
    }
}
