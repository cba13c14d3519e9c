//! Components from a WorkflowTemplate library (`Dag::from_library`): their tasks reference the
//! library's template (`templateRef`) and the workflow carries no copy of it.

use std::collections::HashMap;

use kfp_dsl::Pipeline;

use crate::CompileOptions;
use crate::argo::{Name, Template, TemplateRef};
use crate::error::CompileError;
use crate::passes::naming::Names;

/// Points every DAG task that runs a library component's template at the library, and drops the
/// copies no one else runs (an exit hook still runs the copy). `opts.inline_libraries` (the local
/// runner) keeps the workflow self-contained.
pub(crate) fn apply(
    p: &Pipeline,
    names: &Names,
    templates: &mut Vec<Template>,
    opts: &CompileOptions,
) -> Result<(), CompileError> {
    if opts.inline_libraries || p.template_libraries().next().is_none() {
        return Ok(());
    }
    let mut refs: HashMap<Name, TemplateRef> = HashMap::new();
    let mut errors = Vec::new();
    for (i, var) in names.variants.iter().enumerate() {
        let Some((lib, at)) = p.template_library(var.component) else { continue };
        let component = &p.component(var.component).name;
        if var.settings.is_some() || var.call.is_some() {
            let why = if var.settings.is_some() {
                "settings that live on its template (resources, env, volumes, retry, caching, a display name, ...)"
            } else {
                "optional inputs left out, which changes its template"
            };
            errors.push(format!(
                "{at}: a task of `{component}` has {why}, and its template comes from library `{}`: set them in \
                 the library's template, or drop `from_library` to carry the template in the workflow",
                lib.name
            ));
            continue;
        }
        let own = names.templates[i].clone();
        let template = lib.template.clone().unwrap_or_else(|| own.to_string());
        refs.insert(own, TemplateRef { name: lib.name.clone(), template, cluster_scope: lib.cluster_scope });
    }
    if !errors.is_empty() {
        return Err(CompileError::Scope { errors });
    }
    for t in templates.iter_mut() {
        let Some(dag) = t.dag.as_mut() else { continue };
        for task in &mut dag.tasks {
            if let Some(r) = refs.get(&task.template) {
                task.template_ref = Some(r.clone());
                task.template = Name::from("");
            }
        }
    }
    let still_run: std::collections::HashSet<Name> = templates
        .iter()
        .filter_map(|t| t.dag.as_ref())
        .flat_map(|d| d.tasks.iter().flat_map(|task| task.hooks.values().map(|h| h.template.clone())))
        .collect();
    templates.retain(|t| !refs.contains_key(t.name.as_str()) || still_run.contains(t.name.as_str()));
    Ok(())
}
