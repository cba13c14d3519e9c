//! Compile-time checks: every wiring mistake and macro misuse is a rustc error with a clear message
//! (`tests/ui/fail/*.stderr`), and correct wiring compiles (`tests/ui/pass`). The `.stderr` files are
//! recorded against the machine's stable rustc; re-record with `TRYBUILD=overwrite cargo test --test ui`
//! when rustc changes.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/fail/*.rs");
}
