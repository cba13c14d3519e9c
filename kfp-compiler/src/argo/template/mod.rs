//! What Argo does with the `{{...}}` tags kfp-rs writes, for the local runner and for tests: simple
//! tags (`{{inputs.parameters.x}}`) are replaced by their value, expression tags (`{{=...}}`) are
//! evaluated over the values as variables, in the subset of Argo's expression language (expr-lang)
//! that the compiler emits: string and number literals, variables with `.name` and `['name']`
//! members, `== != < <= > >=`, `+`, `matches` (the number pattern only), `&& || !`, parentheses, and
//! the functions `asInt`, `asFloat`, `toJson` and `sprig.replace`.
//!
//! Values are data here as on the cluster: a value is never re-read as an expression or a tag.

use std::fmt;

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
            out.push_str(&eval(e, lookup)?.to_string());
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

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Str(String),
    Num(String),
    Ident(String),
    Op(&'static str),
}

const OPS: [&str; 18] =
    ["==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "+", "(", ")", "[", "]", ".", ",", "?", ":"];

fn tokenize(s: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '\'' || c == '"' {
            let (text, next) = string_literal(&chars, i)?;
            out.push(Tok::Str(text));
            i = next;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '.') {
                if (chars[i] == 'e' || chars[i] == 'E') && matches!(chars.get(i + 1), Some('-' | '+')) {
                    i += 1;
                }
                i += 1;
            }
            out.push(Tok::Num(chars[start..i].iter().collect()));
        } else if c.is_alphabetic() || c == '_' || c == '$' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$') {
                i += 1;
            }
            out.push(Tok::Ident(chars[start..i].iter().collect()));
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let op = OPS.iter().find(|o| two.starts_with(**o)).ok_or_else(|| format!("unexpected `{c}`"))?;
            out.push(Tok::Op(op));
            i += op.chars().count();
        }
    }
    Ok(out)
}

