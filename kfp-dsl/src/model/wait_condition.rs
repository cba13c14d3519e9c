//! How Argo decides when a resource step is done: its `successCondition` and `failureCondition`
//! are Kubernetes label selectors whose keys are paths into the object (gjson's syntax) and whose
//! values are compared with the text found there. This module parses them as Argo does and
//! evaluates them over an object, so the builder can refuse a condition Argo would reject and the
//! tests can check every wait against the objects each operator really writes.
//!
//! The rules, as Argo's executor applies them (`workflow/executor/resource.go`, v3.4 to v4.1) over
//! Kubernetes' selector parser (`apimachinery/pkg/labels/selector.go`):
//! - a condition is requirements joined by `,`: `key`, `!key`, `key = v`, `key == v`, `key != v`,
//!   `key in (a,b)`, `key notin (a,b)`, `key > 3`, `key < 3`;
//! - a key is a qualified name (an optional DNS-subdomain prefix and `/`, then at most 63 of
//!   `[A-Za-z0-9._-]`, starting and ending alphanumeric): dotted paths and numeric indices, but no
//!   gjson queries (`#(type=="Ready")`), wildcards or modifiers; a value is a label value;
//! - `=`, `==`, `in` and `>`/`<` are false on a missing field, `!=` and `notin` true; `>`/`<` compare
//!   integers (a field that is not an integer compares false);
//! - the failure requirements are checked first and any one that holds fails the step; then all the
//!   success requirements must hold (so with no success condition the step ends at its first
//!   check); otherwise Argo polls again in 5 s, with no limit of its own.

use serde_json::Value;

/// One comparison of a condition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    key: String,
    op: Op,
    values: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Exists,
    Missing,
    In,
    NotIn,
    Equals,
    NotEquals,
    Greater,
    Less,
}

/// A parsed success or failure condition: its requirements.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    requirements: Vec<Requirement>,
}

/// What Argo does after one check of the object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Neither condition decided: poll again.
    Wait,
    /// The step succeeds.
    Succeed,
    /// The step fails; the requirement that held.
    Fail(String),
}

impl Condition {
    /// Parses a condition as Argo does; the error says what Kubernetes' parser would reject.
    pub fn parse(text: &str) -> Result<Self, String> {
        let tokens = lex(text)?;
        let mut p = Parser { tokens, pos: 0 };
        let mut requirements = Vec::new();
        loop {
            match p.peek() {
                Tok::End if requirements.is_empty() => break,
                Tok::End => return Err("the condition ends with `,`".to_owned()),
                _ => requirements.push(p.requirement()?),
            }
            match p.next() {
                Tok::End => break,
                Tok::Comma => continue,
                t => return Err(format!("found `{}`, expected `,` or the end", t.text())),
            }
        }
        Ok(Condition { requirements })
    }

    /// The requirements, as text.
    pub fn requirements(&self) -> Vec<String> {
        self.requirements.iter().map(Requirement::to_string).collect()
    }

    /// The paths into the object this condition reads.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.requirements.iter().map(|r| r.key.as_str())
    }
}

/// One check of `object` as Argo makes it: failure requirements first (any one fails), then the
/// success requirements (all must hold).
pub fn decide(success: Option<&Condition>, failure: Option<&Condition>, object: &Value) -> Outcome {
    if let Some(r) = failure.and_then(|f| f.requirements.iter().find(|r| r.matches(object))) {
        return Outcome::Fail(r.to_string());
    }
    let all = success.is_none_or(|s| s.requirements.iter().all(|r| r.matches(object)));
    if all { Outcome::Succeed } else { Outcome::Wait }
}

impl Requirement {
    /// Whether this requirement holds on `object`.
    pub fn matches(&self, object: &Value) -> bool {
        let found = lookup(object, &self.key);
        let has = |v: &str| self.values.iter().any(|x| x == v);
        match (self.op, found) {
            (Op::Exists, f) => f.is_some(),
            (Op::Missing, f) => f.is_none(),
            (Op::In | Op::Equals, Some(v)) => has(&text(v)),
            (Op::NotIn | Op::NotEquals, Some(v)) => !has(&text(v)),
            (Op::NotIn | Op::NotEquals, None) => true,
            (Op::Greater | Op::Less, Some(v)) => {
                let (Ok(found), Some(Ok(wanted))) =
                    (text(v).parse::<i64>(), self.values.first().map(|w| w.parse::<i64>()))
                else {
                    return false;
                };
                if self.op == Op::Greater { found > wanted } else { found < wanted }
            }
            (_, None) => false,
        }
    }
}

impl std::fmt::Display for Requirement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let key = &self.key;
        let one = self.values.first().map(String::as_str).unwrap_or_default();
        match self.op {
            Op::Exists => write!(f, "{key}"),
            Op::Missing => write!(f, "!{key}"),
            Op::In => write!(f, "{key} in ({})", self.values.join(",")),
            Op::NotIn => write!(f, "{key} notin ({})", self.values.join(",")),
            Op::Equals => write!(f, "{key} == {one}"),
            Op::NotEquals => write!(f, "{key} != {one}"),
            Op::Greater => write!(f, "{key} > {one}"),
            Op::Less => write!(f, "{key} < {one}"),
        }
    }
}

