//! Graph components: functions that build a sub-DAG with typed inputs and outputs, compiled to one
//! reusable DAG template. A graph component may call itself inside a condition (recursion).

use crate::artifact::ConcreteKind;
use crate::dag::OutputFactory;
use crate::handles::{Artifact, ArtifactOrigin, Param};
use crate::model::{DagId, GraphInterface, InputSpec, IoKind, OutputSpec, ScopeId, ValueSrc};
use crate::types::ParamType;

impl GraphInterface {
    /// An interface named `name` with the outputs of `R`.
    pub fn new<R: GraphReturn>(name: &str, description: Option<&str>) -> Self {
        GraphInterface {
            name: name.to_owned(),
            description: description.map(str::to_owned),
            inputs: Vec::new(),
            outputs: output_specs::<R>(),
        }
    }

    /// Adds a parameter input of type `T`.
    #[must_use]
    pub fn input_param<T: ParamType>(mut self, name: &str, description: Option<&str>) -> Self {
        self.inputs.push(InputSpec {
            name: name.to_owned(),
            kind: IoKind::Parameter { type_name: T::KFP_TYPE.to_owned() },
            description: description.map(str::to_owned),
            default: None,
            optional: false,
        });
        self
    }
}

/// A graph component: implemented by `#[graph_component]` on the function's twin struct.
pub trait GraphComponent: 'static {
    /// The call's output handles.
    type Outputs;

    /// The interface.
    fn interface() -> GraphInterface;

    /// Runs the body once, in the graph's scope, and returns the values it returned.
    #[doc(hidden)]
    fn __body(dag: &crate::Dag, inputs: &GraphInputs) -> Vec<ValueSrc>;

    /// The output handles of a call.
    #[doc(hidden)]
    fn __outputs(f: &OutputFactory) -> Self::Outputs;
}

/// Makes the input handles a graph body sees (used by generated code).
#[doc(hidden)]
pub struct GraphInputs {
    pub(crate) dag: DagId,
    pub(crate) scope: ScopeId,
}

impl GraphInputs {
    /// Input number `index`.
    pub fn param<T: ParamType>(&self, index: u32) -> Param<T> {
        Param::from_src(ValueSrc::GraphInput { dag: self.dag, scope: self.scope, index })
    }
}

/// What a graph component or a pipeline may return: `()`, one value (a `Param<T>` or an
/// `Artifact<K>` made in the graph: the call's `.output`), or a tuple of them (the call's `.0`, `.1`,
/// ...). A pipeline's returned values are the run's outputs.
#[diagnostic::on_unimplemented(
    message = "a graph component or pipeline cannot return `{Self}`",
    note = "return `()`, a `Param<T>` or an `Artifact<K>` produced in the graph, or a tuple of them"
)]
pub trait GraphReturn {
    /// The call's output handles.
    type Outputs;

    /// The kinds of the outputs.
    #[doc(hidden)]
    fn __output_kinds(out: &mut Vec<IoKind>);

    /// The outputs' names, when they have their own (`#[derive(GraphOutputs)]`: the fields).
    #[doc(hidden)]
    fn __output_names() -> &'static [&'static str] {
        &[]
    }

    /// The values returned.
    #[doc(hidden)]
    fn __values(&self, out: &mut Vec<ValueSrc>);

    /// The output handles of a call, numbering ports from `port`.
    #[doc(hidden)]
    fn __outputs(f: &OutputFactory, port: &mut u32) -> Self::Outputs;
}

/// One value a graph component or a pipeline may return: a `Param<T>`, or an `Artifact<K>` of one
/// artifact (a loop's collected list cannot leave the graph).
#[diagnostic::on_unimplemented(
    message = "a graph component or pipeline cannot return `{Self}`",
    note = "return a `Param<T>` or an `Artifact<K>` produced in the graph (not a loop's collected list), or a tuple of them"
)]
pub trait GraphValue {
    /// The handle a call gives for it.
    type Handle;

    /// Its kind.
    #[doc(hidden)]
    fn __kind() -> IoKind;

    /// Where it comes from.
    #[doc(hidden)]
    fn __value(&self) -> ValueSrc;

    /// The call's handle on output `port`.
    #[doc(hidden)]
    fn __handle(f: &OutputFactory, port: u32) -> Self::Handle;
}

