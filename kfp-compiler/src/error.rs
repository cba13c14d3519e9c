//! Compile errors: each names what is wrong and where the user wrote it.

use kfp_dsl::{BuildErrors, SourceLocation};

/// Why a pipeline did not compile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CompileError {
    /// Mistakes found while the pipeline was built.
    #[error("{0}")]
    Build(#[from] BuildErrors),
    /// Tasks that depend on each other in a circle.
    #[error("{}", cycles.join("\n"))]
    Cycle {
        /// One line per cycle.
        cycles: Vec<String>,
    },
    /// Two tasks given the same name (after sanitising).
    #[error("{second}: task name `{given}` clashes with `{first_given}` at {first} (both become `{name}`)")]
    NameClash {
        /// The sanitised name.
        name: String,
        /// The name as given the first time.
        first_given: String,
        /// Where.
        first: SourceLocation,
        /// The name as given the second time.
        given: String,
        /// Where.
        second: SourceLocation,
    },
    /// Values or dependencies that cross a loop, condition, exit handler or graph component the way
    /// Argo cannot run.
    #[error("{}", errors.join("\n"))]
    Scope {
        /// One line per problem, each with its source location.
        errors: Vec<String>,
    },
    /// Rust function components with no image to run in.
    #[error(
        "no image for the Rust function component(s) {}: set `image = \"...\"` on the component or on `#[pipeline]`",
        list(components)
    )]
    NoImage {
        /// The components.
        components: Vec<String>,
    },
    /// A call whose `if` / `isPresent` cannot be resolved.
    #[error("{location}: `{component}`: {reason}")]
    Call {
        /// The call.
        location: SourceLocation,
        /// The component.
        component: String,
        /// Why.
        reason: String,
    },
    /// A merge patch (`argo_patch`, `ir_patch`, ...) left a document the target would refuse.
    #[error("{location}: `{call}` {reason}")]
    Patch {
        /// The call that added the patch.
        location: kfp_dsl::SourceLocation,
        /// `argo_patch`, `argo_template_patch`, ...
        call: &'static str,
        /// What the patched document got wrong, and how to fix it.
        reason: String,
    },
    /// A compile option Kubernetes would refuse (the service account of `--service-account`).
    #[error("{option}: {reason}")]
    InvalidOption {
        /// Which option.
        option: &'static str,
        /// What is wrong, and how to fix it.
        reason: String,
    },
    /// Constructs the target cannot express, one line each with the user's line.
    #[error("{} construct{} cannot be compiled to {target}:\n{}", problems.len(), if problems.len() == 1 { "" } else { "s" }, problems.join("\n"))]
    Unsupported {
        /// The target (`the KFP v2 IR`).
        target: &'static str,
        /// One line per construct.
        problems: Vec<String>,
    },
    /// A pipeline without tasks.
    #[error("pipeline `{name}` has no tasks")]
    Empty {
        /// The pipeline.
        name: String,
    },
    /// A name that sanitises to nothing.
    #[error("{what} `{name}` has no letter or digit to make a workflow name from")]
    InvalidName {
        /// What is named.
        what: &'static str,
        /// The name.
        name: String,
    },
    /// A value given for a parameter the pipeline does not have.
    #[error("unknown parameter `{name}`; pipeline `{pipeline}` has {}", list(known))]
    UnknownParam {
        /// The name given.
        name: String,
        /// The pipeline.
        pipeline: String,
        /// Its parameters.
        known: Vec<String>,
    },
    /// A value that does not parse as the parameter's type.
    #[error("parameter `{name}` is {type_name}: `{value}` is not valid: {reason}")]
    InvalidParamValue {
        /// The parameter.
        name: String,
        /// Its kfp type.
        type_name: &'static str,
        /// The value given.
        value: String,
        /// Why.
        reason: String,
    },
    /// A workflow over the size limit (the size, the limit, the biggest contributors, the fixes).
    #[error("{message}")]
    TooLarge {
        /// The whole message.
        message: String,
    },
    /// A root task of the entry DAG that alone does not fit in one child workflow of a split.
    #[error(
        "task `{task}`{} needs {bytes} bytes with the templates it runs and the status Argo adds for it, more than one child workflow may hold (--max-size {limit}): split the scope it runs (a loop, condition or graph component) into smaller ones, or raise `--max-size`",
        if with.is_empty() { String::new() } else { format!(" (kept in one part with {}: they depend on its failure, status or artifacts)", list(with)) }
    )]
    SplitTask {
        /// The task.
        task: String,
        /// The tasks that must share its part.
        with: Vec<String>,
        /// Its size.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// The serializer failed.
    #[error("cannot serialize the workflow: {0}")]
    Emit(String),
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        "no parameters".to_owned()
    } else {
        names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
    }
}
