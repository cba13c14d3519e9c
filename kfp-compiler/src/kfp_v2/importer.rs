//! Importers in the KFP v2 IR: kfp's `system-importer` shape, a component with one `uri` parameter
//! input and one `artifact` output whose executor is an `importer` (`artifactUri` a constant for a
//! URI written in the pipeline, `runtimeParameter: uri` for a pipeline value), and what the IR cannot
//! say: a value passed as a file (kfp has no raw artifact and refuses a constant for an artifact
//! input), and an http(s) or git URI (KFP's launcher downloads imported artifacts from `gs://`,
//! `s3://` and `minio://` only).

use kfp_dsl::model::{ComponentSpec as Spec, ImportSource, ImportSpec, Location};

use super::lower::component_ir;
use super::unsupported::LeaveOut;
use super::{ComponentSpec, Executor, ImporterSpec};

/// The IR component and executor of an import component (a URI importer; a value passed as a file
/// was refused by [`unsupported`]).
pub(crate) fn importer(spec: &Spec, import: &ImportSpec, label: &str) -> (ComponentSpec, Executor) {
    let component = component_ir(spec, label);
    let kind = spec.outputs.first().map_or("Artifact", |o| o.kind.type_name());
    let schema = super::lower::artifact_type_of(kind);
    let executor = match &import.source {
        ImportSource::Uri(l) => ImporterSpec::from_uri(l.uri(), schema),
        ImportSource::HttpParam | ImportSource::Text => ImporterSpec::from_input(import.source.input_name(), schema),
    };
    (component, executor.into())
}

/// What the IR cannot say about an import call named `name`: one entry, or none.
pub(crate) fn unsupported(import: &ImportSpec, push: &mut impl FnMut(String, &'static str, LeaveOut)) {
    match &import.source {
        ImportSource::Text => push(
            "`file_from` (a value passed to a step as a file)".to_owned(),
            "the IR has no raw artifact, and kfp 2.17 refuses a constant or a parameter for an artifact input: \
             take the value as a `Param<String>` input, or write it to an `Output<K>` in a small component \
             step, or compile for Argo",
            LeaveOut::Never,
        ),
        ImportSource::Uri(l @ (Location::Http { .. } | Location::Git { .. })) => push(
            format!("importer of `{}`", l.uri()),
            "KFP's launcher downloads an imported artifact from gs://, s3:// or minio:// only: copy the object \
             to a bucket and import that URI, or compile for Argo",
            LeaveOut::Never,
        ),
        ImportSource::Uri(Location::S3 { .. } | Location::Gcs { .. }) | ImportSource::HttpParam => {}
    }
}
