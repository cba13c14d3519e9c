//! Graph components: functions that build a sub-DAG with typed inputs and outputs, compiled to one
//! reusable DAG template. A graph component may call itself inside a condition (recursion).

use crate::dag::OutputFactory;
use crate::handles::Param;
use crate::model::{DagId, GraphInterface, InputSpec, IoKind, OutputSpec, ScopeId, ValueSrc};
use crate::types::ParamType;

impl GraphInterface {
    /// An interface named `name` with the outputs of `R`.
    pub fn new<R: GraphReturn>(name: &str, description: Option<&str>) -> Self {
        let mut types = Vec::new();
        R::__output_types(&mut types);
        let single = types.len() == 1;
        let outputs = types
            .into_iter()
            .enumerate()
            .map(|(i, t)| OutputSpec {
                name: if single { "output".to_owned() } else { format!("output_{i}") },
                kind: IoKind::Parameter { type_name: t.to_owned() },
                description: None,
            })
            .collect();
        GraphInterface {
            name: name.to_owned(),
            description: description.map(str::to_owned),
            inputs: Vec::new(),
            outputs,
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

/// What a graph component may return: `()`, a `Param<T>` (the call's `.output`), or a tuple of
/// `Param`s (the call's `.0`, `.1`, ...).
#[diagnostic::on_unimplemented(
    message = "a graph component cannot return `{Self}`",
    note = "return `()`, a `Param<T>` produced in the graph, or a tuple of them"
)]
pub trait GraphReturn {
    /// The call's output handles.
    type Outputs;

    /// The kfp types of the outputs.
    #[doc(hidden)]
    fn __output_types(out: &mut Vec<&'static str>);

    /// The values returned.
    #[doc(hidden)]
    fn __values(&self, out: &mut Vec<ValueSrc>);

    /// The output handles of a call, numbering ports from `port`.
    #[doc(hidden)]
    fn __outputs(f: &OutputFactory, port: &mut u32) -> Self::Outputs;
}

/// The output of a graph component that returns one value: `call.output`.
#[derive(Debug)]
pub struct GraphOutput<T> {
    /// The value the graph returned.
    pub output: Param<T>,
}

impl<T> Clone for GraphOutput<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for GraphOutput<T> {}

impl GraphReturn for () {
    type Outputs = ();
    fn __output_types(_: &mut Vec<&'static str>) {}
    fn __values(&self, _: &mut Vec<ValueSrc>) {}
    fn __outputs(_: &OutputFactory, _: &mut u32) {}
}

impl<T: ParamType> GraphReturn for Param<T> {
    type Outputs = GraphOutput<T>;
    fn __output_types(out: &mut Vec<&'static str>) {
        out.push(T::KFP_TYPE);
    }
    fn __values(&self, out: &mut Vec<ValueSrc>) {
        out.push(self.src);
    }
    fn __outputs(f: &OutputFactory, port: &mut u32) -> GraphOutput<T> {
        *port += 1;
        GraphOutput { output: f.param(*port - 1) }
    }
}

macro_rules! graph_tuple {
    ($($name:ident),+) => {
        impl<$($name: ParamType),+> GraphReturn for ($(Param<$name>,)+) {
            type Outputs = ($(Param<$name>,)+);
            fn __output_types(out: &mut Vec<&'static str>) {
                $(out.push($name::KFP_TYPE);)+
            }
            #[allow(non_snake_case)]
            fn __values(&self, out: &mut Vec<ValueSrc>) {
                let ($($name,)+) = self;
                $(out.push($name.src);)+
            }
            fn __outputs(f: &OutputFactory, port: &mut u32) -> Self::Outputs {
                ($({ *port += 1; f.param::<$name>(*port - 1) },)+)
            }
        }
    };
}
graph_tuple!(A, B);
graph_tuple!(A, B, C);
graph_tuple!(A, B, C, D);
