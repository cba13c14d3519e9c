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
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(i) = rest.find("{{") {
        out.push_str(&rest[..i]);
        let Some(j) = rest[i..].find("}}") else {
            out.push_str(&rest[i..]);
            return Ok(out);
        };
        let (whole, tag) = (&rest[i..i + j + 2], &rest[i + 2..i + j]);
        // Only a tag that reads a pod variable is the task's, left for this pass; any other (also
        // an expression that reads no variable, `{{=true}}`) came with a value and stays text.
        let (mut reads_pod, mut reads_other) = (false, false);
        let filled = match tag.strip_prefix('=') {
            Some(e) => {
                let value = argo_template::eval(e, &mut |x| {
                    if pod_variable(x) {
                        reads_pod = true;
                        pod(x)
                    } else {
                        reads_other = true;
                        None
                    }
                });
                match value {
                    Ok(v) if reads_pod => Some(v.to_string()),
                    Err(err) if reads_pod && !reads_other => return Err(err),
                    _ => None,
                }
            }
            None if pod_variable(tag.trim()) => pod(tag.trim()),
            None => None,
        };
        out.push_str(filled.as_deref().unwrap_or(whole));
        rest = &rest[i + j + 2..];
    }
    out.push_str(rest);
    Ok(out)
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
    fn the_pod_pass_fills_in_pod_variables_only_and_leaves_a_value_s_tags_as_text() {
        let mut pod = |x: &str| (x == "pod.name").then(|| "p-1".to_owned());
        let pass = |v: &str, pod: &mut dyn FnMut(&str) -> Option<String>| substitute_pod_variables(v, pod);
        assert_eq!(pass("{{=pod.name}} {{pod.name}}", &mut pod), Ok("p-1 p-1".into()));
        for data in ["{{=true}}", "{{=toJson('x')}}", "{{workflow.name}}", "{{=inputs.parameters.x}}", "{{=(}}", "{{"] {
            assert_eq!(pass(data, &mut pod).as_deref(), Ok(data), "{data}");
        }
        assert!(pass("{{=asInt(pod.name)}}", &mut pod).is_err());
    }

    #[test]
    fn a_non_boolean_result_is_an_error() {
        assert!(holds("{{='yes'}}", &[]).unwrap_err().contains("not `true` or `false`"));
        assert!(holds("{{=x == 'a'}}", &[]).unwrap_err().contains("unknown variable `x`"));
    }
}
