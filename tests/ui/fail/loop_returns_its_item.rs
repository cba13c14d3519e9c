use kfp::prelude::*;

#[pipeline]
fn pipe(p: &Dag) {
    let _ = p.parallel_for([0.1, 0.01], |_, lr| lr);
}

fn main() {}
