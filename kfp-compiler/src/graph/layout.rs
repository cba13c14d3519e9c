//! A layered (Sugiyama-style) layout with nested boxes, deterministic and dependency-free.
//!
//! Each box (the root, then every scope) is laid out on its own, inside out: its items are its own
//! tasks and its child boxes (already laid out, so of known size), and an arrow between tasks in two
//! items counts as an arrow between those items. Per box: back edges found by a depth-first search are
//! ignored (a recursive graph call, or arrows lifted to boxes, can make cycles); items get the longest
//! path from a source as their layer; a few barycenter sweeps order each layer; each item is placed
//! under the mean of its predecessors' centres, pushed right past its left neighbour. A box is then its
//! layers plus padding and a header for its label, so boxes never overlap and nest exactly.

use super::Graph;

/// Width of one character of the 12px monospace text the SVG uses.
pub(crate) const CHAR_W: f64 = 7.3;
/// Height of a task box (two lines of text).
pub(crate) const NODE_H: f64 = 44.0;
const NODE_PAD: f64 = 12.0;
const MIN_NODE_W: f64 = 90.0;
const GAP_X: f64 = 30.0;
const GAP_Y: f64 = 46.0;
const BOX_PAD: f64 = 14.0;
/// Height of a box's label line.
pub(crate) const HEADER_H: f64 = 22.0;
const MARGIN: f64 = 20.0;
/// Height of the picture's title line.
pub(crate) const TITLE_H: f64 = 30.0;
const SWEEPS: usize = 4;

/// A rectangle: top-left corner and size.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Rect {
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) w: f64,
    pub(crate) h: f64,
}

/// Where everything goes.
#[derive(Debug)]
pub(crate) struct Placed {
    /// The whole picture.
    pub(crate) size: (f64, f64),
    /// Per node.
    pub(crate) nodes: Vec<Rect>,
    /// Per cluster.
    pub(crate) clusters: Vec<Rect>,
}

/// Something laid out inside a box: a task, or a child box.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Item {
    Node(usize),
    Cluster(usize),
}

/// A box laid out: its size, and its items' top-left corners relative to its own.
#[derive(Default)]
struct Block {
    w: f64,
    h: f64,
    items: Vec<(Item, f64, f64)>,
}

/// Lays `g` out.
pub(crate) fn layout(g: &Graph) -> Placed {
    let mut blocks: Vec<Block> = (0..g.clusters.len()).map(|_| Block::default()).collect();
    // Children come after their parents: lay out from the last cluster back.
    for c in (0..g.clusters.len()).rev() {
        let label_w = text_width(&g.clusters[c].label);
        blocks[c] = block(g, Some(c), &blocks, HEADER_H, BOX_PAD, label_w);
    }
    let root = block(g, None, &blocks, TITLE_H, MARGIN, text_width(&g.title));
    let mut placed = Placed {
        size: (root.w, root.h),
        nodes: vec![Rect::default(); g.nodes.len()],
        clusters: vec![Rect::default(); g.clusters.len()],
    };
    place(&root, 0.0, 0.0, &blocks, g, &mut placed);
    placed
}

/// The width a line of text takes.
pub(crate) fn text_width(s: &str) -> f64 {
    s.chars().count() as f64 * CHAR_W
}

/// A task box's size.
pub(crate) fn node_size(g: &Graph, n: usize) -> (f64, f64) {
    let node = &g.nodes[n];
    let w = text_width(&node.name).max(text_width(&node.detail)) + 2.0 * NODE_PAD;
    (w.max(MIN_NODE_W), NODE_H)
}

fn place(b: &Block, x0: f64, y0: f64, blocks: &[Block], g: &Graph, out: &mut Placed) {
    for &(item, x, y) in &b.items {
        let (x, y) = (x0 + x, y0 + y);
        match item {
            Item::Node(n) => {
                let (w, h) = node_size(g, n);
                out.nodes[n] = Rect { x, y, w, h };
            }
            Item::Cluster(c) => {
                let inner = &blocks[c];
                out.clusters[c] = Rect { x, y, w: inner.w, h: inner.h };
                place(inner, x, y, blocks, g, out);
            }
        }
    }
}

/// The item of box `container` that holds node `n`, if `n` is inside it.
fn lift(g: &Graph, n: usize, container: Option<usize>) -> Option<Item> {
    let chain = g.ancestors(g.nodes[n].cluster);
    match container {
        None => Some(chain.last().map_or(Item::Node(n), |&c| Item::Cluster(c))),
        Some(c) => match chain.iter().position(|&x| x == c)? {
            0 => Some(Item::Node(n)),
            i => Some(Item::Cluster(chain[i - 1])),
        },
    }
}

