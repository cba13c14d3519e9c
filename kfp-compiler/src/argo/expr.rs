//! Every `{{...}}` expression and container path the compiler writes is built here, from typed
//! references: the plan's [`ValueRef`]s and [`Condition`]s, template inputs and task outputs by name.
//! Values reach Argo's expression tags (`{{=...}}`) as variables, never as text spliced
//! into the expression, so no value can change a condition or the JSON and YAML built around it.

use kfp_dsl::{CmpOp, GlobalValue, RetryIf};

use crate::argo::template::NUMBER_PATTERN;
use crate::plan::{Condition, Operand, OperandKind, ValueRef};

/// A planned value as Argo reads it in the template of the DAG it was planned for: text around
/// `{{...}}` references.
pub(crate) fn value(v: &ValueRef) -> String {
    match v {
        ValueRef::Literal(s) => s.clone(),
        ValueRef::Input(n) => input_param(n),
        ValueRef::InputArtifact(n) => format!("{{{{inputs.artifacts.{n}}}}}"),
        ValueRef::PipelineParam(n) => workflow_param(n),
        ValueRef::TaskOutput { task, port }
        | ValueRef::LoopOutput { group: task, port }
        | ValueRef::ConditionOutput { group: task, port } => task_output_param(task, port),
        ValueRef::TaskArtifact { task, port } => format!("{{{{tasks.{task}.outputs.artifacts.{port}}}}}"),
        // Argo has no expression for a loop's collected artifacts: they are read by key (`fan_in`).
        ValueRef::LoopArtifacts { .. } => String::new(),
        ValueRef::TaskStatus(task) => format!("{{{{tasks.{task}.status}}}}"),
        ValueRef::RunStatus => "{{workflow.status}}".to_owned(),
        ValueRef::Item(None) => "{{item}}".to_owned(),
        ValueRef::Item(Some(field)) => format!("{{{{item.{field}}}}}"),
        ValueRef::Global(g) => global(*g).to_owned(),
        ValueRef::Concat(parts) => parts.iter().map(value).collect(),
    }
}

/// [`value`], moving a literal instead of copying it.
pub(crate) fn into_value(v: ValueRef) -> String {
    match v {
        ValueRef::Literal(s) => s,
        v => value(&v),
    }
}

/// A value of the run, as a pod template reads it. A DAG task's arguments spell the reading task's
/// own values differently (`lower::run_values`).
fn global(g: GlobalValue) -> &'static str {
    match g {
        GlobalValue::RunId => "{{workflow.uid}}",
        GlobalValue::WorkflowName | GlobalValue::JobResourceName => "{{workflow.name}}",
        GlobalValue::Namespace => "{{workflow.namespace}}",
        GlobalValue::CreateTime => "{{workflow.creationTimestamp}}",
        GlobalValue::ScheduleTime => "{{workflow.scheduledTime}}",
        GlobalValue::TaskName => "{{tasks.name}}",
        GlobalValue::TaskId => "{{pod.name}}",
        GlobalValue::RetryCount => "{{retries}}",
    }
}

/// `{{workflow.parameters.NAME}}`: a pipeline parameter read from the workflow, where the template
/// has no input for it (the workflow's `onExit`, settings given as parameters).
pub(crate) fn workflow_param(name: &str) -> String {
    format!("{{{{workflow.parameters.{name}}}}}")
}

/// A pipeline parameter as a JSON string inside JSON text (`podSpecPatch`): `{{=...}}` of
/// [`json_value`].
pub(crate) fn workflow_param_json(name: &str) -> String {
    tag(&json_value(&var(&format!("workflow.parameters.{name}")), "String"))
}

/// A template input as a JSON literal of its kfp type inside YAML or JSON text (a resource manifest):
/// `{{=...}}` of [`json_value`].
pub(crate) fn input_json(name: &str, kfp_type: &str) -> String {
    tag(&json_value(&var(&format!("inputs.parameters.{name}")), kfp_type))
}

/// A condition as Argo's `when`: one expression tag that reads every value as a variable, so no
/// value can change the condition. Strings (and booleans) compare as strings; numbers compare as
/// numbers when both sides are numbers, and a value that is not one compares like NaN (false,
/// except `!=`) instead of failing the step.
///
/// # Errors
/// A value that cannot be read as a variable (see [`text_expr`]).
pub(crate) fn when(c: &Condition) -> Result<String, String> {
    Ok(tag(&condition(c)?))
}

