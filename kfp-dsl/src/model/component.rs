//! `ComponentSpec`: the type-erased description of a component (kfp v1's component.yaml model).

use crate::model::{Arg, ContainerSpec};

/// Whether an input or output is a parameter (a small value) or an artifact (a file or directory).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum IoKind {
    /// A parameter of kfp type `type_name` (`String`, `Integer`, ...).
    Parameter {
        /// The kfp type name.
        type_name: String,
    },
    /// An artifact of kfp type `type_name` (`Dataset`, `Model`, ...), or a list of them (`list`: an
    /// input declared `Input<Vec<K>>`, fed by a loop's collected artifacts; kfp's `isArtifactList`).
    Artifact {
        /// The kfp type name (of one element for a list).
        type_name: String,
        /// A list of artifacts, one per iteration of the loop that collected them.
        list: bool,
    },
}

impl IoKind {
    /// The kfp type name.
    pub fn type_name(&self) -> &str {
        match self {
            IoKind::Parameter { type_name } | IoKind::Artifact { type_name, .. } => type_name,
        }
    }

    /// Whether this is an artifact.
    pub fn is_artifact(&self) -> bool {
        matches!(self, IoKind::Artifact { .. })
    }

    /// Whether this is a list of artifacts (`Input<Vec<K>>`).
    pub fn is_artifact_list(&self) -> bool {
        matches!(self, IoKind::Artifact { list: true, .. })
    }
}

/// One input of a component.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct InputSpec {
    /// The input's name (a Rust identifier for macro-made components).
    pub name: String,
    /// Parameter or artifact, and its type.
    pub kind: IoKind,
    /// From the doc comment on the argument.
    pub description: Option<String>,
    /// The default value (parameters only), as a parameter string.
    pub default: Option<String>,
    /// Whether the caller may leave it out.
    pub optional: bool,
}

/// One output of a component.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct OutputSpec {
    /// The output's name.
    pub name: String,
    /// Parameter or artifact, and its type.
    pub kind: IoKind,
    /// From the doc comment on the argument or field.
    pub description: Option<String>,
}

/// How a component runs.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Implementation {
    /// A container.
    Container(ContainerSpec),
    /// A Rust function, run by the pipeline binary's `component` subcommand in the image.
    Function(FunctionSpec),
    /// A Kubernetes object created, changed, deleted or read by Argo (no container of ours).
    Resource(crate::model::ResourceSpec),
    /// An artifact from outside the pipeline (an importer, or a value passed as a file): nothing runs.
    Import(crate::model::ImportSpec),
    /// A step that waits for a person or a duration (Argo `suspend`); no container runs.
    Suspend(crate::model::SuspendSpec),
}

/// A Rust function component's implementation. Two are equal when their images are: the executor's
/// address says nothing reliable about which function it is.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct FunctionSpec {
    /// The image holding the pipeline binary (`None`: the pipeline's default image).
    pub image: Option<String>,
    /// Runs the body.
    pub run: crate::model::Executor,
}

impl PartialEq for FunctionSpec {
    fn eq(&self, other: &Self) -> bool {
        self.image == other.image
    }
}

impl Eq for FunctionSpec {}

impl std::hash::Hash for FunctionSpec {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.image.hash(state);
    }
}

/// A component: name, description, typed inputs and outputs, and its implementation.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ComponentSpec {
    /// The component's name (the Rust function's name for macro-made components).
    pub name: String,
    /// From the doc comment.
    pub description: Option<String>,
    /// Inputs, in signature order.
    pub inputs: Vec<InputSpec>,
    /// Outputs, in signature order.
    pub outputs: Vec<OutputSpec>,
    /// How it runs.
    pub implementation: Implementation,
    /// `metadata.annotations` of a component.yaml.
    pub annotations: std::collections::BTreeMap<String, String>,
    /// `metadata.labels` of a component.yaml.
    pub labels: std::collections::BTreeMap<String, String>,
}

impl ComponentSpec {
    /// An empty container component named `name`; add inputs and outputs, then the container.
    pub fn new(name: impl Into<String>, description: Option<&str>) -> Self {
        ComponentSpec {
            name: name.into(),
            description: description.map(str::to_owned),
            inputs: Vec::new(),
            outputs: Vec::new(),
            implementation: Implementation::Container(ContainerSpec::default()),
            annotations: std::collections::BTreeMap::new(),
            labels: std::collections::BTreeMap::new(),
        }
    }

