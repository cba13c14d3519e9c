//! One run of a Rust function component: the values and paths of the `component` subcommand.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Runs a function component's body with the values of one invocation.
pub type Executor = fn(&Invocation) -> Result<(), String>;

/// One run of a function component: its parameter values, and the paths of its input and output
/// artifacts and of its output parameters' files. Parsed from the `component` subcommand's arguments:
/// `--param NAME VALUE`, `--input NAME PATH`, `--output NAME PATH`, `--output-param NAME PATH`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Invocation {
    pub(crate) params: BTreeMap<String, String>,
    pub(crate) inputs: BTreeMap<String, PathBuf>,
    pub(crate) outputs: BTreeMap<String, PathBuf>,
    pub(crate) output_params: BTreeMap<String, PathBuf>,
}

impl Invocation {
    /// Parses the arguments after `component NAME`.
    ///
    /// # Errors
    /// An unknown flag, a flag without its name and value, or a name given twice with the same flag.
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut inv = Invocation::default();
        let mut it = args.iter();
        while let Some(flag) = it.next() {
            let (Some(name), Some(value)) = (it.next(), it.next()) else {
                return Err(format!("`{flag}` needs a name and a value"));
            };
            let (name, value) = (name.clone(), value.clone());
            let twice = match flag.as_str() {
                "--param" => inv.params.insert(name.clone(), value).is_some(),
                "--input" => inv.inputs.insert(name.clone(), value.into()).is_some(),
                "--output" => inv.outputs.insert(name.clone(), value.into()).is_some(),
                "--output-param" => inv.output_params.insert(name.clone(), value.into()).is_some(),
                other => {
                    return Err(format!(
                        "unknown argument `{other}`; expected `--param`, `--input`, `--output` or `--output-param`"
                    ));
                }
            };
            if twice {
                return Err(format!("`{flag} {name}` is given twice: give each name once"));
            }
        }
        Ok(inv)
    }

    /// Checks the names of `--param` and `--input` against `spec`'s inputs: a parameter input is
    /// given with `--param`, an artifact input with `--input`, and nothing else is given.
    ///
    /// # Errors
    /// The first name that is not an input of `spec` (the message lists its inputs), or an input
    /// given with the other flag.
    pub fn check_inputs(&self, spec: &crate::model::ComponentSpec) -> Result<(), String> {
        let listed = || {
            let names: Vec<String> = spec.inputs.iter().map(|i| format!("`{}`", i.name)).collect();
            if names.is_empty() { "no inputs".to_owned() } else { format!("inputs {}", names.join(", ")) }
        };
        let given = self.params.keys().map(|n| ("--param", n)).chain(self.inputs.keys().map(|n| ("--input", n)));
        for (flag, name) in given {
            match spec.inputs.iter().find(|i| i.name == *name) {
                None => {
                    return Err(format!("unknown `{flag} {name}`: component `{}` has {}", spec.name, listed()));
                }
                Some(i) if i.kind.is_artifact() && flag == "--param" => {
                    return Err(format!("input `{name}` is an artifact: give its path with `--input {name} PATH`"));
                }
                Some(i) if !i.kind.is_artifact() && flag == "--input" => {
                    return Err(format!("input `{name}` is a parameter: give its value with `--param {name} VALUE`"));
                }
                Some(_) => {}
            }
        }
        Ok(())
    }

    /// Writes output parameter `name`.
    ///
    /// # Errors
    /// A missing output, or a file that cannot be written.
    pub fn write_param(&self, name: &str, value: &str) -> Result<(), String> {
        let path = self.output_params.get(name).ok_or_else(|| format!("missing output parameter `{name}`"))?;
        make_parent(path)?;
        std::fs::write(path, value).map_err(|e| format!("cannot write output `{name}` to `{}`: {e}", path.display()))
    }
}

pub(crate) fn make_parent(path: &Path) -> Result<(), String> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => {
            std::fs::create_dir_all(dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))
        }
        _ => Ok(()),
    }
}
