//! The local runner's view of Argo's tags: `{{...}}` substitution and `when` evaluation, done by
//! [`kfp_compiler::argo_template`] exactly as the compiler's expressions mean them on Argo.

use kfp_compiler::argo_template;

/// Replaces every `{{...}}` and `{{=...}}` in `text`, in one pass (a value is never read again).
///
/// # Errors
/// The first tag that cannot be resolved or evaluated.
pub(crate) fn substitute(text: &str, lookup: &mut dyn FnMut(&str) -> Option<String>) -> Result<String, String> {
    argo_template::substitute(text, lookup)
}

/// The variables of the pod a step runs (`pod.name`, `retries`): a DAG task's arguments leave the
/// tags that read them for the step's own pass, as Argo does.
pub(crate) fn pod_variable(x: &str) -> bool {
    matches!(x, "pod.name" | "retries")
}

/// [`substitute`] for a DAG task's arguments: tags reading a [`pod_variable`] are left for the step.
///
/// # Errors
/// The first other tag that cannot be resolved or evaluated.
pub(crate) fn substitute_task_argument(
    text: &str,
    lookup: &mut dyn FnMut(&str) -> Option<String>,
) -> Result<String, String> {
    argo_template::substitute_deferring(text, lookup, &pod_variable)
}

/// The step's own pass over an input's value: only the tags reading a [`pod_variable`] are filled in
/// (every other tag in a value stays text, as the value is data).
///
/// # Errors
/// A tag reading a pod variable that does not evaluate.
pub(crate) fn substitute_pod_variables(
    value: &str,
    pod: &mut dyn FnMut(&str) -> Option<String>,
) -> Result<String, String> {
    argo_template::substitute_deferring(value, pod, &|x| !pod_variable(x))
}

/// Whether a task's `when` holds: its tags are evaluated with the task's values as variables, and
/// the result must be `true` or `false`, as Argo requires.
///
/// # Errors
/// A tag that cannot be evaluated, or a result that is not a boolean.
pub(crate) fn eval_when(when: &str, lookup: &mut dyn FnMut(&str) -> Option<String>) -> Result<bool, String> {
    let text = substitute(when, lookup)?;
    match text.trim() {
        "true" => Ok(true),
        "false" => Ok(false),
        other => Err(format!("`{when}` is `{other}`, not `true` or `false`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holds(when: &str, vars: &[(&str, &str)]) -> Result<bool, String> {
        eval_when(when, &mut |n| vars.iter().find(|(k, _)| *k == n).map(|(_, v)| (*v).to_owned()))
    }

    #[test]
    fn a_value_cannot_change_a_condition() {
        let m = "{{=inputs.parameters.m == 'a'}}";
        assert_eq!(holds(m, &[("inputs.parameters.m", "a")]), Ok(true));
        assert_eq!(holds(m, &[("inputs.parameters.m", "a' == 'a' || 'b")]), Ok(false));
        assert_eq!(holds(m, &[("inputs.parameters.m", "x\"")]), Ok(false));
        assert_eq!(holds(m, &[("inputs.parameters.m", "{{=true}}")]), Ok(false));
    }

    #[test]
    fn a_non_boolean_result_is_an_error() {
        assert!(holds("{{='yes'}}", &[]).unwrap_err().contains("not `true` or `false`"));
        assert!(holds("{{=x == 'a'}}", &[]).unwrap_err().contains("unknown variable `x`"));
    }
}
