//! Import tasks on Argo: an importer (`Dag::importer`) or a value passed as a file (`Dag::file_from`)
//! runs nothing, so it is no task of the DAG. Each artifact argument that reads its output gets the
//! location instead: `s3` (endpoint, bucket, key, the SDK's credentials), `gcs`, `http`, `git`, or
//! `raw` holding the text. A value in a location field is one `{{...}}` reference (a literal holding
//! `{{` is an expression tag of a string literal): it lands in that field and nowhere else.

use std::collections::HashMap;

use kfp_dsl::Pipeline;
use kfp_dsl::model::{ImportSource, Location};

use crate::argo::expr;
use crate::argo::{ArtifactRef, ExternalLocation, Name, S3Key};
use crate::passes::naming::Names;
use crate::plan::{Calls, DagPlan, TaskPlan, ValueRef};

/// The import tasks of one DAG, by task name: the location each gives the arguments reading it.
#[derive(Default)]
pub(super) struct Imports {
    by_task: HashMap<Name, (Option<S3Key>, ExternalLocation)>,
}

impl Imports {
    /// Takes the import tasks out of `tasks` (and out of the others' dependencies), returning where
    /// each artifact is. An import whose artifact leaves the DAG (a loop's collected output, a graph's
    /// return) is an error: Argo has nothing to read it from.
    pub(super) fn take(
        p: &Pipeline,
        names: &Names,
        dag: &DagPlan,
        tasks: &mut Vec<TaskPlan>,
        errors: &mut Vec<String>,
    ) -> Imports {
        let mut imports = Imports::default();
        tasks.retain(|t| {
            let Calls::Variant(v) = t.calls else { return true };
            let Some(spec) = p.component(names.variants[v].component).import_spec() else { return true };
            let value = t.parameters.first().map_or(ValueRef::Literal(String::new()), |(_, v)| v.clone());
            imports.by_task.insert(t.name.clone(), location(&spec.source, &value));
            false
        });
        if imports.by_task.is_empty() {
            return imports;
        }
        for t in tasks.iter_mut() {
            t.after.retain(|n| !imports.by_task.contains_key(n));
        }
        for o in &dag.outputs {
            if let ValueRef::TaskArtifact { task, .. } = &o.value
                && imports.by_task.contains_key(task)
            {
                errors.push(format!(
                    "DAG `{}` returns the artifact of `{task}`, an importer or `file_from`: on Argo it is a \
                     location on the arguments that read it, not an output a DAG can return; call \
                     `importer` / `file_from` where the artifact is used",
                    dag.name
                ));
            }
        }
        imports
    }

    /// The argument `name` reading `v`, when `v` is an import task's artifact.
    pub(super) fn argument(&self, name: &Name, v: &ValueRef) -> Option<ArtifactRef> {
        let ValueRef::TaskArtifact { task, .. } = v else { return None };
        let (s3, external) = self.by_task.get(task)?;
        let mut a = ArtifactRef::named(name.clone());
        a.s3 = s3.clone();
        a.external = external.clone();
        Some(a)
    }
}

/// A literal as a location field: as written, or, if Argo would read a `{{` in it as a tag, an
/// expression tag of a string literal that reads back as written.
fn literal(s: &str) -> String {
    if s.contains("{{") { expr::tag(&expr::str_lit(s)) } else { s.to_owned() }
}

/// A planned value as a location field.
fn field(v: &ValueRef) -> String {
    match v {
        ValueRef::Literal(s) => literal(s),
        v => expr::value(v),
    }
}

fn location(source: &ImportSource, value: &ValueRef) -> (Option<S3Key>, ExternalLocation) {
    match source {
        ImportSource::Uri(Location::S3 { bucket, key }) => {
            (Some(S3Key::aws(literal(bucket), literal(key))), ExternalLocation::default())
        }
        ImportSource::Uri(Location::Gcs { bucket, key }) => {
            (None, ExternalLocation::gcs(literal(bucket), literal(key)))
        }
        ImportSource::Uri(Location::Http { url }) => (None, ExternalLocation::http(literal(url))),
        ImportSource::Uri(Location::Git { repo, revision }) => {
            (None, ExternalLocation::git(literal(repo), revision.as_deref().map(literal)))
        }
        ImportSource::HttpParam => (None, ExternalLocation::http(field(value))),
        ImportSource::Text => (None, ExternalLocation::raw(field(value))),
    }
}