impl<T: ParamType> GraphValue for Param<T> {
    type Handle = Param<T>;
    fn __kind() -> IoKind {
        IoKind::Parameter { type_name: T::KFP_TYPE.to_owned() }
    }
    fn __value(&self) -> ValueSrc {
        self.src
    }
    fn __handle(f: &OutputFactory, port: u32) -> Param<T> {
        f.param(port)
    }
}

impl<K: ConcreteKind> GraphValue for Artifact<K> {
    type Handle = Artifact<K>;
    fn __kind() -> IoKind {
        IoKind::Artifact { type_name: K::KFP_TYPE.to_owned(), list: false }
    }
    fn __value(&self) -> ValueSrc {
        match self.src {
            ArtifactOrigin::Task(a) => ValueSrc::TaskOutput { dag: a.dag, task: a.task, port: a.port },
            // Not made for a concrete kind.
            ArtifactOrigin::Collected(v) => v,
        }
    }
    fn __handle(f: &OutputFactory, port: u32) -> Artifact<K> {
        f.artifact(port)
    }
}

/// The output of a graph component that returns one value: `call.output` (a `Param<T>` or an
/// `Artifact<K>`).
#[derive(Debug)]
pub struct GraphOutput<H> {
    /// The value the graph returned.
    pub output: H,
}

impl<H: Copy> Clone for GraphOutput<H> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<H: Copy> Copy for GraphOutput<H> {}

impl GraphReturn for () {
    type Outputs = ();
    fn __output_kinds(_: &mut Vec<IoKind>) {}
    fn __values(&self, _: &mut Vec<ValueSrc>) {}
    fn __outputs(_: &OutputFactory, _: &mut u32) {}
}

/// One value returned alone: the call's `.output`.
macro_rules! graph_single {
    ($param:ident: $bound:path => $ty:ty) => {
        impl<$param: $bound> GraphReturn for $ty {
            type Outputs = GraphOutput<$ty>;
            fn __output_kinds(out: &mut Vec<IoKind>) {
                out.push(<Self as GraphValue>::__kind());
            }
            fn __values(&self, out: &mut Vec<ValueSrc>) {
                out.push(self.__value());
            }
            fn __outputs(f: &OutputFactory, port: &mut u32) -> Self::Outputs {
                *port += 1;
                GraphOutput { output: <Self as GraphValue>::__handle(f, *port - 1) }
            }
        }
    };
}
graph_single!(T: ParamType => Param<T>);
graph_single!(K: ConcreteKind => Artifact<K>);

macro_rules! graph_tuple {
    ($($name:ident),+) => {
        impl<$($name: GraphValue),+> GraphReturn for ($($name,)+) {
            type Outputs = ($($name::Handle,)+);
            fn __output_kinds(out: &mut Vec<IoKind>) {
                $(out.push($name::__kind());)+
            }
            #[allow(non_snake_case)]
            fn __values(&self, out: &mut Vec<ValueSrc>) {
                let ($($name,)+) = self;
                $(out.push($name.__value());)+
            }
            fn __outputs(f: &OutputFactory, port: &mut u32) -> Self::Outputs {
                ($({ *port += 1; $name::__handle(f, *port - 1) },)+)
            }
        }
    };
}
graph_tuple!(A, B);
graph_tuple!(A, B, C);
graph_tuple!(A, B, C, D);
graph_tuple!(A, B, C, D, E);
graph_tuple!(A, B, C, D, E, F);

/// The outputs a graph returning `R` declares: `output` for one value, `output_0`, `output_1`, ... for
/// a tuple, the field names for a `#[derive(GraphOutputs)]` struct.
pub(crate) fn output_specs<R: GraphReturn>() -> Vec<OutputSpec> {
    let mut kinds = Vec::new();
    R::__output_kinds(&mut kinds);
    let names = R::__output_names();
    let single = kinds.len() == 1;
    kinds
        .into_iter()
        .enumerate()
        .map(|(i, kind)| OutputSpec {
            name: match names.get(i) {
                Some(n) => (*n).to_owned(),
                None if single => "output".to_owned(),
                None => format!("output_{i}"),
            },
            kind,
            description: None,
        })
        .collect()
}
