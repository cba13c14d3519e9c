//! Pass 3: names. Task and template names are DNS-1123 labels (`[a-z0-9-]`), unique (`train`,
//! `train-2`, ...), at most 128 characters, assigned in linear time.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use kfp_dsl::{Callee, ScopeKind, SourceLocation};

use crate::error::CompileError;
use crate::passes::validate::Validated;
use crate::passes::variants::{Variant, Variants};

/// A name shared by many places (a task's name is also in its dependants' dependencies): cloning it
/// does not allocate. The same type as [`crate::argo::Name`].
pub(crate) type Name = std::sync::Arc<str>;

/// Longest template or task name Argo accepts.
pub(crate) const MAX_NAME: usize = 128;

/// The names of everything in the workflow.
pub(crate) struct Names {
    /// The root DAG template (and `generateName` stem).
    pub(crate) root: String,
    /// Per task (by `TaskId::index`): its name.
    pub(crate) tasks: Vec<Name>,
    /// Per task: its variant (index into `variants`); `None` for graph component calls.
    pub(crate) task_variant: Vec<Option<usize>>,
    /// The variants, in first-use order.
    pub(crate) variants: Vec<Variant>,
    /// Per variant: its template name.
    pub(crate) templates: Vec<Name>,
    /// Per scope (by `ScopeId::index`; the root's entry is unused): its template and group names.
    pub(crate) scopes: Vec<ScopeNames>,
    /// Per graph component: its template name.
    pub(crate) graphs: Vec<Name>,
}

/// The names a scope gets.
#[derive(Clone, Debug, Default)]
pub(crate) struct ScopeNames {
    /// Its DAG template.
    pub(crate) template: Name,
    /// Its task in the parent's DAG.
    pub(crate) group: Name,
    /// For a loop with `parallelism`: the DAG template that wraps the iterations.
    pub(crate) wrapper: Option<Name>,
}

/// Assigns variants and names.
pub(crate) fn name(v: &Validated<'_>, variants: Variants) -> Result<Names, CompileError> {
    let p = v.pipeline;
    let Variants { list: variants, of_task: task_variant } = variants;
    let root = sanitize(p.name());
    if root.is_empty() {
        return Err(CompileError::InvalidName { what: "pipeline name", name: p.name().to_owned() });
    }

    // Template names: the root first, then components in first-use order.
    let mut templates_used = Unique::with_capacity(variants.len() + p.scopes().len() + 1);
    templates_used.reserve(&root);
    let mut templates = Vec::with_capacity(variants.len());
    for var in &variants {
        let base = truncate(sanitize(&p.component(var.component).name), MAX_NAME);
        let base = if base.is_empty() { "component".to_owned() } else { base };
        templates.push(templates_used.take(&base));
    }

    // Task names: explicit ones first (a clash is an error), then the rest from the component names.
    let mut tasks_used = Unique::with_capacity(p.task_count() + p.scopes().len());
    let mut tasks: Vec<Option<Name>> = vec![None; p.task_count()];
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
            tasks[id.index()] = Some(Name::from(n));
        }
    }
    if let Some(first) = clashes.into_iter().next() {
        return Err(first);
    }
    // Each callee's name is sanitised once, not once per call.
    let base = |name: &str| {
        let b = truncate(sanitize(name), MAX_NAME);
        if b.is_empty() { "task".to_owned() } else { b }
    };
    let component_bases: Vec<String> = p.components().map(|(_, c)| base(&c.name)).collect();
    let graph_bases: Vec<String> = p.graphs().map(|(_, g)| base(&g.interface.name)).collect();
    for id in p.task_ids() {
        if tasks[id.index()].is_none() {
            let b = match p.task(id).callee() {
                Callee::Component(c) => &component_bases[c.index()],
                Callee::Graph(g) => &graph_bases[g.index()],
            };
            tasks[id.index()] = Some(tasks_used.take(b));
        }
    }
    let tasks = tasks.into_iter().map(|t| t.unwrap_or_else(|| Name::from(""))).collect();

    // Scopes: one counter over loops, conditions and exit handlers, in the order they were opened.
    let mut scopes = vec![ScopeNames::default(); p.scopes().len()];
    let mut n = 0;
    for (i, scope) in p.scopes().iter().enumerate() {
        let stem = match &scope.kind {
            ScopeKind::Loop(_) => "for-loop",
            ScopeKind::Condition(_) => "condition",
            ScopeKind::ExitBody { .. } => "exit-handler",
            // Named after their body (exit tasks, below), their graph, or the pipeline.
            ScopeKind::Root | ScopeKind::ExitTasks { .. } | ScopeKind::Graph(_) => continue,
        };
        n += 1;
        let stem = format!("{stem}-{n}");
        let template = templates_used.take(&stem);
        let wrapper = match &scope.kind {
            ScopeKind::Loop(l) if l.parallelism.is_some() => Some(templates_used.take(&format!("{template}-limit"))),
            _ => None,
        };
        scopes[i] = ScopeNames { group: tasks_used.take(&template), template, wrapper };
    }
    for (i, scope) in p.scopes().iter().enumerate() {
        if let ScopeKind::ExitTasks { body } = &scope.kind {
            let template = templates_used.take(&format!("{}-exit", scopes[body.index()].template));
            scopes[i] = ScopeNames { group: template.clone(), template, wrapper: None };
        }
    }
    let graphs = p.graphs().map(|(_, g)| templates_used.take(&format!("graph-{}", base(&g.interface.name)))).collect();
    Ok(Names { root, tasks, task_variant, variants, templates, scopes, graphs })
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

