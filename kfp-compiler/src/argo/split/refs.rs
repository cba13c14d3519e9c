//! References inside the `{{...}}` tags of a string: which root tasks a task reads (`tasks.X...`), and
//! the rewriting of a child's strings (another part's task outputs and the run's own values become
//! the child workflow's parameters). Simple tags (`{{tasks.a-b.outputs.parameters.p}}`) and
//! expression tags (`{{=tasks['a-b'].outputs.parameters.p}}`) are both read.

/// What a reference to task `task` reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Read {
    /// `tasks.X.outputs.parameters.P`
    Param(String),
    /// Anything else (an artifact, the status, `outputs.result`): keeps both tasks in one part.
    Other,
}

/// One reference found in a string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct TaskRef {
    pub(super) task: String,
    pub(super) read: Read,
}

/// The run values a child reads from the parent: (placeholder path, child parameter, parent value).
pub(super) const RUN_VALUES: [(&str, &str, &str); 3] = [
    ("workflow.name", "kfp-workflow-name", "{{workflow.name}}"),
    ("workflow.uid", "kfp-workflow-uid", "{{workflow.uid}}"),
    ("workflow.creationTimestamp", "kfp-workflow-creation-timestamp", "{{workflow.creationTimestamp}}"),
];

/// A path segment after `pos` (`.name` or `['name']`): the name and where it ends.
fn segment(s: &str, pos: usize, expression: bool) -> Option<(&str, usize)> {
    let rest = &s[pos..];
    if let Some(r) = rest.strip_prefix("['") {
        let end = r.find("']")?;
        return Some((&r[..end], pos + 2 + end + 2));
    }
    let r = rest.strip_prefix('.')?;
    let len =
        r.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || (!expression && c == '-'))).unwrap_or(r.len());
    (len > 0).then(|| (&r[..len], pos + 1 + len))
}

fn word_start(body: &str, i: usize) -> bool {
    i == 0 || !body[..i].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '\'')
}

/// Calls `f(tag body start, tag body end, is expression)` for every `{{...}}` tag of `s`.
fn tags(s: &str, mut f: impl FnMut(usize, usize, bool)) {
    let mut from = 0;
    while let Some(i) = s[from..].find("{{") {
        let start = from + i + 2;
        let Some(j) = s[start..].find("}}") else { return };
        let end = start + j;
        let expression = s[start..end].starts_with('=');
        f(start, end, expression);
        from = end + 2;
    }
}

/// A `tasks.X...` reference at `i` of `body`: the task, what it reads, and where the reference ends.
fn task_ref(body: &str, i: usize, expression: bool) -> Option<(TaskRef, usize)> {
    if !body[i..].starts_with("tasks") || !word_start(body, i) {
        return None;
    }
    let (task, after) = segment(body, i + 5, expression)?;
    let param = segment(body, after, expression)
        .filter(|(o, _)| *o == "outputs")
        .and_then(|(_, a)| segment(body, a, expression).filter(|(p, _)| *p == "parameters"))
        .and_then(|(_, a)| segment(body, a, expression));
    let (read, end) = match param {
        Some((p, end)) => (Read::Param(p.to_owned()), end),
        None => (Read::Other, after),
    };
    Some((TaskRef { task: task.to_owned(), read }, end))
}

/// Every `tasks.X` reference in the tags of `s`.
pub(super) fn task_refs(s: &str, out: &mut Vec<TaskRef>) {
    if !s.contains("tasks") {
        return;
    }
    tags(s, |start, end, expression| {
        let body = &s[start..end];
        let mut i = 0;
        while let Some(k) = body[i..].find("tasks") {
            let at = i + k;
            match task_ref(body, at, expression) {
                Some((r, e)) => {
                    out.push(r);
                    i = e;
                }
                None => i = at + 5,
            }
        }
    });
}

