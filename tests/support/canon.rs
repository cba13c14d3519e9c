//! A canonical view of a workflow for comparing ours with kfp v1's, whatever the names of groups and
//! parameters: every step (container task) reached from the entrypoint and from `onExit`, with the
//! loops, conditions and groups around it, the run-time values that flow into its container, and the
//! steps it waits for.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

/// One step.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Step {
    /// Its task name.
    pub(crate) name: String,
    /// The constructs around it, outermost first: `loop(...)`, `when(...)`, `group`, `exit`.
    pub(crate) path: Vec<String>,
    /// The values its container reads: `⟨flip.out⟩`, `⟨param:mode⟩`, `⟨item#1.lr⟩`, `⟨workflow.status⟩`.
    pub(crate) sources: BTreeSet<String>,
    /// The steps it waits for (a group stands for every step in it).
    pub(crate) after: BTreeSet<String>,
}

/// Every step of `doc`, sorted.
pub(crate) fn steps(doc: &Value) -> Vec<Step> {
    let templates: HashMap<&str, &Value> = doc["spec"]["templates"]
        .as_array()
        .expect("templates")
        .iter()
        .map(|t| (t["name"].as_str().unwrap(), t))
        .collect();
    let w = Walker { templates };
    let mut out = Vec::new();
    let entry = doc["spec"]["entrypoint"].as_str().unwrap();
    w.template(entry, &HashMap::new(), &[], 0, &mut vec![entry.to_owned()], &mut out, "root");
    if let Some(exit) = doc["spec"]["onExit"].as_str() {
        w.template(exit, &HashMap::new(), &["exit".to_owned()], 0, &mut vec![exit.to_owned()], &mut out, exit);
    }
    out.sort();
    out
}

struct Walker<'a> {
    templates: HashMap<&'a str, &'a Value>,
}

impl<'a> Walker<'a> {
    /// Steps of template `name` (a container is one step, named `step_name`).
    #[allow(clippy::too_many_arguments)]
    fn template(
        &self,
        name: &str,
        env: &HashMap<String, String>,
        path: &[String],
        loops: usize,
        stack: &mut Vec<String>,
        out: &mut Vec<Step>,
        step_name: &str,
    ) -> BTreeSet<String> {
        let t: &'a Value = self.templates[name];
        if let Some(c) = t.get("container") {
            let mut sources = BTreeSet::new();
            for part in c["command"].as_array().into_iter().flatten().chain(c["args"].as_array().into_iter().flatten())
            {
                let text = normalize(part.as_str().unwrap_or_default(), env, loops);
                for token in text.split('⟨').skip(1) {
                    sources
                        .insert(format!("⟨{}", &token[..token.find('⟩').map_or(token.len(), |i| i + '⟩'.len_utf8())]));
                }
            }
            out.push(Step { name: step_name.to_owned(), path: path.to_vec(), sources, after: BTreeSet::new() });
            return [step_name.to_owned()].into();
        }
        let tasks = t["dag"]["tasks"].as_array().expect("a container or a DAG");
        let mut leaves: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut firsts = Vec::new();
        for task in tasks {
            let first = out.len();
            let tname = task["name"].as_str().unwrap().to_owned();
            let mut construct = Vec::new();
            let mut inner_loops = loops;
            let (template, looped) = self.unwrap_wrapper(task);
            if let Some(items) = looped.get("withItems") {
                inner_loops += 1;
                construct.push(format!("loop({}{})", canonical_json(items), self.parallelism(task, template)));
            } else if let Some(p) = looped.get("withParam").and_then(Value::as_str) {
                inner_loops += 1;
                construct.push(format!(
                    "loop({}{})",
                    normalize(p, &self.args(task, env, loops), loops),
                    self.parallelism(task, template)
                ));
            }
            if let Some(w) = task.get("when").and_then(Value::as_str) {
                // Ours is one expression tag; compare it in the classic form kfp v1 writes.
                let classic = match w.strip_prefix("{{=").and_then(|e| e.strip_suffix("}}")) {
                    Some(e) => kfp::argo_template::describe(e).unwrap(),
                    None => w.to_owned(),
                };
                construct.push(format!("when({})", normalize(&classic, env, loops)));
            }
            let mut task_env = self.args(task, env, loops);
            if looped != task {
                // The wrapper's inner task binds the item inputs.
                let wrapper_env = task_env.clone();
                for (k, v) in self.args(looped, &wrapper_env, loops) {
                    task_env.insert(k, v);
                }
            }
            let sub = self.templates[template];
            let is_dag = sub.get("dag").is_some();
            if is_dag && construct.is_empty() {
                construct.push("group".to_owned());
            }
            let mut sub_path = path.to_vec();
            sub_path.extend(construct);
            let got = if is_dag && stack.iter().any(|s| s == template) {
                out.push(Step {
                    name: "recurse".to_owned(),
                    path: sub_path,
                    sources: BTreeSet::new(),
                    after: BTreeSet::new(),
                });
                ["recurse".to_owned()].into()
            } else {
                stack.push(template.to_owned());
                let g = self.template(template, &task_env, &sub_path, inner_loops, stack, out, &tname);
                stack.pop();
                g
            };
            leaves.insert(tname.clone(), got);
            firsts.push((first, out.len(), task));
        }
        // Dependencies: every step of a task waits for every step of the tasks it depends on.
        for (from, to, task) in firsts {
            let mut after = BTreeSet::new();
            for d in task["dependencies"].as_array().into_iter().flatten() {
                after.extend(leaves.get(d.as_str().unwrap()).cloned().unwrap_or_default());
            }
            for step in &mut out[from..to] {
                step.after.extend(after.iter().cloned());
            }
        }
        leaves.into_values().flatten().collect()
    }