/// A quoted string starting at `chars[start]`, with expr-lang's escapes; returns the text and the
/// index after the closing quote.
fn string_literal(chars: &[char], start: usize) -> Result<(String, usize), String> {
    let quote = chars[start];
    let mut i = start + 1;
    let mut out = String::new();
    loop {
        let Some(&c) = chars.get(i) else { return Err("an unterminated string".to_owned()) };
        i += 1;
        if c == quote {
            return Ok((out, i));
        }
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(&e) = chars.get(i) else { return Err("an unterminated string".to_owned()) };
        i += 1;
        let hex = |n: usize, i: usize| -> Result<char, String> {
            let digits: String = chars.get(i..i + n).ok_or("a short escape")?.iter().collect();
            u32::from_str_radix(&digits, 16)
                .ok()
                .and_then(char::from_u32)
                .ok_or_else(|| format!("a bad escape `\\{e}{digits}`"))
        };
        match e {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'v' => out.push('\u{b}'),
            '\\' | '\'' | '"' | '`' | '?' => out.push(e),
            'x' => {
                out.push(hex(2, i)?);
                i += 2;
            }
            'u' => {
                out.push(hex(4, i)?);
                i += 4;
            }
            'U' => {
                out.push(hex(8, i)?);
                i += 8;
            }
            other => return Err(format!("an unknown escape `\\{other}`")),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Ast {
    Lit(Value),
    Var(Vec<String>),
    Call(String, Vec<Ast>),
    Not(Box<Ast>),
    Bin(&'static str, Box<Ast>, Box<Ast>),
}

fn parse(s: &str) -> Result<Ast, String> {
    let toks = tokenize(s).map_err(|e| format!("{e} in `{s}`"))?;
    let mut p = Parser { toks, pos: 0 };
    let ast = p.or().map_err(|e| format!("{e} in `{s}`"))?;
    if p.pos != p.toks.len() {
        return Err(format!("unexpected {:?} in `{s}`", p.toks[p.pos]));
    }
    Ok(ast)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn eat_op(&mut self, op: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Op(o)) if *o == op) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn eat_word(&mut self, w: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Ident(i)) if i == w) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn or(&mut self) -> Result<Ast, String> {
        let mut l = self.and()?;
        while self.eat_op("||") || self.eat_word("or") {
            l = Ast::Bin("||", Box::new(l), Box::new(self.and()?));
        }
        Ok(l)
    }

    fn and(&mut self) -> Result<Ast, String> {
        let mut l = self.cmp()?;
        while self.eat_op("&&") || self.eat_word("and") {
            l = Ast::Bin("&&", Box::new(l), Box::new(self.cmp()?));
        }
        Ok(l)
    }

    fn cmp(&mut self) -> Result<Ast, String> {
        let l = self.add()?;
        for op in ["==", "!=", "<=", ">=", "<", ">"] {
            if self.eat_op(op) {
                return Ok(Ast::Bin(op, Box::new(l), Box::new(self.add()?)));
            }
        }
        if self.eat_word("matches") {
            return Ok(Ast::Bin("matches", Box::new(l), Box::new(self.add()?)));
        }
        Ok(l)
    }

    fn add(&mut self) -> Result<Ast, String> {
        let mut l = self.unary()?;
        while self.eat_op("+") {
            l = Ast::Bin("+", Box::new(l), Box::new(self.unary()?));
        }
        Ok(l)
    }

    fn unary(&mut self) -> Result<Ast, String> {
        if self.eat_op("!") || self.eat_word("not") {
            return Ok(Ast::Not(Box::new(self.unary()?)));
        }
        self.postfix()
    }

    fn postfix(&mut self) -> Result<Ast, String> {
        let tok = self.toks.get(self.pos).cloned().ok_or("an expression that ends too early")?;
        self.pos += 1;
        match tok {
            Tok::Str(s) => Ok(Ast::Lit(Value::Str(s))),
            Tok::Num(n) => number(&n).map(Ast::Lit),
            Tok::Op("(") => {
                let e = self.or()?;
                if !self.eat_op(")") {
                    return Err("a missing `)`".to_owned());
                }
                Ok(e)
            }
            Tok::Ident(w) if w == "true" || w == "false" => Ok(Ast::Lit(Value::Bool(w == "true"))),
            Tok::Ident(w) => {
                let mut path = vec![w];
                loop {
                    if self.eat_op(".") {
                        match self.toks.get(self.pos).cloned() {
                            Some(Tok::Ident(m)) => {
                                self.pos += 1;
                                path.push(m);
                            }
                            other => return Err(format!("expected a name after `.`, found {other:?}")),
                        }
                    } else if self.eat_op("[") {
                        match self.toks.get(self.pos).cloned() {
                            Some(Tok::Str(m)) => {
                                self.pos += 1;
                                path.push(m);
                            }
                            other => return Err(format!("expected a quoted name in `[...]`, found {other:?}")),
                        }
                        if !self.eat_op("]") {
                            return Err("a missing `]`".to_owned());
                        }
                    } else if self.eat_op("(") {
                        let mut args = Vec::new();
                        if !self.eat_op(")") {
                            loop {
                                args.push(self.or()?);
                                if self.eat_op(")") {
                                    break;
                                }
                                if !self.eat_op(",") {
                                    return Err("expected `,` or `)` in a call".to_owned());
                                }
                            }
                        }
                        return Ok(Ast::Call(path.join("."), args));
                    } else {
                        return Ok(Ast::Var(path));
                    }
                }
            }
            other => Err(format!("unexpected {other:?}")),
        }
    }
}

fn number(n: &str) -> Result<Value, String> {
    if let Ok(i) = n.parse::<i64>() {
        return Ok(Value::Int(i));
    }
    n.parse::<f64>().map(Value::Float).map_err(|_| format!("a bad number `{n}`"))
}

fn as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Float(x) => Some(*x),
        _ => None,
    }
}

impl Ast {
    fn eval(&self, lookup: &mut dyn FnMut(&str) -> Option<String>) -> Result<Value, String> {
        Ok(match self {
            Ast::Lit(v) => v.clone(),
            Ast::Var(path) => {
                let name = path.join(".");
                Value::Str(lookup(&name).ok_or_else(|| format!("unknown variable `{name}`"))?)
            }
            Ast::Not(a) => match a.eval(lookup)? {
                Value::Bool(b) => Value::Bool(!b),
                other => return Err(format!("`!` on {other:?}")),
            },
            Ast::Bin(op @ ("&&" | "||"), a, b) => {
                let Value::Bool(l) = a.eval(lookup)? else { return Err(format!("`{op}` on a non-boolean")) };
                if (*op == "&&" && !l) || (*op == "||" && l) {
                    return Ok(Value::Bool(l));
                }
                match b.eval(lookup)? {
                    Value::Bool(r) => Value::Bool(r),
                    _ => return Err(format!("`{op}` on a non-boolean")),
                }
            }
            Ast::Bin("matches", a, b) => {
                let (Value::Str(s), Value::Str(pattern)) = (a.eval(lookup)?, b.eval(lookup)?) else {
                    return Err("`matches` takes strings".to_owned());
                };
                if pattern != NUMBER_PATTERN {
                    return Err(format!("the local runner only knows the number pattern, not `{pattern}`"));
                }
                Value::Bool(is_number(&s))
            }
            Ast::Bin("+", a, b) => match (a.eval(lookup)?, b.eval(lookup)?) {
                (Value::Str(l), Value::Str(r)) => Value::Str(l + &r),
                (Value::Int(l), Value::Int(r)) => Value::Int(l.wrapping_add(r)),
                (l, r) => match (as_f64(&l), as_f64(&r)) {
                    (Some(l), Some(r)) => Value::Float(l + r),
                    _ => return Err(format!("`+` on {l:?} and {r:?}")),
                },
            },
            Ast::Bin(op, a, b) => {
                let (l, r) = (a.eval(lookup)?, b.eval(lookup)?);
                let ord = match (&l, &r) {
                    (Value::Str(x), Value::Str(y)) => Some(x.cmp(y)),
                    (Value::Bool(x), Value::Bool(y)) if matches!(*op, "==" | "!=") => Some(x.cmp(y)),
                    _ => match (as_f64(&l), as_f64(&r)) {
                        (Some(x), Some(y)) => x.partial_cmp(&y),
                        _ if *op == "==" => return Ok(Value::Bool(false)),
                        _ if *op == "!=" => return Ok(Value::Bool(true)),
                        _ => return Err(format!("`{op}` on {l:?} and {r:?}")),
                    },
                };
                use std::cmp::Ordering::*;
                Value::Bool(match *op {
                    "==" => ord == Some(Equal),
                    "!=" => ord != Some(Equal),
                    "<" => ord == Some(Less),
                    "<=" => matches!(ord, Some(Less | Equal)),
                    ">" => ord == Some(Greater),
                    ">=" => matches!(ord, Some(Greater | Equal)),
                    other => return Err(format!("unknown operator `{other}`")),
                })
            }
            Ast::Call(name, args) => {
                let mut vals = Vec::with_capacity(args.len());
                for a in args {
                    vals.push(a.eval(lookup)?);
                }
                call(name, vals)?
            }
        })
    }

