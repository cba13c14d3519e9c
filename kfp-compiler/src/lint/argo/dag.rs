//! DAG and steps structure: task and step names, `dependencies`/`depends` naming tasks of the same
//! DAG with valid results, one style per DAG, no cycles, targets that exist.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::templates::Local;
use super::{Doc, list, names};

/// The results a `depends` expression may test (`task.Succeeded`).
const RESULTS: &[&str] =
    &["Succeeded", "Failed", "Errored", "Skipped", "Omitted", "Daemoned", "AnySucceeded", "AllFailed"];

/// The task names a `depends` expression names, each with the result it tests (if any).
pub(crate) fn depends_names(expr: &str) -> Vec<(&str, Option<&str>)> {
    let mut out = Vec::new();
    let bytes = expr.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-') {
            i += 1;
        }
        let name = &expr[start..i];
        let mut result = None;
        if i + 1 < bytes.len() && bytes[i] == b'.' && bytes[i + 1].is_ascii_alphabetic() {
            let r = i + 1;
            i = r;
            while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                i += 1;
            }
            result = Some(&expr[r..i]);
        }
        out.push((name, result));
    }
    out
}

impl<'a> Doc<'a, '_> {
    /// The DAG at `path` (`templates[i].dag`).
    pub(crate) fn dag(&mut self, path: &str, dag: &'a Value, local: &mut Local<'a>) {
        let tasks = list(dag, "tasks");
        let tpath = format!("{path}.tasks");
        names::check_list(&tpath, tasks, false, self.out);
        if tasks.is_empty() {
            self.out.push(&tpath, "argo/empty-dag", "a DAG needs at least one task");
        }
        let by: BTreeMap<&str, (usize, &Value)> =
            tasks.iter().enumerate().filter_map(|(i, k)| Some((k.get("name")?.as_str()?, (i, k)))).collect();
        let uses = |key: &str| tasks.iter().any(|k| k.get(key).is_some());
        let (depends, dependencies) = (uses("depends"), uses("dependencies"));
        if depends && dependencies {
            self.out.push(path, "argo/dag-styles", "cannot use both `depends` and `dependencies` in the same DAG");
        }
        if depends && tasks.iter().any(|k| k.get("continueOn").is_some()) {
            self.out.push(
                path,
                "argo/dag-styles",
                "cannot use `continueOn` with `depends`: test `task.Failed` or `task.Errored` instead",
            );
        }
        let mut deps: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for (&name, &(i, k)) in &by {
            let at = format!("{tpath}[{i}]");
            if (depends || dependencies) && name.starts_with(|c: char| c.is_ascii_digit()) {
                self.out.push(
                    format!("{at}.name"),
                    "argo/name",
                    format!("`{name}` may not start with a digit when the DAG uses `depends` or `dependencies`"),
                );
            }
            let mut d = BTreeSet::new();
            for (j, x) in list(k, "dependencies").iter().enumerate() {
                let Some(x) = x.as_str() else { continue };
                if !by.contains_key(x) {
                    self.out.push(
                        format!("{at}.dependencies[{j}]"),
                        "argo/dag-dependency",
                        format!("task `{x}` is not a task of this DAG"),
                    );
                }
                d.insert(x);
            }
            if let Some(expr) = k.get("depends").and_then(Value::as_str) {
                for (x, result) in depends_names(expr) {
                    if !by.contains_key(x) {
                        self.out.push(
                            format!("{at}.depends"),
                            "argo/dag-dependency",
                            format!("task `{x}` is not a task of this DAG"),
                        );
                    }
                    if let Some(r) = result.filter(|r| !RESULTS.contains(r)) {
                        self.out.push(
                            format!("{at}.depends"),
                            "argo/dag-result",
                            format!("`{x}.{r}`: `{r}` is not a task result ({})", RESULTS.join(", ")),
                        );
                    }
                    d.insert(x);
                }
            }
            deps.insert(name, d.into_iter().filter(|x| by.contains_key(x)).collect());
        }
        let mut cycle = Vec::new();
        for (i, k) in tasks.iter().enumerate() {
            let Some(name) = k.get("name").and_then(Value::as_str) else { continue };
            let mut ancestors = BTreeSet::new();
            let mut todo: Vec<&str> = deps[name].iter().copied().collect();
            while let Some(x) = todo.pop() {
                if ancestors.insert(x) {
                    todo.extend(deps[x].iter().copied());
                }
            }
            if ancestors.contains(name) && !cycle.contains(&name) {
                cycle.push(name);
            }
            let at = format!("{tpath}[{i}]");
            let callee = self.holder(&at, k, false);
            local.callee.insert(name, callee);
            ancestors.insert(name);
            local.scoped.push((at, k, ancestors));
        }
        if !cycle.is_empty() {
            self.out.push(path, "argo/dag-cycle", format!("dependency cycle among tasks {}", cycle.join(", ")));
        }
        if let Some(target) = dag.get("target").and_then(Value::as_str) {
            for x in target.split_whitespace().flat_map(|x| x.split(',')).filter(|x| !x.is_empty()) {
                if !x.contains("{{") && !by.contains_key(x) {
                    self.out.push(
                        format!("{path}.target"),
                        "argo/dag-target",
                        format!("target task `{x}` is not a task of this DAG"),
                    );
                }
            }
        }
    }

    /// The step groups at `path` (`templates[i].steps`).
    pub(crate) fn steps(&mut self, path: &str, groups: &'a [Value], local: &mut Local<'a>) {
        let mut earlier: BTreeSet<&str> = BTreeSet::new();
        for (g, group) in groups.iter().enumerate() {
            let Some(group) = group.as_array() else { continue };
            let mut this = BTreeSet::new();
            for (i, s) in group.iter().enumerate() {
                let at = format!("{path}[{g}][{i}]");
                let Some(name) = s.get("name").and_then(Value::as_str) else {
                    if s.is_object() {
                        self.out.push(format!("{at}.name"), "argo/missing-field", "a step needs a `name`");
                    }
                    continue;
                };
                if let Some(why) = names::field_name(name) {
                    let rule = if why.contains("characters long") { "argo/name-length" } else { "argo/name" };
                    self.out.push(format!("{at}.name"), rule, why);
                }
                if local.callee.contains_key(name) {
                    self.out.push(format!("{at}.name"), "argo/duplicate-name", format!("duplicate step name `{name}`"));
                }
                let callee = self.holder(&at, s, false);
                local.callee.insert(name, callee);
                let mut allowed = earlier.clone();
                allowed.insert(name);
                local.scoped.push((at, s, allowed));
                this.insert(name);
            }
            earlier.extend(this);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::depends_names;

    #[test]
    fn depends_expressions() {
        assert_eq!(
            depends_names("(a.Succeeded || b-2) && !c.Failed"),
            vec![("a", Some("Succeeded")), ("b-2", None), ("c", Some("Failed"))]
        );
    }
}