/// Lays out the items of `container` (whose child boxes are in `blocks`).
fn block(g: &Graph, container: Option<usize>, blocks: &[Block], header: f64, pad: f64, label_w: f64) -> Block {
    // Items in the order of their first task, so the picture follows the code.
    let first_task = |c: usize| g.nodes.iter().position(|n| g.ancestors(n.cluster).contains(&c)).unwrap_or(usize::MAX);
    let mut keyed: Vec<(usize, Item)> = g
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.cluster == container)
        .map(|(i, _)| (i, Item::Node(i)))
        .chain(
            g.clusters
                .iter()
                .enumerate()
                .filter(|(_, c)| c.parent == container)
                .map(|(c, _)| (first_task(c), Item::Cluster(c))),
        )
        .collect();
    keyed.sort();
    let items: Vec<Item> = keyed.into_iter().map(|(_, i)| i).collect();
    let size = |it: Item| match it {
        Item::Node(n) => node_size(g, n),
        Item::Cluster(c) => (blocks[c].w, blocks[c].h),
    };
    let index = |it: Item| items.iter().position(|&x| x == it);
    let mut edges: Vec<(usize, usize)> = g
        .edges
        .iter()
        .filter_map(|e| {
            let a = index(lift(g, e.from, container)?)?;
            let b = index(lift(g, e.to, container)?)?;
            (a != b).then_some((a, b))
        })
        .collect();
    edges.sort_unstable();
    edges.dedup();
    let edges = drop_back_edges(items.len(), &edges);
    let layers = order(items.len(), &edges, &layer_of(items.len(), &edges));

    // Coordinates: layers top to bottom, each item under its predecessors' mean centre.
    let mut centre = vec![0.0_f64; items.len()];
    let mut left = vec![0.0_f64; items.len()];
    let mut top = vec![0.0_f64; items.len()];
    let mut y = 0.0;
    for layer in &layers {
        let mut right_edge = f64::NEG_INFINITY;
        let height = layer.iter().map(|&i| size(items[i]).1).fold(0.0, f64::max);
        for &i in layer {
            let (w, _) = size(items[i]);
            let preds: Vec<f64> = edges.iter().filter(|e| e.1 == i).map(|e| centre[e.0]).collect();
            let want = if preds.is_empty() {
                f64::NEG_INFINITY
            } else {
                preds.iter().sum::<f64>() / preds.len() as f64 - w / 2.0
            };
            let x = if right_edge.is_finite() {
                want.max(right_edge + GAP_X)
            } else if want.is_finite() {
                want
            } else {
                0.0
            };
            left[i] = x;
            centre[i] = x + w / 2.0;
            top[i] = y;
            right_edge = x + w;
        }
        y += height + GAP_Y;
    }
    let content_h = if layers.is_empty() { 0.0 } else { y - GAP_Y };
    let min_x = left.iter().copied().fold(f64::INFINITY, f64::min);
    let min_x = if min_x.is_finite() { min_x } else { 0.0 };
    let content_w = items.iter().enumerate().map(|(i, &it)| left[i] - min_x + size(it).0).fold(0.0, f64::max);
    let w = content_w.max(label_w) + 2.0 * pad;
    let shift = pad - min_x + (w - 2.0 * pad - content_w) / 2.0;
    Block {
        w,
        h: header + content_h + 2.0 * pad,
        items: items.iter().enumerate().map(|(i, &it)| (it, left[i] + shift, header + pad + top[i])).collect(),
    }
}

/// The edges without those that close a cycle (found by an iterative depth-first search in item
/// order).
fn drop_back_edges(n: usize, edges: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let succ = |v: usize| edges.iter().filter(move |e| e.0 == v).map(|e| e.1);
    let mut state = vec![0u8; n]; // 0 new, 1 on the stack, 2 done
    let mut back = Vec::new();
    for start in 0..n {
        if state[start] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, Vec<usize>)> = vec![(start, succ(start).collect())];
        state[start] = 1;
        while let Some((v, rest)) = stack.last_mut() {
            let v = *v;
            match rest.pop() {
                Some(w) if state[w] == 1 => back.push((v, w)),
                Some(w) if state[w] == 0 => {
                    state[w] = 1;
                    let mut next: Vec<usize> = succ(w).collect();
                    next.reverse();
                    stack.push((w, next));
                }
                Some(_) => {}
                None => {
                    state[v] = 2;
                    stack.pop();
                }
            }
        }
    }
    edges.iter().copied().filter(|e| !back.contains(e)).collect()
}

/// Longest path from a source, over acyclic `edges`.
fn layer_of(n: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    let mut indegree = vec![0usize; n];
    for e in edges {
        indegree[e.1] += 1;
    }
    let mut layer = vec![0usize; n];
    let mut ready: Vec<usize> = (0..n).filter(|&v| indegree[v] == 0).rev().collect();
    while let Some(v) = ready.pop() {
        for e in edges.iter().filter(|e| e.0 == v) {
            layer[e.1] = layer[e.1].max(layer[v] + 1);
            indegree[e.1] -= 1;
            if indegree[e.1] == 0 {
                ready.push(e.1);
            }
        }
    }
    layer
}

/// The items of each layer, ordered by a few barycenter sweeps (down, then up) to cut crossings.
fn order(n: usize, edges: &[(usize, usize)], layer: &[usize]) -> Vec<Vec<usize>> {
    let depth = layer.iter().max().map_or(0, |m| m + 1);
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); depth];
    for v in 0..n {
        layers[layer[v]].push(v);
    }
    let mut pos = vec![0.0_f64; n];
    let set_pos = |layers: &[Vec<usize>], pos: &mut [f64]| {
        for l in layers {
            for (i, &v) in l.iter().enumerate() {
                pos[v] = i as f64;
            }
        }
    };
    set_pos(&layers, &mut pos);
    for sweep in 0..SWEEPS {
        let down = sweep % 2 == 0;
        let range: Vec<usize> = if down { (1..depth).collect() } else { (0..depth.saturating_sub(1)).rev().collect() };
        for l in range {
            let mut keyed: Vec<(f64, f64, usize)> = layers[l]
                .iter()
                .map(|&v| {
                    let near: Vec<f64> = edges
                        .iter()
                        .filter_map(|&(a, b)| match down {
                            true if b == v => Some(pos[a]),
                            false if a == v => Some(pos[b]),
                            _ => None,
                        })
                        .collect();
                    let key = if near.is_empty() { pos[v] } else { near.iter().sum::<f64>() / near.len() as f64 };
                    (key, pos[v], v)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
            layers[l] = keyed.into_iter().map(|k| k.2).collect();
            set_pos(&layers, &mut pos);
        }
    }
    layers
}
