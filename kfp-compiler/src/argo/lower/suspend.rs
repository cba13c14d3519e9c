//! Approvals and pauses as Argo `suspend` templates: no `duration` waits until the workflow is
//! resumed (`argo resume`, the UI's Resume); a pause resumes by itself after its `duration`.

use kfp_dsl::SuspendSpec;

use crate::argo::{SuspendTemplate, Template};

/// The suspend template named `name`.
pub(super) fn template(s: &SuspendSpec, name: &str) -> Template {
    Template { name: name.to_owned(), suspend: Some(SuspendTemplate { duration: s.duration() }), ..Template::default() }
}