fn condition(c: &Condition) -> Result<String, String> {
    Ok(match c {
        Condition::Compare { lhs, op, rhs, kind: OperandKind::Text } => {
            format!("{} {} {}", operand(lhs)?, op.symbol(), operand(rhs)?)
        }
        Condition::Compare { lhs, op, rhs, kind: OperandKind::Number } => {
            let mut guards = Vec::new();
            let mut number = |side: &Operand| -> Result<String, String> {
                let text = operand(side)?;
                Ok(match side {
                    Operand::Value(_) => {
                        guards.push(is_number(&text));
                        format!("asFloat({text})")
                    }
                    Operand::Text(_) | Operand::Number(_) => text,
                })
            };
            let (l, r) = (number(lhs)?, number(rhs)?);
            guards.push(match op {
                CmpOp::Ne => format!("{l} == {r}"),
                CmpOp::Eq | CmpOp::Gt | CmpOp::Ge | CmpOp::Lt | CmpOp::Le => format!("{l} {} {r}", op.symbol()),
            });
            let all = guards.join(" && ");
            if *op == CmpOp::Ne { format!("!({all})") } else { format!("({all})") }
        }
        Condition::And(a, b) => format!("({}) && ({})", condition(a)?, condition(b)?),
        Condition::Or(a, b) => format!("({}) || ({})", condition(a)?, condition(b)?),
        Condition::Not(a) => format!("!({})", condition(a)?),
    })
}

/// One side of a comparison as an expression: a value as a variable (or a sum of text and
/// variables), a string literal quoted, a number literal as a number.
fn operand(o: &Operand) -> Result<String, String> {
    match o {
        Operand::Value(v) => text_expr(&value(v)),
        Operand::Text(l) => Ok(str_lit(l)),
        Operand::Number(x) => Ok(format!("{x:?}")),
    }
}

/// `{{inputs.parameters.NAME}}`
pub(crate) fn input_param(name: &str) -> String {
    format!("{{{{inputs.parameters.{name}}}}}")
}

/// `{{tasks.TASK.outputs.parameters.NAME}}`
pub(crate) fn task_output_param(task: &str, name: &str) -> String {
    format!("{{{{tasks.{task}.outputs.parameters.{name}}}}}")
}

pub(crate) use kfp_dsl::paths::{input_path, output_path};

/// A retry condition as Argo's `retryStrategy.expression` (a bare expression over `lastRetry`, not
/// a tag): exit codes are integers from the typed condition, never values of the run.
pub(crate) fn retry_if(c: &RetryIf) -> String {
    match c {
        RetryIf::ExitCodeIn(codes) => {
            let each: Vec<String> = codes.iter().map(|c| format!("asInt(lastRetry.exitCode) == {c}")).collect();
            if each.len() == 1 { each.join("") } else { format!("({})", each.join(" || ")) }
        }
        RetryIf::Errored => "lastRetry.status == 'Error'".to_owned(),
        RetryIf::And(a, b) => format!("({} && {})", retry_if(a), retry_if(b)),
        RetryIf::Or(a, b) => format!("({} || {})", retry_if(a), retry_if(b)),
        RetryIf::Not(a) => format!("!({})", retry_if(a)),
    }
}

/// `{{=EXPR}}`: an expression tag.
pub(crate) fn tag(expr: &str) -> String {
    format!("{{{{={expr}}}}}")
}

/// A variable path (`tasks.flip-2.outputs.parameters.out`) as an expression: names that are not
/// identifiers are indexed (`tasks['flip-2'].outputs.parameters.out`).
pub(crate) fn var(path: &str) -> String {
    let mut out = String::new();
    for (i, seg) in path.split('.').enumerate() {
        let ident = !seg.is_empty()
            && seg.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !seg.starts_with(|c: char| c.is_ascii_digit());
        if i == 0 {
            out.push_str(seg);
        } else if ident {
            out.push('.');
            out.push_str(seg);
        } else {
            out.push_str("['");
            out.push_str(seg);
            out.push_str("']");
        }
    }
    out
}

