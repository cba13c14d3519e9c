//! Every `{{...}}` expression and container path the compiler writes is built here, from typed
//! references.

/// `{{inputs.parameters.NAME}}`
pub(crate) fn input_param(name: &str) -> String {
    format!("{{{{inputs.parameters.{name}}}}}")
}

/// `{{tasks.TASK.outputs.parameters.NAME}}`
pub(crate) fn task_output_param(task: &str, name: &str) -> String {
    format!("{{{{tasks.{task}.outputs.parameters.{name}}}}}")
}

/// `{{tasks.TASK.outputs.artifacts.NAME}}`
pub(crate) fn task_output_artifact(task: &str, name: &str) -> String {
    format!("{{{{tasks.{task}.outputs.artifacts.{name}}}}}")
}

pub(crate) use kfp_dsl::paths::{input_path, output_path};

#[cfg(test)]
mod tests {
    #[test]
    fn expressions_have_argo_syntax() {
        assert_eq!(super::input_param("url"), "{{inputs.parameters.url}}");
        assert_eq!(super::task_output_param("fetch", "raw"), "{{tasks.fetch.outputs.parameters.raw}}");
        assert_eq!(super::task_output_artifact("a", "m"), "{{tasks.a.outputs.artifacts.m}}");
    }
}
