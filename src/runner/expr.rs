//! The local runner's view of Argo expressions: `{{...}}` substitution and `when` evaluation.

/// Replaces every `{{...}}` in `text` with `lookup(expr)`.
///
/// # Errors
/// The first expression `lookup` cannot resolve.
pub(crate) fn substitute(text: &str, lookup: &mut dyn FnMut(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("{{") {
        out.push_str(&rest[..i]);
        let Some(j) = rest[i..].find("}}") else {
            out.push_str(&rest[i..]);
            return Ok(out);
        };
        let expr = rest[i + 2..i + j].trim();
        match lookup(expr) {
            Some(v) => out.push_str(&v),
            None => return Err(format!("cannot resolve `{{{{{expr}}}}}`")),
        }
        rest = &rest[i + j + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Str(String),
    Word(String),
    Op(&'static str),
    Open,
    Close,
}

fn tokenize(s: &str) -> Result<Vec<Tok>, String> {
    let b: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < b.len() {
        let c = b[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '"' {
            let start = i + 1;
            let end = b[start..].iter().position(|&c| c == '"').ok_or("an unterminated string")? + start;
            out.push(Tok::Str(b[start..end].iter().collect()));
            i = end + 1;
        } else if c == '(' {
            out.push(Tok::Open);
            i += 1;
        } else if c == ')' {
            out.push(Tok::Close);
            i += 1;
        } else {
            let two: String = b[i..(i + 2).min(b.len())].iter().collect();
            let op = ["==", "!=", ">=", "<=", "&&", "||"].into_iter().find(|o| *o == two);
            if let Some(op) = op {
                out.push(Tok::Op(op));
                i += 2;
            } else if c == '>' || c == '<' || c == '!' {
                out.push(Tok::Op(match c {
                    '>' => ">",
                    '<' => "<",
                    _ => "!",
                }));
                i += 1;
            } else {
                let start = i;
                while i < b.len() && !b[i].is_whitespace() && !"()\"=!<>&|".contains(b[i]) {
                    i += 1;
                }
                out.push(Tok::Word(b[start..i].iter().collect()));
            }
        }
    }
    Ok(out)
}

/// Evaluates a `when` expression after substitution: comparisons of quoted strings or numbers,
/// combined with `&&`, `||`, `!` and parentheses (what the compiler writes).
///
/// # Errors
/// An expression outside that grammar.
pub(crate) fn eval_when(s: &str) -> Result<bool, String> {
    let toks = tokenize(s)?;
    let mut p = Parser { toks, pos: 0 };
    let v = p.or()?;
    if p.pos != p.toks.len() {
        return Err(format!("unexpected `{:?}` in `{s}`", p.toks[p.pos]));
    }
    Ok(v)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn or(&mut self) -> Result<bool, String> {
        let mut v = self.and()?;
        while self.peek() == Some(&Tok::Op("||")) {
            self.pos += 1;
            let r = self.and()?;
            v = v || r;
        }
        Ok(v)
    }

    fn and(&mut self) -> Result<bool, String> {
        let mut v = self.unary()?;
        while self.peek() == Some(&Tok::Op("&&")) {
            self.pos += 1;
            let r = self.unary()?;
            v = v && r;
        }
        Ok(v)
    }

    fn unary(&mut self) -> Result<bool, String> {
        match self.peek() {
            Some(Tok::Op("!")) => {
                self.pos += 1;
                Ok(!self.unary()?)
            }
            Some(Tok::Open) => {
                self.pos += 1;
                let v = self.or()?;
                if self.peek() != Some(&Tok::Close) {
                    return Err("a missing `)`".to_owned());
                }
                self.pos += 1;
                Ok(v)
            }
            _ => self.comparison(),
        }
    }

    fn operand(&mut self) -> Result<String, String> {
        match self.toks.get(self.pos).cloned() {
            Some(Tok::Str(s) | Tok::Word(s)) => {
                self.pos += 1;
                Ok(s)
            }
            other => Err(format!("expected a value, found {other:?}")),
        }
    }

    fn comparison(&mut self) -> Result<bool, String> {
        let l = self.operand()?;
        let op = match self.peek() {
            Some(Tok::Op(op @ ("==" | "!=" | ">" | ">=" | "<" | "<="))) => *op,
            _ => return Ok(l == "true"),
        };
        self.pos += 1;
        let r = self.operand()?;
        let ord = match (l.trim().parse::<f64>(), r.trim().parse::<f64>()) {
            (Ok(a), Ok(b)) => a.partial_cmp(&b),
            _ => Some(l.cmp(&r)),
        };
        use std::cmp::Ordering::*;
        Ok(match (op, ord) {
            ("==", o) => o == Some(Equal),
            ("!=", o) => o != Some(Equal),
            (">", o) => o == Some(Greater),
            (">=", o) => matches!(o, Some(Greater | Equal)),
            ("<", o) => o == Some(Less),
            ("<=", o) => matches!(o, Some(Less | Equal)),
            _ => false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn when_expressions_evaluate_like_argo() {
        assert!(eval_when(r#""heads" == "heads""#).unwrap());
        assert!(!eval_when(r#""tails" == "heads""#).unwrap());
        assert!(eval_when("42 > 7").unwrap(), "numbers compare as numbers");
        assert!(!eval_when("10 < 9").unwrap());
        assert!(eval_when(r#"(3 >= 3) && (!("a" != "a"))"#).unwrap());
        assert!(eval_when(r#"!((1 > 2) || ("x" == "y"))"#).unwrap());
        assert!(eval_when("(1 > 2").is_err());
    }

    #[test]
    fn substitution_resolves_or_fails() {
        let mut f = |e: &str| (e == "a").then(|| "1".to_owned());
        assert_eq!(substitute("x={{a}} {{ a }}", &mut f).unwrap(), "x=1 1");
        assert!(substitute("{{b}}", &mut f).unwrap_err().contains("{{b}}"));
    }
}
