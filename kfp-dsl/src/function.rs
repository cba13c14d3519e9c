//! Rust function components: what the pipeline binary's `component` subcommand hands a component's
//! body when it runs as a step, and how the body's return value becomes output parameters.

use std::collections::BTreeMap;
use std::fmt::Display;
use std::path::{Path, PathBuf};

use crate::dag::OutputFactory;
use crate::handles::{Input, Output, Param};
use crate::types::ParamType;

/// Runs a function component's body with the values of one invocation.
pub type Executor = fn(&Invocation) -> Result<(), String>;

/// One run of a function component: its parameter values, and the paths of its input and output
/// artifacts and of its output parameters' files. Parsed from the `component` subcommand's arguments:
/// `--param NAME VALUE`, `--input NAME PATH`, `--output NAME PATH`, `--output-param NAME PATH`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Invocation {
    params: BTreeMap<String, String>,
    inputs: BTreeMap<String, PathBuf>,
    outputs: BTreeMap<String, PathBuf>,
    output_params: BTreeMap<String, PathBuf>,
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
    pub fn check_inputs(&self, spec: &crate::ComponentSpec) -> Result<(), String> {
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

    /// The value of parameter `name`, parsed as a `T`. Lists collected from a loop arrive as JSON
    /// lists of strings (Argo's aggregated outputs); their elements are parsed as `T` too.
    ///
    /// # Errors
    /// A missing parameter, or a value that is not a `T`.
    pub fn param<T: ParamType>(&self, name: &str) -> Result<T, String> {
        let v = self.params.get(name).ok_or_else(|| format!("missing parameter `{name}`"))?;
        T::__parse_param(v).map_err(|e| format!("parameter `{name}`: `{v}` is not a valid {}: {e}", T::KFP_TYPE))
    }

    /// Input artifact `name`.
    ///
    /// # Errors
    /// A missing input.
    pub fn input<K>(&self, name: &str) -> Result<Input<K>, String> {
        self.inputs.get(name).map(Input::at).ok_or_else(|| format!("missing input `{name}`"))
    }

    /// Output artifact `name`; its directory is created.
    ///
    /// # Errors
    /// A missing output, or a directory that cannot be created.
    pub fn output<K>(&self, name: &str) -> Result<Output<K>, String> {
        let path = self.outputs.get(name).ok_or_else(|| format!("missing output `{name}`"))?;
        make_parent(path)?;
        Ok(Output::at(path))
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

fn make_parent(path: &Path) -> Result<(), String> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => {
            std::fs::create_dir_all(dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))
        }
        _ => Ok(()),
    }
}

/// What a function component may return: `()`, a parameter value `T` (the task's `.output`), a struct
/// with `#[derive(Outputs)]` (one output per field), or any of them inside a `Result` whose error is
/// shown when the step fails.
#[diagnostic::on_unimplemented(
    message = "a component cannot return `{Self}`",
    note = "return `()`, a parameter type (`f64`, `String`, ...), a struct with `#[derive(Outputs)]`, or one of them inside a `Result`"
)]
pub trait ComponentReturn {
    /// The task handle's output parameters.
    type Handles: Copy;

    /// The output parameters: `(name, kfp type)`.
    #[doc(hidden)]
    fn __ports(out: &mut Vec<(&'static str, &'static str)>);

    /// Writes the value's outputs for the executor, or gives the body's error.
    #[doc(hidden)]
    fn __write(self, inv: &Invocation) -> Result<(), String>;

    /// The output handles of a task, the first at port `first`.
    #[doc(hidden)]
    fn __handles(f: &OutputFactory, first: u32) -> Self::Handles;
}

impl ComponentReturn for () {
    type Handles = ();
    fn __ports(_: &mut Vec<(&'static str, &'static str)>) {}
    fn __write(self, _: &Invocation) -> Result<(), String> {
        Ok(())
    }
    fn __handles(_: &OutputFactory, _: u32) {}
}

/// The output of a component that returns one value: `task.output`.
pub struct Single<T> {
    /// The returned value.
    pub output: Param<T>,
}

