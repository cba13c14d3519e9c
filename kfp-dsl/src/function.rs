//! Rust function components: what the pipeline binary's `component` subcommand hands a component's
//! body when it runs as a step, and how the body's return value becomes output parameters.

use std::fmt::Display;

use crate::dag::OutputFactory;
use crate::handles::{Input, Output, Param};
use crate::model::{Invocation, make_parent};
use crate::types::ParamType;

/// The typed reads of an invocation, for generated code.
impl Invocation {
    /// The value of parameter `name`, parsed as a `T`. Lists collected from a loop arrive as JSON
    /// lists of strings (Argo's aggregated outputs); their elements are parsed as `T` too.
    ///
    /// # Errors
    /// A missing parameter, or a value that is not a `T`.
    pub fn param<T: ParamType>(&self, name: &str) -> Result<T, String> {
        let v = self.params.get(name).ok_or_else(|| format!("missing parameter `{name}`"))?;
        T::__parse_param(v).map_err(|e| format!("parameter `{name}`: `{v}` is not a valid {}: {e}", T::KFP_TYPE))
    }

    /// Input artifact `name`. A list input given as the KFP v2 executor input (`{{$}}`, a JSON object)
    /// becomes a directory of links to the list's artifacts, in list order (see
    /// [`crate::artifact_list`]).
    ///
    /// # Errors
    /// A missing input, or an executor input that does not hold the list.
    pub fn input<K>(&self, name: &str) -> Result<Input<K>, String> {
        let path = self.inputs.get(name).ok_or_else(|| format!("missing input `{name}`"))?;
        let text = path.to_string_lossy();
        if text.trim_start().starts_with('{') {
            let parent = std::env::temp_dir().join(format!("kfp-artifact-lists-{}", std::process::id()));
            let dir = crate::artifact_list::list_dir_from_executor_input(&text, name, &parent)
                .map_err(|e| format!("input `{name}`: {e}"))?;
            return Ok(Input::at(dir));
        }
        Ok(Input::at(path))
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
    use std::path::PathBuf;

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
    fn a_list_input_given_as_the_executor_input_links_the_launchers_paths() {
        let executor_input = r#"{"inputs":{"artifacts":{"shards":{"artifacts":[
            {"uri":"minio://mlpipeline/v2/a/shard"},{"uri":"gs://b/c/shard"}]}}}}"#;
        let inv = Invocation::parse(&args(&["--input", "shards", executor_input])).unwrap();
        let shards = inv.input::<Vec<crate::Dataset>>("shards").unwrap();
        let targets: Vec<PathBuf> = shards.paths().unwrap().iter().map(|p| std::fs::read_link(p).unwrap()).collect();
        assert_eq!(targets, [PathBuf::from("/minio/mlpipeline/v2/a/shard"), PathBuf::from("/gcs/b/c/shard")]);
        let bad = Invocation::parse(&args(&["--input", "shards", r#"{"inputs":{}}"#])).unwrap();
        assert_eq!(
            bad.input::<Vec<crate::Dataset>>("shards").unwrap_err(),
            "input `shards`: the executor input has no artifact list `shards`"
        );
        // A plain path stays a path (Argo and the local runner give the list as a directory).
        assert_eq!(inv.input::<crate::Dataset>("shards").map(|_| ()), Ok(()));
        let dir = Invocation::parse(&args(&["--input", "shards", "/tmp/inputs/shards/data"])).unwrap();
        assert_eq!(
            dir.input::<Vec<crate::Dataset>>("shards").unwrap().path(),
            PathBuf::from("/tmp/inputs/shards/data")
        );
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
