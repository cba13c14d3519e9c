//! The partition of the entry DAG's root tasks into parts: a topological order that keeps chains
//! together (Kahn's algorithm taking the most recently freed group first), groups of tasks that must
//! share a part (joined by a non-success dependency, a status or an artifact: union-find), and a
//! greedy cut into contiguous runs under the byte budget that, near the budget, cuts where the fewest
//! values cross.

/// A root task as the partition sees it.
pub(super) struct Node {
    /// The tasks it runs after or reads from.
    pub(super) preds: Vec<usize>,
    /// Its own bytes (the task, and the status Argo adds for it).
    pub(super) bytes: usize,
    /// The templates it runs directly.
    pub(super) templates: Vec<usize>,
}

/// What the partition needs to know.
pub(super) struct Graph<'a> {
    pub(super) nodes: Vec<Node>,
    /// Pairs of tasks that must share a part.
    pub(super) joins: Vec<(usize, usize)>,
    /// Values read across tasks: (producer, the consumers), one entry per output read.
    pub(super) values: Vec<(usize, Vec<usize>)>,
    /// For each template, the templates it runs.
    pub(super) children: &'a [Vec<usize>],
    /// For each template, its bytes.
    pub(super) template_bytes: &'a [usize],
}

/// A group of tasks that alone does not fit: its first task, its size.
pub(super) struct TooBig {
    pub(super) tasks: Vec<usize>,
    pub(super) bytes: usize,
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// The tasks in an order where every task comes after those it depends on and each group is a
/// contiguous run; `ends[i]` is whether a group ends at position `i`.
fn order(g: &Graph<'_>) -> (Vec<usize>, Vec<bool>) {
    let n = g.nodes.len();
    let mut parent: Vec<usize> = (0..n).collect();
    for &(a, b) in &g.joins {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
    }
    loop {
        let root: Vec<usize> = (0..n).map(|i| find(&mut parent, i)).collect();
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); n];
        for i in 0..n {
            members[root[i]].push(i);
        }
        let mut indeg = vec![0usize; n];
        let mut succs: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, node) in g.nodes.iter().enumerate() {
            for &p in &node.preds {
                if root[p] != root[i] {
                    succs[root[p]].push(root[i]);
                    indeg[root[i]] += 1;
                }
            }
        }
        // The first groups first, then always the one freed last: a chain runs on to its end.
        let mut ready: Vec<usize> = (0..n).rev().filter(|&r| root[r] == r && indeg[r] == 0).collect();
        let (mut out, mut ends) = (Vec::with_capacity(n), Vec::with_capacity(n));
        while let Some(r) = ready.pop() {
            out.extend_from_slice(&members[r]);
            ends.resize(out.len(), false);
            ends[out.len() - 1] = true;
            let mut freed = Vec::new();
            for &s in &succs[r] {
                indeg[s] -= 1;
                if indeg[s] == 0 {
                    freed.push(s);
                }
            }
            freed.sort_unstable_by(|a, b| b.cmp(a));
            ready.extend(freed);
        }
        if out.len() == n {
            return (out, ends);
        }
        // Groups that wait on each other through a task between them: one group.
        let placed: std::collections::HashSet<usize> = out.iter().map(|&i| root[i]).collect();
        let left: Vec<usize> = (0..n).filter(|&i| root[i] == i && !placed.contains(&i)).collect();
        for w in left.windows(2) {
            let (ra, rb) = (find(&mut parent, w[0]), find(&mut parent, w[1]));
            parent[ra.max(rb)] = ra.min(rb);
        }
    }
}

