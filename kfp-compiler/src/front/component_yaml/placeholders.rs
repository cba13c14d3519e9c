//! The placeholders of a component.yaml's command, arguments and env (`inputValue`, `inputPath`,
//! `outputPath`, `concat`, `if`, `isPresent`) as [`Arg`]s, checked against the declared inputs and outputs.

use kfp_dsl::Arg;
use serde_json::Value;

use super::io::Io;
use super::{ComponentFileError, err};

pub(super) struct Ctx<'a> {
    pub(super) inputs: &'a [Io],
    pub(super) outputs: &'a [Io],
    pub(super) at: Option<(u64, u64)>,
}

impl Ctx<'_> {
    fn input(&self, v: &Value, what: &str) -> Result<String, ComponentFileError> {
        let Value::String(n) = v else { return err(self.at, format!("`{what}` takes an input's name")) };
        if self.inputs.iter().any(|i| &i.name == n) {
            return Ok(n.clone());
        }
        if self.outputs.iter().any(|o| &o.name == n) {
            return err(self.at, format!("`{what}: {n}` names an output; use `outputPath` for outputs"));
        }
        err(self.at, format!("`{what}: {n}` names no input (inputs: {})", names(self.inputs)))
    }

    pub(super) fn placeholder(&self, v: &Value) -> Result<Arg, ComponentFileError> {
        match v {
            Value::String(s) => Ok(Arg::Lit(s.clone())),
            Value::Number(n) => Ok(Arg::Lit(n.to_string())),
            Value::Bool(b) => Ok(Arg::Lit(b.to_string())),
            Value::Object(m) if m.len() == 1 => {
                let (k, v) = m.iter().next().map(|(k, v)| (k.as_str(), v)).unwrap_or(("", v));
                match k {
                    "inputValue" => Ok(Arg::InputValue(self.input(v, k)?)),
                    "inputPath" => Ok(Arg::InputPath(self.input(v, k)?)),
                    "isPresent" => Ok(Arg::IsPresent(self.input(v, k)?)),
                    "outputPath" => {
                        let Value::String(n) = v else { return err(self.at, "`outputPath` takes an output's name") };
                        if self.outputs.iter().any(|o| &o.name == n) {
                            Ok(Arg::OutputPath(n.clone()))
                        } else if self.inputs.iter().any(|i| &i.name == n) {
                            err(
                                self.at,
                                format!("`outputPath: {n}` names an input; use `inputPath` or `inputValue` for inputs"),
                            )
                        } else {
                            err(
                                self.at,
                                format!("`outputPath: {n}` names no output (outputs: {})", names(self.outputs)),
                            )
                        }
                    }
                    "concat" => {
                        let Value::Array(parts) = v else { return err(self.at, "`concat` takes a list") };
                        Ok(Arg::Concat(parts.iter().map(|p| self.placeholder(p)).collect::<Result<_, _>>()?))
                    }
                    "if" => {
                        let Value::Object(f) = v else { return err(self.at, "`if` takes `cond`, `then` and `else`") };
                        for key in f.keys() {
                            if !matches!(key.as_str(), "cond" | "then" | "else") {
                                return err(
                                    self.at,
                                    format!("unknown field `{key}` in `if`; expected `cond`, `then`, `else`"),
                                );
                            }
                        }
                        let Some(cond) = f.get("cond") else { return err(self.at, "`if` without `cond`") };
                        let branch = |key: &str| -> Result<Vec<Arg>, ComponentFileError> {
                            match f.get(key) {
                                None => Ok(Vec::new()),
                                Some(Value::Array(items)) => items.iter().map(|i| self.placeholder(i)).collect(),
                                Some(single) => Ok(vec![self.placeholder(single)?]),
                            }
                        };
                        Ok(Arg::If {
                            cond: Box::new(self.placeholder(cond)?),
                            then: branch("then")?,
                            otherwise: branch("else")?,
                        })
                    }
                    other => err(
                        self.at,
                        format!(
                            "unknown placeholder `{other}`; expected inputValue, inputPath, outputPath, concat, if or isPresent"
                        ),
                    ),
                }
            }
            other => err(self.at, format!("`{other}` is not a command-line argument or placeholder")),
        }
    }
}

fn names(list: &[Io]) -> String {
    if list.is_empty() {
        "none".to_owned()
    } else {
        list.iter().map(|i| format!("`{}`", i.name)).collect::<Vec<_>>().join(", ")
    }
}