// By hand: a derive would ask `T: Debug` of every returned type, which a handle never needs.
impl<T> std::fmt::Debug for Single<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Single").field("output", &self.output).finish()
    }
}

impl<T> Clone for Single<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Single<T> {}

#[diagnostic::do_not_recommend]
impl<T: ParamType> ComponentReturn for T {
    type Handles = Single<T>;
    fn __ports(out: &mut Vec<(&'static str, &'static str)>) {
        out.push(("output", T::KFP_TYPE));
    }
    fn __write(self, inv: &Invocation) -> Result<(), String> {
        inv.write_param("output", &self.__to_param_string())
    }
    fn __handles(f: &OutputFactory, first: u32) -> Single<T> {
        Single { output: f.param(first) }
    }
}

#[diagnostic::do_not_recommend]
impl<R: ComponentReturn, E: Display> ComponentReturn for Result<R, E> {
    type Handles = R::Handles;
    fn __ports(out: &mut Vec<(&'static str, &'static str)>) {
        R::__ports(out);
    }
    fn __write(self, inv: &Invocation) -> Result<(), String> {
        match self {
            Ok(r) => r.__write(inv),
            Err(e) => Err(e.to_string()),
        }
    }
    fn __handles(f: &OutputFactory, first: u32) -> R::Handles {
        R::__handles(f, first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn invocations_parse_and_check_types() {
        let inv =
            Invocation::parse(&args(&["--param", "n", "3", "--param", "xs", r#"["0.5","1"]"#, "--input", "d", "/x"]))
                .unwrap();
        assert_eq!(inv.param::<u32>("n").unwrap(), 3);
        assert_eq!(inv.param::<Vec<f64>>("xs").unwrap(), vec![0.5, 1.0], "aggregated strings parse");
        assert!(inv.param::<u32>("missing").unwrap_err().contains("missing parameter `missing`"));
        assert!(inv.param::<bool>("n").unwrap_err().contains("is not a valid Boolean"));
        assert_eq!(inv.input::<crate::Dataset>("d").unwrap().path(), PathBuf::from("/x"));
        assert!(Invocation::parse(&args(&["--nope", "a", "b"])).unwrap_err().contains("unknown argument"));
        assert!(Invocation::parse(&args(&["--param", "a"])).unwrap_err().contains("needs a name and a value"));
    }

    #[test]
    fn a_name_given_twice_is_an_error() {
        let e = Invocation::parse(&args(&["--param", "n", "3", "--param", "n", "4"])).unwrap_err();
        assert_eq!(e, "`--param n` is given twice: give each name once");
        let e = Invocation::parse(&args(&["--input", "d", "/x", "--input", "d", "/y"])).unwrap_err();
        assert_eq!(e, "`--input d` is given twice: give each name once");
        // The same name as a parameter and as an output parameter is two different things.
        assert!(Invocation::parse(&args(&["--param", "n", "3", "--output-param", "n", "/o"])).is_ok());
    }

    #[test]
    fn names_are_checked_against_the_components_inputs() {
        let spec = crate::ComponentSpec::new("train", None)
            .input_param::<u32>("epochs", None)
            .input_artifact::<crate::Dataset>("data", None);
        let ok = Invocation::parse(&args(&["--param", "epochs", "3", "--input", "data", "/d"])).unwrap();
        assert_eq!(ok.check_inputs(&spec), Ok(()));
        let e = Invocation::parse(&args(&["--param", "epoch", "3"])).unwrap().check_inputs(&spec).unwrap_err();
        assert_eq!(e, "unknown `--param epoch`: component `train` has inputs `epochs`, `data`");
        let e = Invocation::parse(&args(&["--param", "data", "3"])).unwrap().check_inputs(&spec).unwrap_err();
        assert_eq!(e, "input `data` is an artifact: give its path with `--input data PATH`");
        let e = Invocation::parse(&args(&["--input", "epochs", "/e"])).unwrap().check_inputs(&spec).unwrap_err();
        assert_eq!(e, "input `epochs` is a parameter: give its value with `--param epochs VALUE`");
    }
}
