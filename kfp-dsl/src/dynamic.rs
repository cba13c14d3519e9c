//! Components known only at run time (a component.yaml loaded from a file or a string): called with
//! named arguments, checked when the pipeline is built.

use crate::artifact::ArtifactKind;
use crate::dag::{Dag, Task};
use crate::error::{BuildError, SourceLocation};
use crate::handles::{Artifact, Param};
use crate::loops::LoopItem;
use crate::model::{ArgValue, ArtifactSrc, ComponentId, ComponentSpec, IoKind, ValueSrc};
use crate::types::ParamType;

/// A named argument of a component loaded at run time: a `Param<T>`, a loop item, an `Artifact<K>`,
/// or a literal (`3`, `0.5`, `"text"`, `true`).
#[derive(Clone, Debug)]
pub struct DynArg {
    value: ArgValue,
    /// The kfp type of the value (`Integer`, `Dataset`, ...); `None` for text literals, which are
    /// checked by parsing them as the input's type.
    type_name: Option<&'static str>,
    artifact: bool,
    /// A list of artifacts (what a loop collected).
    list: bool,
}

impl DynArg {
    /// The kfp type of the value, if known.
    pub(crate) fn kfp_type(&self) -> Option<&'static str> {
        self.type_name
    }

    /// The text of a literal argument.
    pub(crate) fn literal_text(&self) -> Option<&str> {
        match &self.value {
            ArgValue::Const(text) => Some(text),
            _ => None,
        }
    }
}

impl<T: ParamType> From<Param<T>> for DynArg {
    fn from(p: Param<T>) -> Self {
        DynArg { value: ArgValue::Param(p.src), type_name: Some(T::KFP_TYPE), artifact: false, list: false }
    }
}

impl<T: ParamType> From<LoopItem<'_, T>> for DynArg {
    fn from(p: LoopItem<'_, T>) -> Self {
        DynArg { value: ArgValue::Param(p.src()), type_name: Some(T::KFP_TYPE), artifact: false, list: false }
    }
}

impl<K: ArtifactKind> From<Artifact<K>> for DynArg {
    fn from(a: Artifact<K>) -> Self {
        DynArg { value: a.src.arg(), type_name: Some(K::KFP_TYPE), artifact: true, list: K::LIST }
    }
}

impl<T: ParamType> From<T> for DynArg {
    fn from(v: T) -> Self {
        DynArg {
            value: ArgValue::Const(v.__to_param_string()),
            type_name: Some(T::KFP_TYPE),
            artifact: false,
            list: false,
        }
    }
}

impl From<&str> for DynArg {
    fn from(v: &str) -> Self {
        DynArg { value: ArgValue::Const(v.to_owned()), type_name: None, artifact: false, list: false }
    }
}

/// The outputs of a task calling a component loaded at run time: `task.output::<T>("name")`,
/// `task.artifact::<K>("name")`.
#[derive(Clone, Copy, Debug)]
pub struct DynOutputs {
    pub(crate) component: ComponentId,
}

/// Whether a value of kfp type `given` may feed an input declared `declared`.
fn compatible(declared: &str, given: &str) -> bool {
    fn norm(t: &str) -> &str {
        match t {
            "Boolean" => "Bool",
            "JSON" => "",
            other => other,
        }
    }
    let (d, g) = (norm(declared), norm(given));
    d == g || d.is_empty() || g.is_empty() || d == "Artifact" || g == "Artifact"
}

/// Checks that a text literal parses as a value of kfp type `t`.
fn literal_fits(t: &str, text: &str) -> bool {
    match t {
        "Integer" => text.trim().parse::<i64>().is_ok(),
        "Float" => text.trim().parse::<f64>().is_ok(),
        "Bool" | "Boolean" => matches!(text.trim(), "true" | "false" | "True" | "False"),
        "JsonArray" => serde_json::from_str::<Vec<serde_json::Value>>(text).is_ok(),
        "JsonObject" => serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text).is_ok(),
        _ => true,
    }
}

impl Dag {
    /// Calls a component known only at run time (for example from `kfp::load_component_file`) with
    /// named arguments. An unknown input, a missing required input, a value of another type, or a
    /// value where a file is expected is an error naming this line when the pipeline is built;
    /// optional inputs left out take their defaults.
    #[track_caller]
    pub fn call_component<'a, 'n>(
        &'a self,
        spec: &ComponentSpec,
        args: impl IntoIterator<Item = (&'n str, DynArg)>,
    ) -> Task<'a, DynOutputs> {
        self.call_component_at(spec, args, SourceLocation::caller())
    }

