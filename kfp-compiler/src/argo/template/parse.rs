//! The subset of Argo's expression language the compiler emits, read into a syntax tree: tokens,
//! string literals with their escapes, and precedence.

use super::Value;

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
pub(super) enum Ast {
    Lit(Value),
    Var(Vec<String>),
    Call(String, Vec<Ast>),
    Not(Box<Ast>),
    Bin(&'static str, Box<Ast>, Box<Ast>),
}

pub(super) fn parse(s: &str) -> Result<Ast, String> {
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
