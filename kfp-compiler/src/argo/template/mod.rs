//! What Argo does with the `{{...}}` tags kfp-rs writes, for the local runner and for tests: simple
//! tags (`{{inputs.parameters.x}}`) are replaced by their value, expression tags (`{{=...}}`) are
//! evaluated over the values as variables, in the subset of Argo's expression language (expr-lang)
//! that the compiler emits: string and number literals, variables with `.name` and `['name']`
//! members, `== != < <= > >=`, `+`, `matches` (the number pattern only), `&& || !`, parentheses, and
//! the functions `asInt`, `asFloat`, `toJson` and `sprig.replace`.
//!
//! Values are data here as on the cluster: a value is never re-read as an expression or a tag.

mod eval;
mod parse;

use std::fmt;

use parse::parse;

/// The pattern a value must match to be compared as a number (what Go's `strconv.ParseFloat` takes,
/// without `inf`, `nan`, hex and underscores). A value that does not match compares like NaN: every
/// ordering and `==` is false, `!=` is true.
pub const NUMBER_PATTERN: &str = "^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?$";

/// Whether `s` matches [`NUMBER_PATTERN`].
pub fn is_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - int_start;
    let mut frac_digits = 0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let f = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        frac_digits = i - f;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        let e = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == e {
            return false;
        }
    }
    i == b.len()
}

/// A value of an expression.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Value {
    /// A string (every parameter is one).
    Str(String),
    /// An integer (`asInt`, integer literals).
    Int(i64),
    /// A float (`asFloat`, float literals).
    Float(f64),
    /// A boolean (comparisons, `true`, `false`).
    Bool(bool),
}

impl fmt::Display for Value {
    /// As Argo writes an expression's result into the text around the tag.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Str(s) => f.write_str(s),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{x}"),
            Value::Bool(b) => write!(f, "{b}"),
        }
    }
}

/// Replaces every tag in `text`: `{{name}}` by `lookup(name)`, `{{=expr}}` by the expression's value.
/// One pass: values put into the text are not scanned again.
///
/// # Errors
/// A variable `lookup` cannot resolve, or an expression that does not parse or evaluate.
pub fn substitute(text: &str, lookup: &mut dyn FnMut(&str) -> Option<String>) -> Result<String, String> {
    substitute_deferring(text, lookup, &|_| false)
}

