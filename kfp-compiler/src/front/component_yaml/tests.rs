//! Reading the example specs back, and every kind of broken spec.

use super::*;

#[test]
fn the_example_specs_parse() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/components/");
    for f in ["make_data.yaml", "train.yaml"] {
        let text = std::fs::read_to_string(format!("{root}{f}")).unwrap();
        let spec = parse_component(&text).unwrap_or_else(|e| panic!("{f}: {e}"));
        assert!(!spec.inputs.is_empty());
        let again = parse_component(&component_to_yaml(&spec, "x", None).unwrap()).unwrap();
        assert_eq!(again.inputs, spec.inputs, "{f}: export then import keeps the inputs");
        assert_eq!(again.outputs, spec.outputs);
        assert_eq!(again.container_spec(), spec.container_spec());
    }
}

/// Every kind of broken spec gives one clear error with its line, never a panic.
#[test]
fn broken_specs_are_clear_errors() {
    let ok_impl = "implementation:\n  container:\n    image: alpine\n    command: [echo]\n";
    let cases: Vec<(String, &str)> = vec![
        ("name: [unclosed\n".into(), "line 1, column 7: "),
        ("- just\n- a list\n".into(), "line 1, column 1: "),
        (format!("description: no name\n{ok_impl}"), "the component has no `name`"),
        (format!("name: ''\n{ok_impl}"), "`name` must be a non-empty string"),
        (
            format!("name: x\ninputs:\n- {{name: a}}\n- {{name: a}}\n{ok_impl}"),
            "line 4, column 3: `a` is declared twice in `inputs`",
        ),
        (
            "name: x\ninputs: [{name: a}]\nimplementation:\n  container:\n    image: alpine\n    args: [{inputFile: a}]\n".into(),
            "unknown placeholder `inputFile`",
        ),
        (
            "name: x\ninputs: [{name: a}]\nimplementation:\n  container:\n    image: alpine\n    args: [{inputValue: b}]\n".into(),
            "`inputValue: b` names no input (inputs: `a`)",
        ),
        (
            "name: x\ninputs: [{name: a}]\nimplementation:\n  container:\n    image: alpine\n    args: [{outputPath: a}]\n".into(),
            "`outputPath: a` names an input",
        ),
        (
            format!("name: x\ninputs:\n- {{name: num, type: Integer, default: 3}}\n{ok_impl}"),
            "line 3, column 3: `num`: `default` must be a string",
        ),
        (format!("name: x\ninputs:\n- {{name: n}}\n{ok_impl}"), "reads as `false`, not a string: quote it"),
        (
            "name: x\ninputs: [{name: a}]\nimplementation:\n  container:\n    image: alpine\n    args: [{if: {then: [x]}}]\n".into(),
            "`if` without `cond`",
        ),
        ("name: x\nimplementation:\n  graph: {tasks: {}}\n".into(), "implementation `graph` is not supported"),
        ("name: x\nimplementation:\n  container: {command: [echo]}\n".into(), "`container` needs an `image`"),
        (format!("name: x\nfoo: 1\n{ok_impl}"), "unknown field `foo`"),
        ("name: x\n".into(), "the component has no `implementation`"),
        (
            format!("name: x\nmetadata:\n  labels: {{'bad key!': v}}\n{ok_impl}"),
            "line 3, column 3: in `metadata.labels`: `bad key!` is not a valid label key",
        ),
        (
            format!("name: x\nmetadata:\n  labels: {{team: 'two words'}}\n{ok_impl}"),
            "in `metadata.labels.team`: ",
        ),
        (format!("name: x\nmetadata:\n  annotations: {{n: 3}}\n{ok_impl}"), "`metadata.annotations.n` must be a string (quote it: `n: '3'`)"),
        (format!("name: x\nmetadata:\n  owner: me\n{ok_impl}"), "unknown `metadata` field `owner`"),
        (
            format!("name: x\ninputs:\n- {{name: a, optional: maybe}}\n{ok_impl}"),
            "`a`: `optional` must be `true` or `false`",
        ),
        ("".into(), "the component has no `name`"),
        (
            format!("name: x\ninputs:\n- {{name: flag, type: Boolean, default: yes}}\n{ok_impl}"),
            "line 3, column 3: `flag`: `default` must be a string (component.yaml stores values as strings): write `default: 'yes'`",
        ),
        (
            format!("name: x\ninputs:\n- name: flag\n  type: Boolean\n  default: Off # the switch\n{ok_impl}"),
            "write `default: 'Off'`",
        ),
        (format!("name: x\ninputs:\n- {{name: 1.50}}\n{ok_impl}"), "quote it (`name: '1.50'`)"),
        (format!("name: x\ndescription: a\nname: y\n{ok_impl}"), "line 3, column 1: key `name` appears twice in the same mapping: keep one"),
        (
            format!("name: x\ninputs:\n- {{name: a, type: String, name: b}}\n{ok_impl}"),
            "key `name` appears twice in the same mapping: keep one",
        ),
        (
            format!("name: x\ndescription: [{}]\n{ok_impl}", "1,".repeat(250_001)),
            "the file is too big: more than 250,000 YAML nodes; is this the right file?",
        ),
        (
            format!("name: x\ndescription: {}{}\n{ok_impl}", "[".repeat(100), "]".repeat(100)),
            "the file nests lists and mappings more than 64 deep",
        ),
    ];
    for (text, expected) in &cases {
        let e = parse_component(text).expect_err(text).to_string();
        assert!(e.contains(expected), "for\n{text}\nexpected `{expected}`, got `{e}`");
        assert_eq!(e.lines().count(), 1, "one line: {e}");
    }
}