    /// The classic text of this expression; `quote` says a variable stands where strings are compared.
    fn describe(&self, quote: bool) -> String {
        match self {
            Ast::Lit(Value::Str(s)) => format!("\"{s}\""),
            Ast::Lit(v) => v.to_string(),
            Ast::Var(path) if quote => format!("\"{{{{{}}}}}\"", path.join(".")),
            Ast::Var(path) => format!("{{{{{}}}}}", path.join(".")),
            Ast::Call(f, args) if (f == "asFloat" || f == "asInt") && args.len() == 1 => args[0].describe(false),
            Ast::Call(f, args) => {
                format!("{f}({})", args.iter().map(|a| a.describe(false)).collect::<Vec<_>>().join(", "))
            }
            Ast::Not(a) => format!("!({})", a.describe(false)),
            // A number guard is left out: `(x matches N) && rest` reads as `rest`.
            Ast::Bin("&&", a, b) if a.is_guard() => b.describe(quote),
            Ast::Bin(op @ ("&&" | "||"), a, b) => format!("({}) {op} ({})", a.describe(false), b.describe(false)),
            Ast::Bin(op, a, b) => {
                let strings = !matches!(**a, Ast::Call(..) | Ast::Lit(Value::Int(_) | Value::Float(_)));
                format!("{} {op} {}", a.describe(strings), b.describe(strings))
            }
        }
    }

    fn is_guard(&self) -> bool {
        match self {
            Ast::Bin("matches", _, p) => **p == Ast::Lit(Value::Str(NUMBER_PATTERN.to_owned())),
            Ast::Bin("&&", a, b) => a.is_guard() && b.is_guard(),
            _ => false,
        }
    }
}

fn call(name: &str, args: Vec<Value>) -> Result<Value, String> {
    let one = |args: &[Value]| match args {
        [v] => Ok(v.clone()),
        _ => Err(format!("`{name}` takes one argument")),
    };
    Ok(match name {
        "asFloat" => match one(&args)? {
            Value::Str(s) => Value::Float(s.parse().map_err(|_| format!("asFloat: `{s}` is not a number"))?),
            v => Value::Float(as_f64(&v).ok_or_else(|| format!("asFloat of {v:?}"))?),
        },
        "asInt" => match one(&args)? {
            Value::Str(s) => Value::Int(s.parse().map_err(|_| format!("asInt: `{s}` is not an integer"))?),
            Value::Int(i) => Value::Int(i),
            Value::Float(x) => Value::Int(x as i64),
            v => return Err(format!("asInt of {v:?}")),
        },
        "toJson" => Value::Str(match one(&args)? {
            Value::Str(s) => serde_json::Value::String(s).to_string(),
            Value::Int(i) => i.to_string(),
            Value::Float(x) => serde_json::Number::from_f64(x).map_or("null".to_owned(), |n| n.to_string()),
            Value::Bool(b) => b.to_string(),
        }),
        "sprig.replace" => match args.as_slice() {
            [Value::Str(old), Value::Str(new), Value::Str(src)] => Value::Str(src.replace(old.as_str(), new)),
            _ => return Err("`sprig.replace` takes three strings (old, new, text)".to_owned()),
        },
        other => return Err(format!("unknown function `{other}`")),
    })
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
