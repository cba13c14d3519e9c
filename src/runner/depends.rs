//! Argo's `depends` expressions, as the compiler writes them (`a && (b.Failed || b.Errored)`), read and
//! evaluated over the statuses of a DAG's tasks. A bare name means `a.Succeeded || a.Skipped ||
//! a.Daemoned`, as in Argo; `&&`, `||`, `!` and parentheses combine terms. The runner has no `Errored`
//! or `Daemoned` step: a step that did not complete is `Failed`.

use super::Status;

/// A parsed expression.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Depends {
    /// `task` or `task.Result`.
    Term(String, Option<String>),
    And(Box<Depends>, Box<Depends>),
    Or(Box<Depends>, Box<Depends>),
    Not(Box<Depends>),
}

impl Depends {
    /// Parses `text`.
    ///
    /// # Errors
    /// A result Argo does not have, or text that is not an expression.
    pub(super) fn parse(text: &str) -> Result<Depends, String> {
        let tokens = tokens(text)?;
        let mut p = Parser { tokens, at: 0 };
        let e = p.or()?;
        if p.at != p.tokens.len() {
            return Err(format!("`depends: {text}`: unexpected `{}`", p.tokens[p.at]));
        }
        Ok(e)
    }

    /// The tasks it names, in order of appearance (may repeat).
    pub(super) fn names(&self, out: &mut Vec<String>) {
        match self {
            Depends::Term(n, _) => out.push(n.clone()),
            Depends::And(a, b) | Depends::Or(a, b) => {
                a.names(out);
                b.names(out);
            }
            Depends::Not(a) => a.names(out),
        }
    }

    /// Whether it waits for a failure of some task (a failure handler: it may start after its DAG failed).
    pub(super) fn handles_failure(&self) -> bool {
        match self {
            Depends::Term(_, r) => matches!(r.as_deref(), Some("Failed" | "Errored" | "AllFailed")),
            Depends::And(a, b) | Depends::Or(a, b) => a.handles_failure() || b.handles_failure(),
            Depends::Not(a) => a.handles_failure(),
        }
    }

    /// Evaluates it; `status` gives each named task's status.
    pub(super) fn eval(&self, status: &dyn Fn(&str) -> Status) -> bool {
        match self {
            Depends::Term(n, r) => {
                let s = status(n);
                match r.as_deref() {
                    None => matches!(s, Status::Succeeded | Status::Skipped),
                    Some("Succeeded" | "AnySucceeded") => s == Status::Succeeded,
                    Some("Failed" | "AllFailed") => s == Status::Failed,
                    Some("Skipped") => s == Status::Skipped,
                    Some("Omitted") => s == Status::Omitted,
                    _ => false,
                }
            }
            Depends::And(a, b) => a.eval(status) && b.eval(status),
            Depends::Or(a, b) => a.eval(status) || b.eval(status),
            Depends::Not(a) => !a.eval(status),
        }
    }
}

const RESULTS: &[&str] =
    &["Succeeded", "Failed", "Errored", "Skipped", "Omitted", "Daemoned", "AnySucceeded", "AllFailed"];

fn tokens(text: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            ' ' | '\t' | '\n' => {
                chars.next();
            }
            '(' | ')' | '!' => {
                out.push(c.to_string());
                chars.next();
            }
            '&' | '|' => {
                chars.next();
                if chars.next() != Some(c) {
                    return Err(format!("`depends: {text}`: `{c}` alone (use `{c}{c}`)"));
                }
                out.push(format!("{c}{c}"));
            }
            c if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' => {
                let mut word = String::new();
                while let Some(&c) = chars.peek() {
                    if !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.') {
                        break;
                    }
                    word.push(c);
                    chars.next();
                }
                out.push(word);
            }
            other => return Err(format!("`depends: {text}`: unexpected `{other}`")),
        }
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<String>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.at).map(String::as_str)
    }

    fn or(&mut self) -> Result<Depends, String> {
        let mut e = self.and()?;
        while self.peek() == Some("||") {
            self.at += 1;
            e = Depends::Or(Box::new(e), Box::new(self.and()?));
        }
        Ok(e)
    }

    fn and(&mut self) -> Result<Depends, String> {
        let mut e = self.unary()?;
        while self.peek() == Some("&&") {
            self.at += 1;
            e = Depends::And(Box::new(e), Box::new(self.unary()?));
        }
        Ok(e)
    }

    fn unary(&mut self) -> Result<Depends, String> {
        let Some(t) = self.peek().map(str::to_owned) else { return Err("`depends`: the expression ends early".into()) };
        self.at += 1;
        match t.as_str() {
            "!" => Ok(Depends::Not(Box::new(self.unary()?))),
            "(" => {
                let e = self.or()?;
                if self.peek() != Some(")") {
                    return Err("`depends`: a `(` is not closed".to_owned());
                }
                self.at += 1;
                Ok(e)
            }
            "&&" | "||" | ")" => Err(format!("`depends`: unexpected `{t}`")),
            word => match word.split_once('.') {
                None => Ok(Depends::Term(word.to_owned(), None)),
                Some((name, result)) if RESULTS.contains(&result) => {
                    Ok(Depends::Term(name.to_owned(), Some(result.to_owned())))
                }
                Some((_, result)) => Err(format!("`depends`: `{result}` is not a task result Argo has")),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(text: &str, f: &dyn Fn(&str) -> Status) -> bool {
        Depends::parse(text).unwrap().eval(f)
    }

    #[test]
    fn a_bare_name_waits_for_success_or_a_skip() {
        assert!(eval("a", &|_| Status::Succeeded));
        assert!(eval("a", &|_| Status::Skipped));
        assert!(!eval("a", &|_| Status::Failed));
        assert!(!eval("a", &|_| Status::Omitted));
    }

    #[test]
    fn what_the_compiler_writes_for_triggers() {
        let finished =
            "prep && (train-2.Succeeded || train-2.Skipped || train-2.Daemoned || train-2.Failed || train-2.Errored)";
        let failed = "(train-2.Failed || train-2.Errored)";
        let st = |train: Status| move |n: &str| if n == "train-2" { train } else { Status::Succeeded };
        for s in [Status::Succeeded, Status::Failed, Status::Skipped] {
            assert!(eval(finished, &st(s)), "{s:?}");
        }
        assert!(!eval(finished, &st(Status::Omitted)));
        assert!(eval(failed, &st(Status::Failed)));
        assert!(!eval(failed, &st(Status::Succeeded)) && !eval(failed, &st(Status::Skipped)));
        let mut names = Vec::new();
        Depends::parse(finished).unwrap().names(&mut names);
        names.dedup();
        assert_eq!(names, ["prep", "train-2"]);
        assert!(Depends::parse(failed).unwrap().handles_failure());
        assert!(!Depends::parse("a && b").unwrap().handles_failure());
    }

    #[test]
    fn not_and_precedence() {
        // `&&` binds tighter than `||`: read as `(!a.Failed && b) || c.Failed`.
        let st = |n: &str| if n == "b" { Status::Succeeded } else { Status::Failed };
        assert!(eval("!a.Failed && b || c.Failed", &st));
        assert!(!eval("!a.Failed && b", &|_| Status::Failed));
    }

    #[test]
    fn bad_expressions_are_errors() {
        for bad in ["a &", "a.Done", "(a", "a b", "&& a", "a $ b"] {
            assert!(Depends::parse(bad).is_err(), "{bad}");
        }
    }
}
