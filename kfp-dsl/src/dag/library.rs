//! Components taken from a WorkflowTemplate library (`Dag::from_library`).

use crate::dag::{Component, Dag};
use crate::error::{BuildError, SourceLocation};
use crate::model::TemplateLibrary;

impl Dag {
    /// Runs every task of component `C` from `library`'s template (Argo `templateRef`) instead of a
    /// copy of the template in the workflow: `p.from_library::<train>(TemplateLibrary::workflow_template("ml-components-v3"))`.
    /// The code still types the calls; the library's template must take the same inputs and give the
    /// same outputs (make it with `compile --kind workflow-template` of a pipeline calling `C`).
    /// A task of `C` cannot have settings that live on its template (resources, env, volumes, ...).
    /// The local runner and the KFP v2 IR use the code's definition.
    #[track_caller]
    pub fn from_library<C: Component>(&self, library: TemplateLibrary) {
        let location = SourceLocation::caller();
        let component = self.component_id::<C>(location);
        let mut b = self.inner.borrow_mut();
        if let Err(reason) = library.check() {
            b.errors.push(BuildError::InvalidSetting { location, reason: format!("from_library: {reason}") });
            return;
        }
        if b.libraries.iter().any(|(c, _, _)| *c == component) {
            let name = b.components[component.index()].name.clone();
            b.errors.push(BuildError::InvalidSetting {
                location,
                reason: format!("from_library: `{name}` already comes from a library; give one library per component"),
            });
            return;
        }
        b.libraries.push((component, library, location));
    }
}