    /// Our loops with `parallelism` run through a wrapper DAG whose only task loops: look through it.
    fn unwrap_wrapper(&self, task: &'a Value) -> (&'a str, &'a Value) {
        let name = task["template"].as_str().unwrap();
        let t = self.templates[name];
        if let Some(tasks) = t["dag"]["tasks"].as_array()
            && tasks.len() == 1
            && t.get("parallelism").is_some()
            && (tasks[0].get("withItems").is_some() || tasks[0].get("withParam").is_some())
        {
            let inner = &tasks[0];
            return (inner["template"].as_str().unwrap(), inner);
        }
        (name, task)
    }

    /// `, parallelism=N` when the loop's iterations (ours) or its body (kfp v1) declare a limit.
    fn parallelism(&self, task: &Value, template: &str) -> String {
        let outer = self.templates[task["template"].as_str().unwrap()].get("parallelism");
        let body = self.templates[template].get("parallelism");
        match outer.or(body).and_then(Value::as_u64) {
            Some(n) if n > 0 => format!(", parallelism={n}"),
            _ => String::new(),
        }
    }

    fn args(&self, task: &Value, env: &HashMap<String, String>, loops: usize) -> HashMap<String, String> {
        task["arguments"]["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| {
                let v = p["value"].as_str().unwrap_or_default();
                (
                    p["name"].as_str().unwrap().to_owned(),
                    normalize(
                        v,
                        env,
                        loops + usize::from(task.get("withItems").is_some() || task.get("withParam").is_some()),
                    ),
                )
            })
            .collect()
    }
}

/// The items as JSON with sorted keys.
fn canonical_json(v: &Value) -> String {
    serde_json::to_string(v).unwrap()
}

/// Replaces every `{{...}}` with a name-independent token.
fn normalize(text: &str, env: &HashMap<String, String>, loops: usize) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("{{") {
        out.push_str(&rest[..i]);
        let Some(j) = rest[i..].find("}}") else { break };
        let expr = rest[i + 2..i + j].trim();
        out.push_str(&token(expr, env, loops));
        rest = &rest[i + j + 2..];
    }
    out.push_str(rest);
    out
}

fn token(expr: &str, env: &HashMap<String, String>, loops: usize) -> String {
    if let Some(name) = expr.strip_prefix("inputs.parameters.") {
        return env.get(name).cloned().unwrap_or_else(|| format!("⟨param:{name}⟩"));
    }
    if let Some(name) = expr.strip_prefix("workflow.parameters.") {
        return format!("⟨param:{name}⟩");
    }
    if let Some(rest) = expr.strip_prefix("tasks.") {
        let task = rest.split('.').next().unwrap();
        return format!("⟨{task}.out⟩");
    }
    if expr == "item" {
        return format!("⟨item#{loops}⟩");
    }
    if let Some(field) = expr.strip_prefix("item.") {
        return format!("⟨item#{loops}.{field}⟩");
    }
    format!("⟨{expr}⟩")
}
