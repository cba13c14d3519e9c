//! A DAG task being started: its `when`, and its loop (`withItems`, `withParam`, `withSequence`) whose
//! items run as slots free up, their outputs aggregated into JSON lists as in Argo.

use std::collections::HashMap;

use kfp_compiler::argo::DagTask;

use super::dag::overall;
use super::engine::{Engine, Node, failed};
use super::{Outcome, Status, StepReport, expr};

impl<'w> Engine<'w> {
    /// Starts one DAG task: its condition, its loop, its template.
    /// `limit` is the DAG template's `parallelism`: at most that many loop items run at once.
    pub(super) fn task(
        &mut self,
        task: &'w DagTask,
        scope: &HashMap<String, String>,
        path: &str,
        limit: Option<u32>,
    ) -> Node<'w> {
        let lookup = |x: &str| scope.get(x).cloned();
        if let Some(when) = &task.when {
            let holds = expr::eval_when(when, &mut |x| lookup(x));
            match holds {
                Ok(true) => {}
                Ok(false) => {
                    self.record(StepReport::new(path, Status::Skipped, None));
                    return Node::Done(Outcome::of(Status::Skipped));
                }
                Err(e) => {
                    self.record(failed(path, format!("condition: {e}")));
                    return Node::Done(Outcome::of(Status::Failed));
                }
            }
        }
        let items: Option<Vec<serde_json::Value>> = if let Some(items) = &task.with_items {
            Some(items.clone())
        } else if let Some(p) = &task.with_param {
            let text = match expr::substitute(p, &mut |x| lookup(x)) {
                Ok(t) => t,
                Err(e) => {
                    self.record(failed(path, format!("loop items: {e}")));
                    return Node::Done(Outcome::of(Status::Failed));
                }
            };
            match serde_json::from_str::<Vec<serde_json::Value>>(&text) {
                Ok(v) => Some(v),
                Err(e) => {
                    self.record(failed(path, format!("loop items are not a JSON list: {e}: {text}")));
                    return Node::Done(Outcome::of(Status::Failed));
                }
            }
        } else if let Some(seq) = &task.with_sequence {
            match sequence(seq, &lookup) {
                Ok(items) => Some(items),
                Err(e) => {
                    self.record(failed(path, format!("loop range: {e}")));
                    return Node::Done(Outcome::of(Status::Failed));
                }
            }
        } else {
            None
        };
        let Some(items) = items else {
            return match self.arguments(&task.arguments, &|x| scope.get(x).cloned()) {
                Ok((p, a)) => self.template(&task.template, &p, &a, path, &HashMap::new()),
                Err(e) => {
                    self.record(failed(path, e));
                    Node::Done(Outcome::of(Status::Failed))
                }
            };
        };
        // One node per item; they start as slots free up. Outputs aggregate into JSON lists of
        // strings, as in Argo.
        let mut nodes = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            // The item's names over the DAG's scope (not a copy of it: it can hold a large list).
            let mut bound = HashMap::new();
            bind_item(&mut bound, item);
            let lookup = |x: &str| bound.get(x).or_else(|| scope.get(x)).cloned();
            let child = format!("{path}({i})");
            nodes.push(Some(match self.arguments(&task.arguments, &lookup) {
                Ok((p, a)) => self.template(&task.template, &p, &a, &child, &HashMap::new()),
                Err(e) => {
                    self.record(failed(&child, e));
                    Node::Done(Outcome::of(Status::Failed))
                }
            }));
        }
        Node::Loop(Box::new(LoopRun {
            results: vec![None; nodes.len()],
            entered: vec![false; nodes.len()],
            nodes,
            first_open: 0,
            active: 0,
            limit: limit.map_or(usize::MAX, |n| n.max(1) as usize),
        }))
    }
}

pub(super) struct LoopRun<'w> {
    nodes: Vec<Option<Node<'w>>>,
    results: Vec<Option<Outcome>>,
    /// Whether an item has been polled: it may have started.
    entered: Vec<bool>,
    /// Items before this one are all done.
    first_open: usize,
    /// Items entered and not done.
    active: usize,
    /// At most this many items active at once (the enclosing DAG template's `parallelism`).
    limit: usize,
}

impl<'w> LoopRun<'w> {
    pub(super) fn poll(&mut self, e: &mut Engine<'w>, may_start: bool) -> Option<Outcome> {
        for i in self.first_open..self.nodes.len() {
            let Some(node) = &mut self.nodes[i] else { continue };
            if !self.entered[i] {
                // Items start in order; none after this one may start either. (Items that will
                // not start at all still go through, to be recorded.)
                let starting = may_start && e.stop.is_none();
                if starting && self.active >= self.limit {
                    break;
                }
                if let Node::Step(step) = node
                    && step.waits_for_slot(e, may_start)
                {
                    break;
                }
                self.entered[i] = true;
                self.active += 1;
            }
            if let Some(o) = node.poll(e, may_start) {
                self.results[i] = Some(o);
                self.nodes[i] = None;
                self.active -= 1;
            }
        }
        while self.first_open < self.results.len() && self.results[self.first_open].is_some() {
            self.first_open += 1;
        }
        if self.first_open < self.results.len() {
            return None;
        }
        let results: Vec<Outcome> =
            self.results.iter_mut().map(|r| r.take().unwrap_or(Outcome::of(Status::Failed))).collect();
        let statuses: Vec<Status> = results.iter().map(|r| r.status).collect();
        let mut out = Outcome::of(overall(&statuses));
        let mut names: Vec<&String> = results.iter().flat_map(|r| r.params.keys()).collect();
        names.sort();
        names.dedup();
        for name in names {
            let list: Vec<&str> = results.iter().filter_map(|r| r.params.get(name).map(String::as_str)).collect();
            out.params.insert(name.clone(), serde_json::to_string(&list).unwrap_or_default());
        }
        Some(out)
    }
}

/// The items of a `withSequence`, as Argo makes them: `count` integers from `start`, as strings.
fn sequence(
    seq: &kfp_compiler::argo::Sequence,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<serde_json::Value>, String> {
    /// More iterations than any run on one machine could hold.
    const MOST: i64 = 10_000_000;
    let int = |field: &str, text: &str| -> Result<i64, String> {
        let text = expr::substitute(text, &mut |x| lookup(x)).map_err(|e| e.to_string())?;
        text.trim().parse::<i64>().map_err(|_| format!("{field} `{text}` is not an integer"))
    };
    let (start, count) = (int("start", &seq.start)?, int("count", &seq.count)?);
    if !(0..=MOST).contains(&count) {
        return Err(format!("count {count} is not between 0 and {MOST}"));
    }
    let end = start.checked_add(count).ok_or_else(|| format!("{start} + {count} overflows"))?;
    Ok((start..end).map(|i| serde_json::Value::String(i.to_string())).collect())
}

/// Makes `{{item}}` and `{{item.field}}` resolve to a loop item (strings as they are, the rest as JSON).
fn bind_item(scope: &mut HashMap<String, String>, item: &serde_json::Value) {
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    scope.insert("item".to_owned(), text(item));
    if let serde_json::Value::Object(m) = item {
        for (k, v) in m {
            scope.insert(format!("item.{k}"), text(v));
        }
    }
}
