//! The values of the task that reads them (`p.current_task_name()`, `p.current_task_id()`,
//! `p.retry_count()`) in a DAG task's arguments.
//!
//! Argo fills `{{tasks.name}}`, `{{pod.name}}` and `{{retries}}` in when it runs a template, over the
//! whole template: a DAG template's pass would give an inner task's arguments the name of the task
//! that runs the DAG. So a task's own name is written as the text it is (the compiler knows it), and
//! the pod's name and the attempt number as expression tags, which Argo leaves as they are while
//! their variables are unknown (in every DAG's pass) and evaluates in the pod's own pass, where the
//! pod's name and, with a retry strategy, the attempt number are set. A pod without a retry strategy
//! runs once: its attempt number is `0`.

use kfp_dsl::GlobalValue;

use crate::argo::expr;
use crate::plan::{Args, ValueRef};

/// The task a DAG task's arguments are read by.
pub(super) struct Reader<'a> {
    /// The task's name in its DAG (Argo's `{{tasks.name}}` of the pod it runs).
    pub(super) task: &'a str,
    /// The task runs a pod template with a retry strategy.
    pub(super) retried: bool,
}

impl Reader<'_> {
    /// `args` with the reading task's values spelled for its DAG task.
    pub(super) fn args(&self, args: Args) -> Args {
        args.into_iter().map(|(n, v)| (n, self.value(v))).collect()
    }

    fn value(&self, v: ValueRef) -> ValueRef {
        match v {
            ValueRef::Global(GlobalValue::TaskName) => ValueRef::Literal(self.task.to_owned()),
            ValueRef::Global(GlobalValue::TaskId) => ValueRef::Literal(expr::tag("pod.name")),
            ValueRef::Global(GlobalValue::RetryCount) if self.retried => ValueRef::Literal(expr::tag("retries")),
            ValueRef::Global(GlobalValue::RetryCount) => ValueRef::Literal("0".to_owned()),
            ValueRef::Concat(parts) => ValueRef::Concat(parts.into_iter().map(|p| self.value(p)).collect()),
            v => v,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readers_values_are_its_own() {
        let r = Reader { task: "train-2", retried: true };
        let args = r.args(vec![
            ("a".into(), ValueRef::Global(GlobalValue::TaskName)),
            (
                "b".into(),
                ValueRef::Concat(vec![
                    ValueRef::Literal("id ".into()),
                    ValueRef::Global(GlobalValue::TaskId),
                    ValueRef::Global(GlobalValue::RetryCount),
                ]),
            ),
        ]);
        assert_eq!(expr::value(&args[0].1), "train-2");
        assert_eq!(expr::value(&args[1].1), "id {{=pod.name}}{{=retries}}");
        let once = Reader { task: "t", retried: false };
        assert_eq!(expr::value(&once.value(ValueRef::Global(GlobalValue::RetryCount))), "0");
    }
}