/// The value at a gjson path made of keys and array indices, as far as a label key can spell one.
fn lookup<'a>(object: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(object, |v, part| match v {
        Value::Object(m) => m.get(part),
        Value::Array(a) => part.parse::<usize>().ok().and_then(|i| a.get(i)),
        _ => None,
    })
}

/// The text gjson gives for a value: a string as itself, `true`/`false`, a number as written,
/// `null` as empty, a list or map as JSON.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Number(n) if n.is_f64() => n.as_f64().map(|f| f.to_string()).unwrap_or_default(),
        other => other.to_string(),
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Ident(String),
    Not,
    NotEquals,
    Equals,
    DoubleEquals,
    Greater,
    Less,
    Open,
    Close,
    Comma,
    End,
}

impl Tok {
    fn text(&self) -> String {
        match self {
            Tok::Ident(s) => s.clone(),
            Tok::Not => "!".into(),
            Tok::NotEquals => "!=".into(),
            Tok::Equals => "=".into(),
            Tok::DoubleEquals => "==".into(),
            Tok::Greater => ">".into(),
            Tok::Less => "<".into(),
            Tok::Open => "(".into(),
            Tok::Close => ")".into(),
            Tok::Comma => ",".into(),
            Tok::End => "the end".into(),
        }
    }
}

fn special(c: char) -> bool {
    matches!(c, '=' | '!' | '(' | ')' | ',' | '>' | '<')
}

fn lex(text: &str) -> Result<Vec<Tok>, String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if matches!(c, ' ' | '\t' | '\r' | '\n') {
            chars.next();
        } else if special(c) {
            chars.next();
            let two = chars.peek().copied();
            out.push(match (c, two) {
                ('!', Some('=')) | ('=', Some('=')) => {
                    chars.next();
                    if c == '!' { Tok::NotEquals } else { Tok::DoubleEquals }
                }
                ('!', _) => Tok::Not,
                ('=', _) => Tok::Equals,
                ('>', _) => Tok::Greater,
                ('<', _) => Tok::Less,
                ('(', _) => Tok::Open,
                (')', _) => Tok::Close,
                _ => Tok::Comma,
            });
        } else {
            let mut word = String::new();
            while let Some(&c) = chars.peek() {
                if special(c) || c.is_whitespace() {
                    break;
                }
                word.push(c);
                chars.next();
            }
            out.push(Tok::Ident(word));
        }
    }
    out.push(Tok::End);
    Ok(out)
}

struct Parser {
    tokens: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.tokens[self.pos.min(self.tokens.len() - 1)]
    }

    fn next(&mut self) -> Tok {
        let t = self.peek().clone();
        self.pos += 1;
        t
    }

    fn requirement(&mut self) -> Result<Requirement, String> {
        let missing = *self.peek() == Tok::Not;
        if missing {
            self.next();
        }
        let key = match self.next() {
            Tok::Ident(k) if k != "in" && k != "notin" => k,
            t => return Err(format!("found `{}`, expected a path such as `status.phase`", t.text())),
        };
        check_key(&key)?;
        if matches!(self.peek(), Tok::End | Tok::Comma) || missing {
            let op = if missing { Op::Missing } else { Op::Exists };
            return Ok(Requirement { key, op, values: Vec::new() });
        }
        let op = match self.next() {
            Tok::Ident(w) if w == "in" => Op::In,
            Tok::Ident(w) if w == "notin" => Op::NotIn,
            Tok::Equals | Tok::DoubleEquals => Op::Equals,
            Tok::NotEquals => Op::NotEquals,
            Tok::Greater => Op::Greater,
            Tok::Less => Op::Less,
            t => {
                return Err(format!(
                    "after `{key}`: found `{}`, expected one of `==`, `=`, `!=`, `in`, `notin`, `>`, `<`",
                    t.text()
                ));
            }
        };
        let values = if matches!(op, Op::In | Op::NotIn) { self.set(&key)? } else { vec![self.exact()?] };
        for v in &values {
            check_value(&key, v)?;
        }
        if matches!(op, Op::Greater | Op::Less) && values[0].parse::<i64>().is_err() {
            return Err(format!("`{key}`: `>` and `<` compare integers; `{}` is not one", values[0]));
        }
        Ok(Requirement { key, op, values })
    }

    fn exact(&mut self) -> Result<String, String> {
        match self.peek() {
            Tok::End | Tok::Comma => Ok(String::new()),
            _ => match self.next() {
                Tok::Ident(v) => Ok(v),
                t => Err(format!("found `{}`, expected a value", t.text())),
            },
        }
    }

    fn set(&mut self, key: &str) -> Result<Vec<String>, String> {
        if self.next() != Tok::Open {
            return Err(format!("`{key}`: `in` and `notin` take a list such as `(a,b)`"));
        }
        let mut values = Vec::new();
        let mut expect_value = true;
        loop {
            match self.next() {
                Tok::Ident(v) if expect_value => {
                    values.push(v);
                    expect_value = false;
                }
                Tok::Comma => {
                    if expect_value {
                        values.push(String::new());
                    }
                    expect_value = true;
                }
                Tok::Close => {
                    if expect_value {
                        values.push(String::new());
                    }
                    break;
                }
                t => return Err(format!("`{key}`: found `{}` in a list of values", t.text())),
            }
        }
        values.sort();
        values.dedup();
        Ok(values)
    }
}