/// FNV-1a: names are short, trusted (they come from the program being compiled), and hashed once per
/// task, where SipHash's denial-of-service resistance only costs time.
#[derive(Default)]
pub(crate) struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

pub(crate) type FastHash = BuildHasherDefault<Fnv>;
pub(crate) type FastMap<K, V> = HashMap<K, V, FastHash>;

/// Hands out unique names: `base`, then `base-2`, `base-3`, ... Each base remembers its next suffix,
/// so `n` names cost O(n) set operations.
#[derive(Default)]
struct Unique {
    used: HashSet<Name, FastHash>,
    next: FastMap<Name, u32>,
    buf: String,
}

impl Unique {
    fn with_capacity(n: usize) -> Self {
        Unique {
            used: HashSet::with_capacity_and_hasher(n, FastHash::default()),
            next: FastMap::default(),
            buf: String::new(),
        }
    }

    fn reserve(&mut self, name: &str) {
        self.used.insert(Name::from(name));
    }

    /// `base` must be at most [`MAX_NAME`] long.
    fn take(&mut self, base: &str) -> Name {
        if !self.used.contains(base) {
            let name = Name::from(base);
            self.used.insert(name.clone());
            return name;
        }
        let n = match self.next.get_mut(base) {
            Some(n) => n,
            None => self.next.entry(Name::from(base)).or_insert(2),
        };
        loop {
            use std::fmt::Write;
            let suffix_len = 1 + n.checked_ilog10().unwrap_or(0) as usize + 1;
            let keep = base.len().min(MAX_NAME - suffix_len);
            self.buf.clear();
            self.buf.push_str(base[..keep].trim_end_matches('-'));
            let _ = write!(self.buf, "-{n}");
            *n += 1;
            if !self.used.contains(self.buf.as_str()) {
                let name = Name::from(self.buf.as_str());
                self.used.insert(name.clone());
                return name;
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
        let mut u = Unique::with_capacity(4);
        u.reserve("train-2");
        assert_eq!(&*u.take("train"), "train");
        assert_eq!(&*u.take("train"), "train-3");
        assert_eq!(&*u.take("train"), "train-4");
        let long = truncate("x".repeat(200), MAX_NAME);
        let a = u.take(&long);
        let b = u.take(&long);
        assert_eq!(a.len(), MAX_NAME);
        assert!(b.len() <= MAX_NAME && b.ends_with("-2"), "{b}");
        let many: HashSet<Name> = (0..120).map(|_| u.take(&long)).collect();
        assert_eq!(many.len(), 120, "all unique");
        assert!(many.iter().all(|n| n.len() <= MAX_NAME && !n.contains("--")));
    }
}
