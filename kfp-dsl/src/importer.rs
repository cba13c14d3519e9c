//! Artifacts from outside the pipeline, typed: [`Dag::importer`] makes an external object (`s3://`,
//! `gs://`, `http(s)://`, a git repository) an `Artifact<K>`, and [`Dag::file_from`] makes a literal
//! or a `Param<String>` a file. Both give an `Artifact<K>` that feeds `Input<K>` like any task output.
//!
//! The method is `importer`, not `import` (a Rust keyword): it is the name of kfp's `dsl.importer`,
//! which a reader coming from kfp looks for, and of the KFP v2 IR's `importer` executor.

use crate::artifact::{AnyArtifact, ArtifactKind, ConcreteKind};
use crate::dag::Dag;
use crate::error::{BuildError, SourceLocation};
use crate::handles::{Artifact, Param};
use crate::model::{ArgValue, ArtifactSrc, ComponentSpec, Implementation, ImportSource, ImportSpec, Location};
use crate::wire::IntoArg;

/// Names of the inputs of [`Dag::importer`] and [`Dag::file_from`], for rustc's messages when a
/// value of another type is given.
#[doc(hidden)]
#[allow(non_camel_case_types)]
pub mod importer_inputs {
    /// The URI of [`Dag::importer`](crate::Dag::importer).
    pub struct uri;
    /// The content of [`Dag::file_from`](crate::Dag::file_from).
    pub struct text;
}

/// The kinds of one artifact: what `importer` and `file_from` make (every kind but a list).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is a list of artifacts: `importer` and `file_from` bring in one artifact",
    note = "a list (`Artifact<Vec<K>>`) comes only from a loop that collects its iterations' artifacts: import each artifact, and collect them in a loop if a step needs a list"
)]
pub trait OneArtifact: ArtifactKind {}
impl<K: ConcreteKind> OneArtifact for K {}
impl OneArtifact for AnyArtifact {}

impl Dag {
    /// Brings an external object in as an `Artifact<K>` (kfp's `dsl.importer`).
    ///
    /// `uri` is a string literal (`s3://BUCKET/KEY`, `gs://BUCKET/KEY`, `https://HOST/PATH`,
    /// `git+https://HOST/REPO.git[@REVISION]`), checked when the pipeline is built, or a
    /// `Param<String>` holding an `http(s)` URL (Argo needs the scheme when compiling; the local
    /// runner also takes a local path). On Argo the consuming task's artifact gets that location; the
    /// KFP v2 IR has an `importer` task.
    ///
    /// ```
    /// # use kfp_dsl::{Dag, Dataset, Param};
    /// # fn f(p: &Dag) {
    /// let vocab = p.importer::<Dataset>("gs://example-bucket/vocab/v1.txt");
    /// let url: Param<String> = p.param("data_url");
    /// let data = p.importer::<Dataset>(url);
    /// # let _ = (vocab, data);
    /// # }
    /// ```
    ///
    /// A URI with no scheme, another scheme, an empty bucket, key or host is a build error naming
    /// this line.
    #[track_caller]
    pub fn importer<K: OneArtifact>(&self, uri: impl IntoArg<Param<String>, importer_inputs::uri>) -> Artifact<K> {
        let location = SourceLocation::caller();
        let arg = uri.__into_arg();
        let source = match &arg {
            ArgValue::Const(text) => match Location::parse(text) {
                Ok(l) => ImportSource::Uri(l),
                Err(reason) => {
                    self.push_error(BuildError::InvalidCall {
                        location,
                        component: "importer".to_owned(),
                        problems: vec![reason],
                    });
                    ImportSource::HttpParam
                }
            },
            _ => ImportSource::HttpParam,
        };
        self.import_call::<K>(source, "importer", arg, location)
    }

    /// Passes a literal or a `Param<String>` to a step as a file: the `Artifact<K>` holds the text
    /// (kfp v1's `InputArgumentPath`).
    ///
    /// ```
    /// # use kfp_dsl::{Dag, Dataset, Param};
    /// # fn f(p: &Dag) {
    /// let config: Param<String> = p.param("config");
    /// let file = p.file_from::<Dataset>(config);
    /// let fixed = p.file_from::<Dataset>("a,b\n1,2\n");
    /// # let _ = (file, fixed);
    /// # }
    /// ```
    ///
    /// On Argo the consuming task's artifact is a raw artifact holding the text; the KFP v2 IR has no
    /// such artifact (kfp 2.17 refuses a constant for an artifact input), and refuses it.
    #[track_caller]
    pub fn file_from<K: OneArtifact>(&self, text: impl IntoArg<Param<String>, importer_inputs::text>) -> Artifact<K> {
        self.import_call::<K>(ImportSource::Text, "text-file", text.__into_arg(), SourceLocation::caller())
    }

    fn import_call<K: ArtifactKind>(
        &self,
        source: ImportSource,
        name: &str,
        arg: ArgValue,
        location: SourceLocation,
    ) -> Artifact<K> {
        let input = source.input_name();
        let mut spec =
            ComponentSpec::new(name, None).input_param::<String>(input, None).output_artifact::<K>("artifact", None);
        spec.implementation = Implementation::Import(ImportSpec { source });
        let component = self.dynamic_component(&spec, location);
        let task = self.add_component_call(component, location, vec![arg]);
        Artifact::from_src(ArtifactSrc { dag: self.id(), task, port: 0 })
    }
}