    /// Whether the container depends on the call (`if` / `isPresent`), so calls may need different
    /// templates.
    pub fn is_conditional(&self) -> bool {
        self.container_spec().is_some_and(|c| c.all_args().any(Arg::is_conditional))
    }

    /// The container one call runs: `if` and `isPresent` resolved.
    ///
    /// # Errors
    /// A condition that is not known when the pipeline is built.
    pub fn container_for(&self, call: &dyn crate::model::CallFacts) -> Result<Option<ContainerSpec>, String> {
        let Some(c) = self.container_spec() else { return Ok(None) };
        let mut out = c.clone();
        out.command = crate::model::resolve_args(&c.command, call)?;
        out.args = crate::model::resolve_args(&c.args, call)?;
        out.env = Vec::with_capacity(c.env.len());
        for (k, v) in &c.env {
            out.env.push((k.clone(), Arg::concat(crate::model::resolve_args(std::slice::from_ref(v), call)?)));
        }
        Ok(Some(out))
    }

    pub(crate) fn with_input(mut self, name: &str, kind: IoKind, description: Option<&str>) -> Self {
        let description = description.map(str::to_owned);
        self.inputs.push(InputSpec { name: name.to_owned(), kind, description, default: None, optional: false });
        self
    }

    pub(crate) fn with_output(mut self, name: &str, kind: IoKind, description: Option<&str>) -> Self {
        self.outputs.push(OutputSpec { name: name.to_owned(), kind, description: description.map(str::to_owned) });
        self
    }

    /// The resource step, for resource components.
    pub fn resource_spec(&self) -> Option<&crate::model::ResourceSpec> {
        match &self.implementation {
            Implementation::Resource(r) => Some(r),
            _ => None,
        }
    }

    /// What an import component brings in.
    pub fn import_spec(&self) -> Option<&crate::model::ImportSpec> {
        match &self.implementation {
            Implementation::Import(i) => Some(i),
            _ => None,
        }
    }

    /// The suspend step, for approvals and pauses.
    pub fn suspend_spec(&self) -> Option<&crate::model::SuspendSpec> {
        match &self.implementation {
            Implementation::Suspend(s) => Some(s),
            _ => None,
        }
    }

    /// Sets the container; `default_image` applies when the container sets none.
    #[must_use]
    pub fn container(mut self, mut c: ContainerSpec, default_image: Option<&str>) -> Self {
        if c.image.is_none() {
            c.image = default_image.map(str::to_owned);
        }
        self.implementation = Implementation::Container(c);
        self
    }

    /// Makes this a Rust function component running `run`; `image` is where the pipeline binary is
    /// (`None`: the pipeline's default image).
    #[must_use]
    pub fn function(mut self, image: Option<&str>, run: crate::model::Executor) -> Self {
        self.implementation = Implementation::Function(FunctionSpec { image: image.map(str::to_owned), run });
        self
    }

    /// The container, for container components.
    pub fn container_spec(&self) -> Option<&ContainerSpec> {
        match &self.implementation {
            Implementation::Container(c) => Some(c),
            _ => None,
        }
    }

    /// The container a function component runs in: `binary component NAME` with every input and output
    /// as a separate argument (`--param NAME VALUE`, `--input NAME PATH`, `--output NAME PATH`,
    /// `--output-param NAME PATH`), never spliced into a shell string. `None` for other components.
    pub fn function_container(&self, binary: &str, default_image: Option<&str>) -> Option<ContainerSpec> {
        let Implementation::Function(f) = &self.implementation else { return None };
        let mut c = ContainerSpec::new([binary, "component", &self.name]);
        c.image = f.image.clone().or_else(|| default_image.map(str::to_owned));
        for i in &self.inputs {
            let (flag, value) = match i.kind {
                IoKind::Artifact { .. } => ("--input", Arg::InputPath(i.name.clone())),
                IoKind::Parameter { .. } => ("--param", Arg::InputValue(i.name.clone())),
            };
            c.args.extend([Arg::from(flag), Arg::from(&i.name), value]);
        }
        for o in &self.outputs {
            let flag = if o.kind.is_artifact() { "--output" } else { "--output-param" };
            c.args.extend([Arg::from(flag), Arg::from(&o.name), Arg::OutputPath(o.name.clone())]);
        }
        Some(c)
    }

    /// The executor, for function components.
    pub fn executor(&self) -> Option<crate::model::Executor> {
        match &self.implementation {
            Implementation::Function(f) => Some(f.run),
            _ => None,
        }
    }