/// [`substitute`], leaving every tag that reads a variable `later` says is not known yet as it is,
/// as Argo leaves a tag whose variables a pass does not have for a later pass (a DAG task's
/// `{{=pod.name}}` is filled in by the pod's own pass).
///
/// # Errors
/// As [`substitute`], for the tags it does not leave.
pub fn substitute_deferring(
    text: &str,
    lookup: &mut dyn FnMut(&str) -> Option<String>,
    later: &dyn Fn(&str) -> bool,
) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("{{") {
        out.push_str(&rest[..i]);
        let Some(j) = rest[i..].find("}}") else {
            out.push_str(&rest[i..]);
            return Ok(out);
        };
        let tag = &rest[i + 2..i + j];
        if let Some(e) = tag.strip_prefix('=') {
            let mut deferred = false;
            let mut known = |x: &str| {
                if later(x) {
                    deferred = true;
                    return None;
                }
                lookup(x)
            };
            match eval(e, &mut known) {
                Ok(v) => out.push_str(&v.to_string()),
                Err(_) if deferred => out.push_str(&rest[i..i + j + 2]),
                Err(err) => return Err(err),
            }
        } else if later(tag.trim()) {
            out.push_str(&rest[i..i + j + 2]);
        } else {
            let name = tag.trim();
            match lookup(name) {
                Some(v) => out.push_str(&v),
                None => return Err(format!("cannot resolve `{{{{{name}}}}}`")),
            }
        }
        rest = &rest[i + j + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Evaluates an expression (the text of a `{{=...}}` tag).
///
/// # Errors
/// A syntax error, an unknown variable or function, or a type error, in one line.
pub fn eval(expr: &str, lookup: &mut dyn FnMut(&str) -> Option<String>) -> Result<Value, String> {
    let ast = parse(expr)?;
    ast.eval(lookup).map_err(|e| format!("{e} in `{expr}`"))
}

/// An expression written back in the classic form kfp v1 and Argo's docs use for `when`
/// (`"{{tasks.flip.outputs.parameters.out}}" == "heads"`, `{{inputs.parameters.n}} > 3`), with the
/// number guards the compiler adds left out: for messages and comparisons with kfp v1's output.
///
/// # Errors
/// The expression does not parse.
pub fn describe(expr: &str) -> Result<String, String> {
    Ok(parse(expr)?.describe(false))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(e: &str, vars: &[(&str, &str)]) -> Result<Value, String> {
        eval(e, &mut |n| vars.iter().find(|(k, _)| *k == n).map(|(_, v)| (*v).to_owned()))
    }

    #[test]
    fn the_number_pattern_is_what_parse_float_reads() {
        for ok in ["0", "-3", "+4.5", ".5", "5.", "1e5", "1E-7", "12.5e+3"] {
            assert!(is_number(ok), "{ok}");
            assert!(ok.parse::<f64>().is_ok(), "{ok}");
        }
        for bad in ["", " 1", "1 ", "-", ".", "e5", "1e", "0x1F", "1_000", "inf", "NaN", "1.2.3", "--1", "5\n"] {
            assert!(!is_number(bad), "{bad:?}");
        }
    }

    #[test]
    fn expressions_evaluate_like_argo() {
        let vars = [("inputs.parameters.m", "a\" == \"a\" || \"b"), ("tasks.t.outputs.parameters.n", "42")];
        assert_eq!(run("inputs.parameters['m'] == 'a'", &vars), Ok(Value::Bool(false)));
        assert_eq!(run("inputs.parameters.m == 'a\\\" == \\\"a\\\" || \\\"b'", &vars), Ok(Value::Bool(true)));
        assert_eq!(run("asFloat(tasks['t'].outputs.parameters['n']) > 7", &vars), Ok(Value::Bool(true)));
        assert_eq!(run("!(1 > 2) && ('x' == 'x' || 1 < 0)", &[]), Ok(Value::Bool(true)));
        assert_eq!(run("'a' + 'b' + '\\u007b'", &[]), Ok(Value::Str("ab{".into())));
        assert_eq!(run("toJson('say \"hi\"\\n')", &[]), Ok(Value::Str("\"say \\\"hi\\\"\\n\"".into())));
        assert_eq!(run("toJson(asInt('12'))", &[]), Ok(Value::Str("12".into())));
        assert_eq!(run("sprig.replace('{', '-', 'a{b{')", &[]), Ok(Value::Str("a-b-".into())));
        assert!(run("nope == 'a'", &[]).unwrap_err().contains("unknown variable `nope`"));
        assert!(run("(1 > 2", &[]).is_err());
        assert!(run("asFloat('abc') > 1", &[]).unwrap_err().contains("not a number"));
    }

    #[test]
    fn substitution_is_one_pass() {
        let mut f = |e: &str| match e {
            "a" => Some("{{b}}".to_owned()),
            "b" => Some("secret".to_owned()),
            _ => None,
        };
        assert_eq!(substitute("x={{a}} {{ a }} {{='1' + '2'}}", &mut f).unwrap(), "x={{b}} {{b}} 12");
        assert!(substitute("{{c}}", &mut f).unwrap_err().contains("{{c}}"));
    }

    #[test]
    fn tags_of_a_later_pass_are_left_as_they_are() {
        let later = |x: &str| matches!(x, "pod.name" | "retries");
        let mut f = |e: &str| (e == "a").then(|| "A".to_owned());
        let text = "{{a}} {{=pod.name}} {{ retries }} {{='x' + retries}} {{='a' + a}}";
        assert_eq!(
            substitute_deferring(text, &mut f, &later).unwrap(),
            "A {{=pod.name}} {{ retries }} {{='x' + retries}} aA"
        );
        assert!(substitute_deferring("{{=b}}", &mut f, &later).unwrap_err().contains("unknown variable `b`"));
        assert!(substitute("{{=pod.name}}", &mut f).is_err(), "without a later pass, an unknown variable");
    }

    #[test]
    fn described_in_the_classic_form() {
        let e = format!(
            "(tasks.r.outputs.parameters.n matches '{NUMBER_PATTERN}' && asFloat(tasks.r.outputs.parameters.n) > 3) \
             && !(inputs.parameters['mode'] == 'full')"
        );
        assert_eq!(
            describe(&e).unwrap(),
            "({{tasks.r.outputs.parameters.n}} > 3) && (!(\"{{inputs.parameters.mode}}\" == \"full\"))"
        );
    }
}