    pub(crate) fn call_component_at<'a, 'n>(
        &'a self,
        spec: &ComponentSpec,
        args: impl IntoIterator<Item = (&'n str, DynArg)>,
        location: SourceLocation,
    ) -> Task<'a, DynOutputs> {
        let mut given: Vec<(&str, DynArg)> = args.into_iter().collect();
        let mut problems = Vec::new();
        let mut values = Vec::with_capacity(spec.inputs.len());
        for input in &spec.inputs {
            let Some(pos) = given.iter().position(|(n, _)| *n == input.name) else {
                if !input.optional && input.default.is_none() {
                    problems.push(format!("missing required input `{}`", input.name));
                }
                values.push(ArgValue::Absent);
                continue;
            };
            let (_, arg) = given.remove(pos);
            let declared = input.kind.type_name();
            match (&input.kind, arg.artifact) {
                (IoKind::Artifact { .. }, false) => {
                    problems.push(format!("input `{}` is a file ({declared}): pass an artifact", input.name))
                }
                (IoKind::Parameter { .. }, true) => problems
                    .push(format!("input `{}` is a value ({declared}): pass a parameter, not an artifact", input.name)),
                (IoKind::Artifact { list: true, .. }, true) if !arg.list => problems.push(format!(
                    "input `{}` is a list of artifacts ({declared}): pass the `Artifact<Vec<_>>` a loop collected, \
                     not one artifact",
                    input.name
                )),
                (IoKind::Artifact { list: false, .. }, true) if arg.list => problems.push(format!(
                    "input `{}` is one artifact ({declared}): pass one artifact, not a list a loop collected",
                    input.name
                )),
                _ => {}
            }
            match (arg.type_name, &arg.value) {
                (Some(t), _) if !compatible(declared, t) => {
                    problems.push(format!("input `{}` is {declared}, but gets a {t}", input.name));
                }
                (None, ArgValue::Const(text)) if !literal_fits(declared, text) => {
                    problems.push(format!("input `{}` is {declared}: `{text}` is not one", input.name));
                }
                _ => {}
            }
            values.push(arg.value);
        }
        let mut twice: Vec<&str> = Vec::new();
        for (name, _) in given {
            if spec.inputs.iter().any(|i| i.name == name) {
                // Matched above already: this is a second value for it.
                if !twice.contains(&name) {
                    problems.push(format!("input `{name}` given twice: give each input once"));
                    twice.push(name);
                }
                continue;
            }
            let known: Vec<String> = spec.inputs.iter().map(|i| format!("`{}`", i.name)).collect();
            problems.push(format!("unknown input `{name}` (inputs: {})", known.join(", ")));
        }
        if !problems.is_empty() {
            self.push_error(BuildError::InvalidCall { location, component: spec.name.clone(), problems });
        }
        let component = self.dynamic_component(spec, location);
        let task = self.add_component_call(component, location, values);
        self.task_handle(task, DynOutputs { component })
    }
}

impl<'a> Task<'a, DynOutputs> {
    /// Output parameter `name`, as a `Param<T>`; an unknown output or another type is an error
    /// naming this line.
    #[track_caller]
    pub fn output<T: ParamType>(&self, name: &str) -> Param<T> {
        self.output_at(name, SourceLocation::caller())
    }

    pub(crate) fn output_at<T: ParamType>(&self, name: &str, location: SourceLocation) -> Param<T> {
        let port = self.dyn_port(name, false, T::KFP_TYPE, location);
        Param::from_src(ValueSrc::TaskOutput { dag: self.dag_id(), task: self.id(), port })
    }

    /// Output artifact `name`, as an `Artifact<K>`; an unknown output or another kind is an error
    /// naming this line.
    #[track_caller]
    pub fn artifact<K: ArtifactKind>(&self, name: &str) -> Artifact<K> {
        // A task's output is one artifact: a list comes only from a loop.
        let type_name = if K::LIST { "a list of artifacts" } else { K::KFP_TYPE };
        let port = self.dyn_port(name, true, type_name, SourceLocation::caller());
        Artifact::from_src(ArtifactSrc { dag: self.dag_id(), task: self.id(), port })
    }

    fn dyn_port(&self, name: &str, artifact: bool, type_name: &str, location: SourceLocation) -> u32 {
        let component = self.outputs_ref().component;
        self.dag_ref().check_output(component, name, artifact, type_name, location)
    }
}

impl Dag {
    fn check_output(
        &self,
        component: ComponentId,
        name: &str,
        artifact: bool,
        type_name: &str,
        location: SourceLocation,
    ) -> u32 {
        let (port, problem) = self.with_component(component, |spec| {
            let Some(port) = spec.outputs.iter().position(|o| o.name == name) else {
                let known: Vec<String> = spec.outputs.iter().map(|o| format!("`{}`", o.name)).collect();
                return (0, Some(format!("no output `{name}` (outputs: {})", known.join(", "))));
            };
            let o = &spec.outputs[port];
            let problem = if o.kind.is_artifact() != artifact {
                Some(format!(
                    "output `{name}` is {}, read it with `.{}(..)`",
                    if o.kind.is_artifact() { "an artifact" } else { "a parameter" },
                    if o.kind.is_artifact() { "artifact" } else { "output" }
                ))
            } else if !compatible(o.kind.type_name(), type_name) {
                Some(format!("output `{name}` is {}, not {type_name}", o.kind.type_name()))
            } else {
                None
            };
            (port as u32, problem)
        });
        if let Some(p) = problem {
            let component = self.with_component(component, |s| s.name.clone());
            self.push_error(BuildError::InvalidCall { location, component, problems: vec![p] });
        }
        port
    }
}
