//! Pass 2: template variants. Calls of one component share a template unless their settings differ or
//! they resolve its `if` / `isPresent` placeholders (or leave optional inputs out) differently, or a
//! backend needs calls in different scopes apart ([`Split`]).

use kfp_dsl::{ArgValue, CallFacts, Callee, ComponentId, ContainerSpec, ScopeId, TaskId};

use crate::error::CompileError;
use crate::passes::naming::FastMap;
use crate::passes::validate::Validated;

/// Every variant, and which one each task calls.
pub(crate) struct Variants {
    /// The variants, in first-use order.
    pub(crate) list: Vec<Variant>,
    /// Per task (by `TaskId::index`): its variant (index into `list`); `None` for graph component calls.
    pub(crate) of_task: Vec<Option<usize>>,
}

/// Which calls a backend needs in a variant of their own per scope, whatever their settings.
pub(crate) enum Split<'a> {
    /// The calls this says (the KFP v2 IR: a mount of a claim the pipeline creates reads the claim's
    /// name in the executor's `PlatformSpec`, spelled differently in the DAG that creates the claim
    /// and in the DAGs below it).
    ByScope(&'a dyn Fn(TaskId) -> bool),
    /// The calls this says, each in a variant of its own (Argo: a task whose output a loop collects as
    /// an artifact list writes it under a key of its own loop and output).
    ByTask(&'a dyn Fn(TaskId) -> bool),
}

/// Finds the variants, in first-use order.
///
/// # Errors
/// [`CompileError::Call`] for a call whose `if` / `isPresent` cannot be resolved.
pub(crate) fn variants(v: &Validated<'_>, split: &Split<'_>) -> Result<Variants, CompileError> {
    let p = v.pipeline;
    let mut variant_ids: FastMap<Variant, usize> = FastMap::default();
    let mut list = Vec::new();
    let mut of_task = Vec::with_capacity(p.task_count());
    for id in p.task_ids() {
        let t = p.task(id);
        let component = match t.callee() {
            Callee::Component(component) => component,
            Callee::Graph(_) => {
                of_task.push(None);
                continue;
            }
        };
        let spec = p.component(component);
        let has_absent = t.args().iter().any(|a| matches!(a, ArgValue::Absent));
        let call = if spec.is_conditional() || has_absent {
            let facts = TaskFacts { spec, args: t.args() };
            let container = spec.container_for(&facts).map_err(|reason| CompileError::Call {
                location: t.location(),
                component: spec.name.clone(),
                reason,
            })?;
            let absent =
                t.args().iter().enumerate().filter(|(_, a)| matches!(a, ArgValue::Absent)).map(|(i, _)| i).collect();
            Some(std::rc::Rc::new(CallShape { container, absent }))
        } else {
            None
        };
        let settings = t.settings().map(|s| {
            let mut s = s.clone();
            s.clear_name();
            s
        });
        let settings = settings.filter(|s| *s != kfp_dsl::TaskSettings::default()).map(std::rc::Rc::new);
        let scope = match split {
            Split::ByScope(apart) if apart(id) => Some(t.scope()),
            _ => None,
        };
        let task = match split {
            Split::ByTask(apart) if apart(id) => Some(id),
            _ => None,
        };
        let key = Variant { component, settings, call, scope, task };
        let next = list.len();
        let idx = *variant_ids.entry(key.clone()).or_insert_with(|| {
            list.push(key);
            next
        });
        of_task.push(Some(idx));
    }

    Ok(Variants { list, of_task })
}

/// One template: a component with one set of per-task settings. Calls with the same settings share it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Variant {
    pub(crate) component: ComponentId,
    /// The task's settings (names aside), when it has any: calls with equal settings share a template.
    pub(crate) settings: Option<std::rc::Rc<kfp_dsl::TaskSettings>>,
    /// For calls that leave optional inputs out or resolve `if` / `isPresent`: what they run.
    pub(crate) call: Option<std::rc::Rc<CallShape>>,
    /// For calls a backend needs apart per scope ([`Split::ByScope`]): the scope.
    pub(crate) scope: Option<ScopeId>,
    /// For calls a backend needs apart each ([`Split::ByTask`]): the task.
    pub(crate) task: Option<TaskId>,
}

/// The container one call runs, and the inputs it leaves out.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct CallShape {
    pub(crate) container: Option<ContainerSpec>,
    pub(crate) absent: Vec<usize>,
}

/// What a task's arguments say, for resolving `if` and `isPresent`.
struct TaskFacts<'a> {
    spec: &'a kfp_dsl::ComponentSpec,
    args: &'a [ArgValue],
}

impl CallFacts for TaskFacts<'_> {
    fn is_present(&self, name: &str) -> bool {
        let i = self.spec.inputs.iter().position(|i| i.name == name);
        i.and_then(|i| self.args.get(i)).is_some_and(|a| !matches!(a, ArgValue::Absent))
    }

    fn literal(&self, name: &str) -> Option<String> {
        let i = self.spec.inputs.iter().position(|i| i.name == name)?;
        match self.args.get(i)? {
            ArgValue::Const(v) => Some(v.clone()),
            ArgValue::Param(_) | ArgValue::Artifact(_) | ArgValue::ArtifactList(_) | ArgValue::Absent => None,
        }
    }
}
