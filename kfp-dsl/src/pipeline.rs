//! `PipelineDef`: a pipeline definition as `#[pipeline]` makes it, and building one.

use crate::dag::Dag;
use crate::error::BuildErrors;
use crate::model::Pipeline;

impl Pipeline {
    /// Builds a pipeline by running `body` on a fresh [`Dag`] (the programmatic form of
    /// `#[pipeline]`). What `body` returns (`()`, a `Param<T>`, an `Artifact<K>` or a tuple of them)
    /// becomes the run's outputs.
    ///
    /// # Errors
    /// Every mistake the body made that rustc could not see (see [`BuildError`](crate::BuildError)).
    #[track_caller]
    pub fn build<R: crate::GraphReturn>(
        name: impl Into<String>,
        description: Option<&str>,
        body: impl FnOnce(&Dag) -> R,
    ) -> Result<Pipeline, BuildErrors> {
        let dag = Dag::new(name.into(), description.map(str::to_owned));
        let returned = body(&dag);
        dag.__returns(&returned);
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

    /// The pipeline's description (the doc comment of its function).
    pub fn description(&self) -> Option<&'static str> {
        self.description
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
        // The body records its own returns (`Dag::__returns`).
        let dag = Dag::new(self.name.to_owned(), self.description.map(str::to_owned));
        (self.body)(&dag);
        dag.finish()
    }
}

impl std::fmt::Debug for PipelineDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PipelineDef").field("name", &self.name).finish_non_exhaustive()
    }
}
