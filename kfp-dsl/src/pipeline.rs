//! `PipelineDef`: a pipeline definition as `#[pipeline]` makes it, and building one.

use crate::dag::Dag;
use crate::error::BuildErrors;
use crate::model::Pipeline;

impl Pipeline {
    /// Builds a pipeline by running `body` on a fresh [`Dag`] (the programmatic form of
    /// `#[pipeline]`).
    ///
    /// # Errors
    /// Every mistake the body made that rustc could not see (see [`BuildError`](crate::BuildError)).
    pub fn build(
        name: impl Into<String>,
        description: Option<&str>,
        body: impl FnOnce(&Dag),
    ) -> Result<Pipeline, BuildErrors> {
        let dag = Dag::new(name.into(), description.map(str::to_owned));
        body(&dag);
        dag.finish()
    }
}

/// A pipeline definition made by `#[pipeline]`: what `kfp::main` and the compiler take.
#[derive(Clone, Copy)]
pub struct PipelineDef {
    name: &'static str,
    description: Option<&'static str>,
    body: fn(&Dag),
}

impl PipelineDef {
    /// Used by `#[pipeline]`.
    #[doc(hidden)]
    pub const fn __new(name: &'static str, description: Option<&'static str>, body: fn(&Dag)) -> Self {
        PipelineDef { name, description, body }
    }

    /// The pipeline's name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Runs the pipeline function and returns the finished graph.
    ///
    /// # Errors
    /// Every mistake found that rustc could not see.
    pub fn build(&self) -> Result<Pipeline, BuildErrors> {
        Pipeline::build(self.name, self.description, self.body)
    }
}

impl std::fmt::Debug for PipelineDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PipelineDef").field("name", &self.name).finish_non_exhaustive()
    }
}
