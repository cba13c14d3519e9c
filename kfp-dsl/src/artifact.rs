//! Artifact kinds: markers that type the files and directories passed between steps.

/// A kind of artifact (`Dataset`, `Model`, ...). Users add kinds with `#[derive(ArtifactKind)]` on a
/// unit struct. The trait is sealed: use the derive.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an artifact kind",
    note = "artifact kinds are `Dataset`, `Model`, `Metrics`, `ClassificationMetrics`, `Html`, `Markdown`, `AnyArtifact`, or a unit struct with `#[derive(ArtifactKind)]`"
)]
pub trait ArtifactKind: crate::__private::KindSealed + 'static {
    /// The kfp type name written in component specs (`Dataset`, `Model`, ...).
    const KFP_TYPE: &'static str;

    /// The output's name in the workflow when the Kubeflow UI needs a fixed one
    /// (`mlpipeline-metrics`, `mlpipeline-ui-metadata`), whatever the Rust argument is called.
    const FIXED_NAME: Option<&'static str> = None;

    /// Whether this is a list of artifacts (`Vec<K>`): what a loop collects from the artifacts its
    /// iterations produce (kfp's `Input[List[Dataset]]`).
    const LIST: bool = false;
}

/// A list of artifacts of kind `K`, one per iteration of the loop that collected them: a component
/// takes it as `Input<Vec<K>>` (kfp's `Input[List[K]]`), a loop gives it as `Artifact<Vec<K>>` when its
/// body returns an `Artifact<K>`. A list is not a [`ConcreteKind`]: it never passes where one artifact
/// is expected, nor one artifact where a list is.
impl<K: ConcreteKind> crate::__private::KindSealed for Vec<K> {}
impl<K: ConcreteKind> ArtifactKind for Vec<K> {
    const KFP_TYPE: &'static str = K::KFP_TYPE;
    const LIST: bool = true;
}

/// Every kind except [`AnyArtifact`]: the kinds an `Input<AnyArtifact>` accepts.
#[doc(hidden)]
pub trait ConcreteKind: ArtifactKind {}

macro_rules! kinds {
    ($($(#[$doc:meta])* $name:ident = $kfp:literal;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $name;
        impl crate::__private::KindSealed for $name {}
        impl ArtifactKind for $name {
            const KFP_TYPE: &'static str = $kfp;
        }
        impl ConcreteKind for $name {}
    )*};
}

kinds! {
    /// A dataset: a file or directory of data.
    Dataset = "Dataset";
    /// A trained model.
    Model = "Model";
    /// Scalar metrics.
    Metrics = "Metrics";
    /// Classification metrics (confusion matrix, ROC curve).
    ClassificationMetrics = "ClassificationMetrics";
    /// An HTML page.
    Html = "HTML";
    /// A Markdown document.
    Markdown = "Markdown";
}

/// An artifact of any kind. An `Input<AnyArtifact>` accepts every artifact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AnyArtifact;
impl crate::__private::KindSealed for AnyArtifact {}
impl ArtifactKind for AnyArtifact {
    const KFP_TYPE: &'static str = "Artifact";
}

/// The numbers the Kubeflow Pipelines UI shows in its run list and comparisons: an output of this kind
/// is written as the `mlpipeline-metrics` artifact. Write it with [`crate::metrics::MetricsFile`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KfpMetrics;
impl crate::__private::KindSealed for KfpMetrics {}
impl ArtifactKind for KfpMetrics {
    const KFP_TYPE: &'static str = "Metrics";
    const FIXED_NAME: Option<&'static str> = Some("mlpipeline-metrics");
}
impl ConcreteKind for KfpMetrics {}

/// The visualizations the Kubeflow Pipelines UI shows for a step (markdown, tables, confusion
/// matrices, ROC curves, TensorBoard, web apps): an output of this kind is written as the
/// `mlpipeline-ui-metadata` artifact. Write it with [`crate::metrics::UiMetadata`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KfpUiMetadata;
impl crate::__private::KindSealed for KfpUiMetadata {}
impl ArtifactKind for KfpUiMetadata {
    const KFP_TYPE: &'static str = "UI_metadata";
    const FIXED_NAME: Option<&'static str> = Some("mlpipeline-ui-metadata");
}
impl ConcreteKind for KfpUiMetadata {}
