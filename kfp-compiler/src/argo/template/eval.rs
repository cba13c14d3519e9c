//! Evaluating an expression's syntax tree over values, as Argo does: comparisons, `+`, `matches`,
//! `&& || !`, and the functions `asInt`, `asFloat`, `toJson` and `sprig.replace`.

use super::parse::Ast;
use super::{NUMBER_PATTERN, Value, is_number};

fn as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Float(x) => Some(*x),
        _ => None,
    }
}

impl Ast {
    pub(super) fn eval(&self, lookup: &mut dyn FnMut(&str) -> Option<String>) -> Result<Value, String> {
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
    pub(super) fn describe(&self, quote: bool) -> String {
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
