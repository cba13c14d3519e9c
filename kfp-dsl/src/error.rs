//! Errors found while a pipeline is built, each with the user's source location.

use std::fmt;
use std::panic::Location;

/// A place in the user's source code (`file:line:column`), taken with `#[track_caller]`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SourceLocation(&'static Location<'static>);

impl SourceLocation {
    /// The location of the caller of the `#[track_caller]` function that calls this.
    #[track_caller]
    pub fn caller() -> Self {
        SourceLocation(Location::caller())
    }

    /// Wraps a location.
    pub fn new(loc: &'static Location<'static>) -> Self {
        SourceLocation(loc)
    }

    /// The file.
    pub fn file(&self) -> &'static str {
        self.0.file()
    }

    /// The line (1-based).
    pub fn line(&self) -> u32 {
        self.0.line()
    }
}

impl fmt::Display for SourceLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.0.file(), self.0.line(), self.0.column())
    }
}

impl fmt::Debug for SourceLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A mistake in the pipeline that rustc could not see.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A handle made by another pipeline was wired into this one.
    #[error("{location}: input `{input}` of `{component}` gets a value from another pipeline")]
    ForeignHandle {
        /// The call.
        location: SourceLocation,
        /// The component called.
        component: String,
        /// The input.
        input: String,
    },
    /// `after` named a task of another pipeline.
    #[error("{location}: `after` names a task of another pipeline")]
    ForeignTask {
        /// The `after` call.
        location: SourceLocation,
    },
    /// A component-body placeholder was used as a task argument.
    #[error("{location}: input `{input}` of `{component}` gets a placeholder that only exists inside a component body")]
    PlaceholderArgument {
        /// The call.
        location: SourceLocation,
        /// The component called.
        component: String,
        /// The input.
        input: String,
    },
    /// Two pipeline parameters have the same name.
    #[error("{location}: pipeline parameter `{name}` is declared twice")]
    DuplicateParam {
        /// The second declaration.
        location: SourceLocation,
        /// The name.
        name: String,
    },
    /// A name that Argo cannot carry.
    #[error("{location}: invalid {what} `{name}`: {reason}")]
    InvalidName {
        /// Where the name was given.
        location: SourceLocation,
        /// What is named (`pipeline parameter`, `task name`, ...).
        what: &'static str,
        /// The name.
        name: String,
        /// Why it is invalid.
        reason: String,
    },
    /// `after` named a value no task produces.
    #[error("{location}: `after` names a value no task produces (a pipeline parameter or a literal)")]
    NotUpstream {
        /// The `after` call.
        location: SourceLocation,
    },
    /// `default_if_skipped` on something that is not a task output of this pipeline.
    #[error("{location}: `default_if_skipped` takes a task's output")]
    InvalidDefault {
        /// The call.
        location: SourceLocation,
    },
    /// A call of a component loaded at run time that does not fit its spec.
    #[error("{location}: `{component}`: {}", problems.join("; "))]
    InvalidCall {
        /// The call.
        location: SourceLocation,
        /// The component.
        component: String,
        /// Every problem.
        problems: Vec<String>,
    },
    /// A task setting with a bad value.
    #[error("{location}: {reason}")]
    InvalidSetting {
        /// The setting call.
        location: SourceLocation,
        /// Why.
        reason: String,
    },
    /// A loop that cannot be compiled.
    #[error("{location}: parallel_for: {reason}")]
    InvalidLoop {
        /// The `parallel_for` call.
        location: SourceLocation,
        /// Why.
        reason: String,
    },
    /// A graph component that calls itself outside any condition: it would never end.
    #[error(
        "{location}: `{graph}` calls itself outside a condition, so the recursion would never end; call it inside `p.condition(..)`"
    )]
    UnguardedRecursion {
        /// The recursive call.
        location: SourceLocation,
        /// The graph component.
        graph: String,
    },
    /// Scopes nested too deeply (a Rust helper that recurses without end?).
    #[error(
        "{location}: scopes nest more than {depth} deep; is a helper function recursing without end? (graph components recurse with `#[graph_component]`)"
    )]
    TooDeep {
        /// The scope that went too deep.
        location: SourceLocation,
        /// The limit.
        depth: usize,
    },
    /// A component whose spec is not coherent.
    #[error("{location}: component `{component}`: {}", problems.join("; "))]
    InvalidComponent {
        /// The first call of the component.
        location: SourceLocation,
        /// The component.
        component: String,
        /// Every problem found.
        problems: Vec<String>,
    },
}

/// Every mistake found while building a pipeline (never empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildErrors(pub Vec<BuildError>);

impl fmt::Display for BuildErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for BuildErrors {}