/// A string literal that reads back as `s` through Argo's JSON round trip and template scanner:
/// quotes, backslashes, braces (so no `}}` ends the tag early and no `{{` starts one), `<`, `>`, `&`
/// (which Go's JSON encoder rewrites) and control characters are escapes.
pub(crate) fn str_lit(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | ' ' | '-' | '_' | '.' | ',' | ':' | ';' | '/' | '@' | '#' | '%' => {
                out.push(c)
            }
            '*' | '(' | ')' | '+' | '=' | '~' | '|' | '!' | '?' | '$' | '^' | '[' | ']' => out.push(c),
            // `\x` rather than `\u` for ASCII: Argo turns the text `\u003c` (Go's JSON escape of `<`)
            // back into `<` before it reads the expression, which would break a `\u003c` escape.
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// A resolved value (text around `{{...}}` references, as `resolve` returns it) as a string
/// expression: `'run ' + workflow.uid`.
///
/// # Errors
/// A reference that is not closed, or an expression tag inside (neither is written by the compiler).
pub(crate) fn text_expr(text: &str) -> Result<String, String> {
    let mut parts: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("{{") {
        if i > 0 {
            parts.push(str_lit(&rest[..i]));
        }
        let Some(j) = rest[i..].find("}}") else { return Err(format!("an unclosed reference in `{text}`")) };
        let path = rest[i + 2..i + j].trim();
        if path.starts_with('=') || path.is_empty() {
            return Err(format!("`{text}` cannot be read as a value"));
        }
        parts.push(var(path));
        rest = &rest[i + j + 2..];
    }
    if !rest.is_empty() || parts.is_empty() {
        parts.push(str_lit(rest));
    }
    Ok(parts.join(" + "))
}

/// `X matches '<number pattern>'`: whether a string expression holds a number.
pub(crate) fn is_number(x: &str) -> String {
    format!("{x} matches {}", str_lit_raw(NUMBER_PATTERN))
}

/// The pattern needs no escapes; kept verbatim so the runner and `describe` recognise it.
fn str_lit_raw(s: &str) -> String {
    format!("'{s}'")
}

/// A value as a JSON literal of its type, for JSON and YAML text built around it (`podSpecPatch`,
/// resource manifests): strings as JSON strings whose `{` are escaped (so Argo's later passes find no
/// tag in them), integers and floats as numbers (a value that is not one fails the step), booleans as
/// `true` exactly when the value is `true`.
pub(crate) fn json_value(x: &str, kfp_type: &str) -> String {
    match kfp_type {
        "Integer" => format!("toJson(asInt({x}))"),
        "Float" => format!("toJson(asFloat({x}))"),
        "Boolean" | "Bool" => format!("toJson({x} == 'true')"),
        _ => format!("sprig.replace('{{', '\\\\u007b', toJson({x}))"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::argo::template::{Value, eval};

    /// What Argo does to a tag's text before reading it: the template is JSON-encoded by Go (which
    /// writes `<`, `>`, `&` as `\u003c`, `\u003e`, `\u0026`), `jsonutil.Fix` turns those three back,
    /// and the result is JSON-decoded.
    fn through_argo(expr: &str) -> String {
        let encoded = serde_json::to_string(expr).unwrap();
        let go = encoded.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026");
        let fixed = go.replace("\\u003c", "<").replace("\\u003e", ">").replace("\\u0026", "&");
        serde_json::from_str(&fixed).expect("Argo could read the expression back")
    }

    #[test]
    fn expressions_have_argo_syntax() {
        assert_eq!(super::input_param("url"), "{{inputs.parameters.url}}");
        assert_eq!(super::task_output_param("fetch", "raw"), "{{tasks.fetch.outputs.parameters.raw}}");
        let artifact = ValueRef::TaskArtifact { task: "a".into(), port: "m".into() };
        assert_eq!(value(&artifact), "{{tasks.a.outputs.artifacts.m}}");
        assert_eq!(var("tasks.flip-2.outputs.parameters.out_1"), "tasks['flip-2'].outputs.parameters.out_1");
        assert_eq!(text_expr("run {{workflow.uid}}!").unwrap(), "'run ' + workflow.uid + '!'");
    }

    #[test]
    fn hostile_literals_read_back_as_written() {
        for s in [
            "a' || 'b",
            "x\\",
            "}}",
            "{{inputs.parameters.x}}",
            "line\nbreak\t",
            "<&>",
            "é ü 日本",
            "\u{2028}",
            "\\u003c",
            "",
        ] {
            let lit = str_lit(s);
            assert!(!lit.contains("}}") && !lit.contains("{{") && !lit.contains('\n'), "{lit}");
            assert_eq!(eval(&through_argo(&lit), &mut |_| None), Ok(Value::Str(s.to_owned())), "{lit}");
        }
    }

    #[test]
    fn values_become_json_of_their_type() {
        let hostile = "1Gi\"}},\"securityContext\":{\"privileged\":true}, {{x}} \\ \n";
        let mut vars = |n: &str| (n == "v").then(|| hostile.to_owned());
        let Value::Str(json) = eval(&json_value("v", "String"), &mut vars).unwrap() else { panic!() };
        assert!(!json.contains("{{"), "{json}");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&json).unwrap(), serde_json::json!(hostile));
        let mut n = |_: &str| Some("12".to_owned());
        assert_eq!(eval(&json_value("v", "Integer"), &mut n), Ok(Value::Str("12".into())));
        let mut bad = |_: &str| Some("12, \"x\": 1".to_owned());
        assert!(eval(&json_value("v", "Integer"), &mut bad).is_err(), "a non-number fails the step");
    }
}