/// The parts, each a list of task indices, in order: every part's bytes (`base` plus its tasks plus
/// the templates they need) at most `budget`.
pub(super) fn partition(g: &Graph<'_>, base: usize, budget: usize) -> Result<Vec<Vec<usize>>, TooBig> {
    let n = g.nodes.len();
    let (order, ends) = order(g);
    let mut pos = vec![0usize; n];
    for (p, &t) in order.iter().enumerate() {
        pos[t] = p;
    }
    // crossing[i]: the values produced at or before position i and read after it.
    let mut diff = vec![0i64; n + 1];
    for (producer, consumers) in &g.values {
        let (p, last) = (pos[*producer], consumers.iter().map(|&c| pos[c]).max().unwrap_or(0));
        if last > p {
            diff[p] += 1;
            diff[last] -= 1;
        }
    }
    let mut crossing = Vec::with_capacity(n);
    let mut run = 0i64;
    for d in &diff[..n] {
        run += d;
        crossing.push(run);
    }
    let mut stamp = vec![usize::MAX; g.template_bytes.len()];
    let mut parts = Vec::new();
    let mut start = 0;
    let mut stack = Vec::new();
    while start < n {
        let part = parts.len();
        let mut bytes = base;
        let mut cum = Vec::new();
        let mut i = start;
        let mut over = false;
        while i < n {
            let node = &g.nodes[order[i]];
            bytes += node.bytes;
            stack.extend_from_slice(&node.templates);
            while let Some(t) = stack.pop() {
                if stamp[t] != part {
                    stamp[t] = part;
                    bytes += g.template_bytes[t];
                    stack.extend_from_slice(&g.children[t]);
                }
            }
            cum.push(bytes);
            if bytes > budget {
                over = true;
                break;
            }
            i += 1;
        }
        if !over {
            parts.push(order[start..].to_vec());
            break;
        }
        let cuts: Vec<usize> = (start..i).filter(|&j| ends[j]).collect();
        let Some(&last) = cuts.last() else {
            // The first group alone is over the budget: measure all of it.
            let mut end = i;
            while !ends[end] {
                end += 1;
            }
            let tasks = order[start..=end].to_vec();
            let mut bytes = cum[cum.len() - 1];
            for &t in &order[i + 1..=end] {
                bytes += g.nodes[t].bytes;
            }
            return Err(TooBig { tasks, bytes });
        };
        let near = budget - budget / 10;
        let cut = cuts
            .iter()
            .copied()
            .filter(|&j| cum[j - start] >= near)
            .min_by_key(|&j| (crossing[j], std::cmp::Reverse(j)))
            .unwrap_or(last);
        parts.push(order[start..=cut].to_vec());
        start = cut + 1;
        // The templates are counted again for the next part.
        stamp.iter_mut().filter(|s| **s == part).for_each(|s| *s = usize::MAX);
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(preds: &[usize], bytes: usize) -> Node {
        Node { preds: preds.to_vec(), bytes, templates: vec![0] }
    }

    #[test]
    fn chains_stay_together_and_parts_fit() {
        // Two chains of three, 10 bytes each, the shared template 5 bytes: budget 40 holds one chain.
        let nodes = vec![node(&[], 10), node(&[], 10), node(&[0], 10), node(&[1], 10), node(&[2], 10), node(&[3], 10)];
        let children = vec![Vec::new()];
        let values = vec![(0, vec![2]), (2, vec![4]), (1, vec![3]), (3, vec![5])];
        let g = Graph { nodes, joins: Vec::new(), values, children: &children, template_bytes: &[5] };
        let parts = partition(&g, 0, 40).unwrap_or_else(|_| panic!("fits"));
        assert_eq!(parts, vec![vec![0, 2, 4], vec![1, 3, 5]]);
    }

    #[test]
    fn joined_tasks_share_a_part_and_too_big_is_reported() {
        let nodes = vec![node(&[], 10), node(&[0], 10), node(&[1], 10)];
        let children = vec![Vec::new()];
        let g = Graph { nodes, joins: vec![(0, 2)], values: Vec::new(), children: &children, template_bytes: &[0] };
        // 0 and 2 are joined, 1 lies between them: all three are one group.
        let parts = partition(&g, 0, 30).unwrap_or_else(|_| panic!("fits"));
        assert_eq!(parts.len(), 1);
        let Err(err) = partition(&g, 0, 25) else { panic!("30 bytes do not fit in 25") };
        assert_eq!((err.tasks.len(), err.bytes), (3, 30));
    }
}
