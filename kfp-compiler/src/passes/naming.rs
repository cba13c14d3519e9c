//! Pass 2: template variants and names. Task and template names are DNS-1123 labels (`[a-z0-9-]`),
//! unique (`train`, `train-2`, ...), at most 128 characters, assigned in linear time.

use std::collections::{HashMap, HashSet};

use kfp_dsl::{ComponentId, SourceLocation};

use crate::argo::Name;
use crate::error::CompileError;
use crate::passes::validate::Validated;

/// Longest template or task name Argo accepts.
pub(crate) const MAX_NAME: usize = 128;

/// One template: a component with one set of per-task settings. Calls with the same settings share it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Variant<'p> {
    pub(crate) component: ComponentId,
    pub(crate) display_name: Option<&'p str>,
}

/// The names of everything in the workflow.
pub(crate) struct Names<'p> {
    /// The root DAG template (and `generateName` stem).
    pub(crate) root: String,
    /// Per task (by `TaskId::index`): its name.
    pub(crate) tasks: Vec<Name>,
    /// Per task: its variant (index into `variants`).
    pub(crate) task_variant: Vec<usize>,
    /// The variants, in first-use order.
    pub(crate) variants: Vec<Variant<'p>>,
    /// Per variant: its template name.
    pub(crate) templates: Vec<Name>,
}

/// Assigns variants and names.
pub(crate) fn name<'p>(v: &Validated<'p>) -> Result<Names<'p>, CompileError> {
    let p = v.pipeline;
    let root = sanitize(p.name());
    if root.is_empty() {
        return Err(CompileError::InvalidName { what: "pipeline name", name: p.name().to_owned() });
    }

    // Variants, in first-use order.
    let mut variant_ids: HashMap<Variant<'p>, usize> = HashMap::new();
    let mut variants = Vec::new();
    let mut task_variant = Vec::with_capacity(p.task_count());
    for id in p.task_ids() {
        let t = p.task(id);
        let key = Variant { component: t.component(), display_name: t.display_name() };
        let next = variants.len();
        let idx = *variant_ids.entry(key.clone()).or_insert_with(|| {
            variants.push(key);
            next
        });
        task_variant.push(idx);
    }

    // Template names: the root first, then components in first-use order.
    let mut templates_used = Unique::default();
    templates_used.reserve(&root);
    let mut templates = Vec::with_capacity(variants.len());
    for var in &variants {
        let base = truncate(sanitize(&p.component(var.component).name), MAX_NAME);
        let base = if base.is_empty() { "component".to_owned() } else { base };
        templates.push(Name::from(templates_used.take(&base)));
    }

    // Task names: explicit ones first (a clash is an error), then the rest from the component names.
    let mut tasks_used = Unique::default();
    let mut tasks: Vec<Option<String>> = vec![None; p.task_count()];
    let mut explicit: HashMap<String, (&str, SourceLocation)> = HashMap::new();
    let mut clashes = Vec::new();
    for id in p.task_ids() {
        if let Some((given, loc)) = p.task(id).explicit_name() {
            let n = truncate(sanitize(given), MAX_NAME);
            if let Some((first_given, first)) = explicit.get(&n) {
                clashes.push(CompileError::NameClash {
                    name: n.clone(),
                    first_given: (*first_given).to_owned(),
                    first: *first,
                    given: given.to_owned(),
                    second: loc,
                });
                continue;
            }
            explicit.insert(n.clone(), (given, loc));
            tasks_used.reserve(&n);
            tasks[id.index()] = Some(n);
        }
    }
    if let Some(first) = clashes.into_iter().next() {
        return Err(first);
    }
    // Each component's name is sanitised once, not once per call.
    let bases: Vec<String> = p
        .components()
        .map(|(_, c)| {
            let b = truncate(sanitize(&c.name), MAX_NAME);
            if b.is_empty() { "task".to_owned() } else { b }
        })
        .collect();
    for id in p.task_ids() {
        if tasks[id.index()].is_none() {
            tasks[id.index()] = Some(tasks_used.take(&bases[p.task(id).component().index()]));
        }
    }
    let tasks = tasks.into_iter().map(|t| Name::from(t.unwrap_or_default())).collect();
    Ok(Names { root, tasks, task_variant, variants, templates })
}

/// Lower-case kebab: ASCII letters and digits kept, every other run of characters becomes one `-`,
/// no leading or trailing `-`. `Train_Model v2` → `train-model-v2`.
pub(crate) fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut dash = false;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    out
}

fn truncate(mut s: String, max: usize) -> String {
    if s.len() > max {
        s.truncate(max);
        while s.ends_with('-') {
            s.pop();
        }
    }
    s
}

/// Hands out unique names: `base`, then `base-2`, `base-3`, ... Each base remembers its next suffix,
/// so `n` names cost O(n) set operations.
#[derive(Default)]
struct Unique {
    used: HashSet<String>,
    next: HashMap<String, u32>,
}

impl Unique {
    fn reserve(&mut self, name: &str) {
        self.used.insert(name.to_owned());
    }

    /// `base` must be at most [`MAX_NAME`] long.
    fn take(&mut self, base: &str) -> String {
        if !self.used.contains(base) {
            self.used.insert(base.to_owned());
            return base.to_owned();
        }
        let n = match self.next.get_mut(base) {
            Some(n) => n,
            None => self.next.entry(base.to_owned()).or_insert(2),
        };
        loop {
            let suffix = format!("-{n}");
            *n += 1;
            let keep = base.len().min(MAX_NAME - suffix.len());
            let mut candidate = String::with_capacity(keep + suffix.len());
            candidate.push_str(base[..keep].trim_end_matches('-'));
            candidate.push_str(&suffix);
            if !self.used.contains(&candidate) {
                self.used.insert(candidate.clone());
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_makes_dns_labels() {
        assert_eq!(sanitize("Train_Model v2"), "train-model-v2");
        assert_eq!(sanitize("--count words--"), "count-words");
        assert_eq!(sanitize("Produce Markdown"), sanitize("produce markdown"));
        assert_eq!(sanitize("日本"), "");
    }

    #[test]
    fn unique_adds_suffixes_and_skips_taken_ones() {
        let mut u = Unique::default();
        u.reserve("train-2");
        assert_eq!(u.take("train"), "train");
        assert_eq!(u.take("train"), "train-3");
        assert_eq!(u.take("train"), "train-4");
        let long = truncate("x".repeat(200), MAX_NAME);
        let a = u.take(&long);
        let b = u.take(&long);
        assert_eq!(a.len(), MAX_NAME);
        assert!(b.len() <= MAX_NAME && b.ends_with("-2"), "{b}");
    }
}