/// `s` with the outputs of tasks `moved` says are in other parts read as the child's parameters
/// (`moved(task, param)` gives the parameter's name) and the run's values read from the parent's
/// (`used` collects the run parameters written). `None` when nothing changes.
pub(super) fn rewrite(
    s: &str,
    moved: &mut dyn FnMut(&str, &str) -> Option<String>,
    used: &mut dyn FnMut(&'static str),
) -> Option<String> {
    if !s.contains("{{") || !(s.contains("tasks") || s.contains("workflow.")) {
        return None;
    }
    let mut out = String::with_capacity(s.len() + 32);
    let mut last = 0;
    let mut changed = false;
    let mut spans: Vec<(usize, usize, bool)> = Vec::new();
    tags(s, |a, b, e| spans.push((a, b, e)));
    for (start, end, expression) in spans {
        let body = &s[start..end];
        let mut i = 0;
        while i < body.len() {
            let param = |name: &str| {
                if expression {
                    format!("workflow.parameters['{name}']")
                } else {
                    format!("workflow.parameters.{name}")
                }
            };
            if let Some((TaskRef { task, read: Read::Param(p) }, e)) = task_ref(body, i, expression)
                && let Some(name) = moved(&task, &p)
            {
                out.push_str(&s[last..start + i]);
                out.push_str(&param(&name));
                last = start + e;
                i = e;
                changed = true;
                continue;
            }
            if body[i..].starts_with("workflow.") && word_start(body, i) {
                let hit = RUN_VALUES.iter().find(|(path, _, _)| {
                    body[i..].starts_with(path)
                        && !body[i + path.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                });
                if let Some((path, name, _)) = hit {
                    out.push_str(&s[last..start + i]);
                    out.push_str(&param(name));
                    used(name);
                    i += path.len();
                    last = start + i;
                    changed = true;
                    continue;
                }
            }
            // On to the next place a reference can start.
            let from = i + body[i..].chars().next().map_or(1, char::len_utf8);
            let next = |w: &str| body[from..].find(w).map(|k| from + k);
            i = match (next("tasks"), next("workflow.")) {
                (Some(a), Some(b)) => a.min(b),
                (a, b) => a.or(b).unwrap_or(body.len()),
            };
        }
    }
    if !changed {
        return None;
    }
    out.push_str(&s[last..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(s: &str) -> Vec<TaskRef> {
        let mut v = Vec::new();
        task_refs(s, &mut v);
        v
    }

    #[test]
    fn finds_references_in_simple_and_expression_tags() {
        let p = |t: &str, n: &str| TaskRef { task: t.to_owned(), read: Read::Param(n.to_owned()) };
        assert_eq!(refs("x {{tasks.a-b.outputs.parameters.p_1}} y"), vec![p("a-b", "p_1")]);
        assert_eq!(refs("{{=tasks['a-b'].outputs.parameters.y == 'ok'}}"), vec![p("a-b", "y")]);
        assert_eq!(refs("{{=tasks.a.outputs.parameters['p-q']}}"), vec![p("a", "p-q")]);
        assert_eq!(refs("{{tasks.a.outputs.artifacts.m}}"), vec![TaskRef { task: "a".into(), read: Read::Other }]);
        assert_eq!(refs("{{tasks.a.status}}")[0].read, Read::Other);
        // Text outside tags and other variables are no references.
        assert!(refs("tasks.a.outputs.parameters.p {{workflow.parameters.tasks}}").is_empty());
    }

    #[test]
    fn rewrites_moved_outputs_and_run_values() {
        let mut moved = |t: &str, p: &str| (t == "a").then(|| format!("in-{t}-{p}"));
        let mut names = Vec::new();
        let mut used = |n: &'static str| names.push(n);
        let s = "{{tasks.a.outputs.parameters.p}}/{{tasks.b.outputs.parameters.p}}/{{workflow.name}}";
        assert_eq!(
            rewrite(s, &mut moved, &mut used).unwrap(),
            "{{workflow.parameters.in-a-p}}/{{tasks.b.outputs.parameters.p}}/{{workflow.parameters.kfp-workflow-name}}"
        );
        let e = "{{=tasks['a'].outputs.parameters.p + workflow.uid + workflow.namespace}}";
        assert_eq!(
            rewrite(e, &mut moved, &mut used).unwrap(),
            "{{=workflow.parameters['in-a-p'] + workflow.parameters['kfp-workflow-uid'] + workflow.namespace}}"
        );
        assert_eq!(rewrite("{{workflow.namespace}} {{tasks.b.outputs.parameters.p}}", &mut moved, &mut used), None);
        // Text that is no reference, multi-byte characters included, is skipped whole.
        let u = "{{é tasksworkflow.x ü}} {{=ë + tasks['a'].outputs.parameters['p']}}";
        assert_eq!(
            rewrite(u, &mut moved, &mut used).unwrap(),
            "{{é tasksworkflow.x ü}} {{=ë + workflow.parameters['in-a-p']}}"
        );
        assert_eq!(names, ["kfp-workflow-name", "kfp-workflow-uid"]);
    }
}