/// A key is a label key, as Kubernetes' selector parser requires: said in Argo's terms.
fn check_key(key: &str) -> Result<(), String> {
    if crate::checks::check_label_key(key).is_ok() {
        Ok(())
    } else {
        Err(format!(
            "`{key}` is not a path Argo can read: a condition's key is a label key (at most 63 of letters, digits, \
             `.`, `_`, `-`, starting and ending with a letter or digit), so only dotted paths with numeric \
             indices such as `status.conditions.0.type`, no gjson queries (`kfp::Wait` has waits for Jobs, Katib, \
             training jobs, KServe and snapshots)"
        ))
    }
}

/// A value is a label value, as Kubernetes' selector parser requires.
fn check_value(key: &str, v: &str) -> Result<(), String> {
    if crate::checks::check_label_value(v).is_ok() {
        Ok(())
    } else {
        Err(format!(
            "`{key}`: `{v}` is not a value Argo can compare (a label value: at most 63 of letters, digits, `.`, `_`, \
             `-`, starting and ending with a letter or digit)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(success: &str, failure: &str, object: Value) -> Outcome {
        let s = (!success.is_empty()).then(|| Condition::parse(success).unwrap());
        let f = (!failure.is_empty()).then(|| Condition::parse(failure).unwrap());
        decide(s.as_ref(), f.as_ref(), &object)
    }

    #[test]
    fn operators_follow_kubernetes_selectors_over_json() {
        let obj = json!({ "status": { "phase": "Running", "n": 3, "ok": true, "f": 1.5,
            "conditions": [{ "type": "Ready", "status": "True" }] } });
        let holds = |c: &str| Condition::parse(c).unwrap().requirements[0].matches(&obj);
        assert!(holds("status.phase == Running"));
        assert!(holds("status.phase = Running"));
        assert!(holds("status.phase in (Pending,Running)"));
        assert!(!holds("status.phase notin (Pending,Running)"));
        assert!(holds("status.n > 2") && !holds("status.n > 3") && holds("status.n < 4"));
        assert!(!holds("status.f > 1"), "a number that is not an integer never compares");
        assert!(!holds("status.phase > 1"));
        assert!(holds("status.ok == true"));
        assert!(holds("status.conditions.0.type == Ready"));
        assert!(!holds("status.conditions.1.type == Ready"));
        assert!(holds("status.conditions.1.type != Ready"), "`!=` holds on a missing field");
        assert!(holds("status.missing notin (a)"), "`notin` holds on a missing field");
        assert!(!holds("status.missing == a") && !holds("status.missing in (a)") && !holds("status.missing > 0"));
        assert!(holds("status.phase") && !holds("status.missing"));
        assert!(holds("!status.missing") && !holds("!status.phase"));
        assert!(!holds("status.gone =="), "an empty value is allowed; a missing field does not equal it");
    }

    #[test]
    fn failure_is_checked_first_and_success_needs_every_requirement() {
        let obj = json!({ "status": { "succeeded": 1, "failed": 1 } });
        assert_eq!(
            check("status.succeeded > 0", "status.failed > 0", obj.clone()),
            Outcome::Fail("status.failed > 0".into())
        );
        assert_eq!(check("status.succeeded > 0,status.x", "", obj.clone()), Outcome::Wait);
        assert_eq!(check("status.succeeded > 0", "", obj.clone()), Outcome::Succeed);
        assert_eq!(check("", "status.failed > 1", obj.clone()), Outcome::Succeed, "no success condition: done at once");
        assert_eq!(check("status.x", "status.y,status.failed > 0", obj), Outcome::Fail("status.failed > 0".into()));
    }

    #[test]
    fn conditions_argo_would_reject_are_errors() {
        for (bad, says) in [
            ("status.conditions.#(type==\"Ready\").status == True", "not a path Argo can read"),
            ("status.n > a", "compare integers"),
            ("status.phase == Running,", "ends with `,`"),
            ("status.phase in Running", "take a list"),
            ("status.phase == has space", "expected `,` or the end"),
            ("status.phase == a/b", "not a value Argo can compare"),
            ("== x", "expected a path"),
            ("status.phase ~ x", "expected one of"),
        ] {
            let e = Condition::parse(bad).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
        }
        let long = format!("status.{}", "a".repeat(60));
        assert!(Condition::parse(&long).is_err());
        assert_eq!(Condition::parse("a in (y,x,x), !b").unwrap().requirements(), ["a in (x,y)", "!b"]);
    }
}