    /// The input named `name`.
    pub fn input(&self, name: &str) -> Option<&InputSpec> {
        self.inputs.iter().find(|i| i.name == name)
    }

    /// The output named `name`.
    pub fn output(&self, name: &str) -> Option<&OutputSpec> {
        self.outputs.iter().find(|o| o.name == name)
    }

    /// Checks that the spec is coherent: input and output names Argo accepts, a container with an
    /// image, placeholders that name inputs and outputs of the right kind. Returns every problem found.
    pub fn check(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for name in self.inputs.iter().map(|i| &i.name).chain(self.outputs.iter().map(|o| &o.name)) {
            if !seen.insert(name.as_str()) {
                problems.push(format!("`{name}` is declared twice"));
            }
            if let Err(e) = check_io_name(name) {
                problems.push(e);
            }
        }
        for o in self.outputs.iter().filter(|o| o.kind.is_artifact_list()) {
            problems.push(format!(
                "output `{}` is a list of artifacts: a step writes one artifact per output; a loop collects \
                 them into a list (return the output from the `parallel_for` body)",
                o.name
            ));
        }
        if let Some(r) = self.resource_spec() {
            problems.extend(r.problems(self));
        }
        let Some(c) = self.container_spec() else { return problems };
        match c.image_ref() {
            None => problems.push("no image: set `image = \"...\"` on the component".to_owned()),
            Some(i) if i.trim().is_empty() => problems.push("the image is empty".to_owned()),
            Some(_) => {}
        }
        for arg in c.all_args() {
            arg.visit(&mut |a| match a {
                Arg::InputValue(n) => match self.input(n) {
                    Some(i) if !i.kind.is_artifact() => {}
                    Some(_) => problems.push(format!("`{n}` is an artifact; use its path, not its value")),
                    None => problems.push(format!("`{n}` is not an input parameter of the component")),
                },
                Arg::InputPath(n) => {
                    if self.input(n).is_none() {
                        problems.push(format!("`{n}` is not an input of the component"));
                    }
                }
                Arg::OutputPath(n) => {
                    if self.output(n).is_none() {
                        problems.push(format!("`{n}` is not an output of the component"));
                    }
                }
                Arg::Foreign => problems
                    .push("a parameter that is not one of the component's inputs is used in its container".to_owned()),
                Arg::IsPresent(n) => {
                    if self.input(n).is_none() {
                        problems.push(format!("`isPresent: {n}` names no input of the component"));
                    }
                }
                Arg::Lit(_) | Arg::Concat(_) | Arg::If { .. } => {}
            });
        }
        for (input, program) in c.values_in_code() {
            problems.push(format!(
                "the value of input `{input}` is spliced into the code that `{program}` runs, where it would run \
                 as code (a `$(...)` in it would execute); pass it as an argument after the code instead: \
                 `ContainerSpec::new([\"sh\", \"-c\"]).arg(\"echo \\\"$0\\\"\").arg({input})` (`sys.argv[1]` in \
                 Python), or in an environment variable: `.env(\"VALUE\", {input})` and `\"$VALUE\"`"
            ));
        }
        problems
    }
}

/// Checks an input or output name against Argo's rule for parameter and artifact names: letters,
/// digits, `-` and `_`, at most 128 characters. The name also becomes a directory of the step
/// (`/tmp/outputs/NAME/data`) and a variable in expressions, so nothing else may pass.
///
/// # Errors
/// What is wrong with the name and how to fix it, in one line.
pub fn check_io_name(name: &str) -> Result<(), String> {
    let bad: Vec<char> = name.chars().filter(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_')).collect();
    if name.is_empty() {
        return Err("an input or output has an empty name".to_owned());
    }
    if !bad.is_empty() {
        let mut shown: Vec<String> = Vec::new();
        for c in bad {
            let c = format!("{c:?}");
            if !shown.contains(&c) {
                shown.push(c);
            }
        }
        let fixed: String =
            name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
        return Err(format!(
            "`{}` is not a valid input or output name: it contains {}; Argo takes letters, digits, `-` and `_` \
             (rename it, e.g. `{fixed}`)",
            name.escape_debug(),
            shown.join(", ")
        ));
    }
    if name.len() > 128 {
        return Err(format!("the name `{name}` is {} characters long; Argo takes at most 128", name.len()));
    }
    Ok(())
}
