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
