//! Control flow on the emitted workflow: loop parallelism on the iterations, typed fan-in, nested
//! loops, conditions (quoting, and/or/not, elif/else), exit handlers (onExit and hooks), graph
//! components and recursion, and the mistakes rustc cannot see, each with the user's line.

mod support;

use kfp::argo::{DagTask, Template, Workflow};
use kfp::prelude::*;
use kfp::{CompileError, CompileOptions};
use serde::{Deserialize, Serialize};

/// Scores a learning rate.
#[container_component(image = "alpine:3.20")]
fn train(lr: Param<f64>, score: OutputParam<f64>) -> ContainerSpec {
    ContainerSpec::new(["train"]).arg(lr).arg(score)
}

/// Takes all scores.
#[container_component(image = "alpine:3.20")]
fn best(scores: Param<Vec<f64>>) -> ContainerSpec {
    ContainerSpec::new(["best"]).arg(scores)
}

/// Echoes a string.
#[container_component(image = "alpine:3.20")]
fn echo(msg: Param<String>) -> ContainerSpec {
    ContainerSpec::new(["echo"]).arg(msg)
}

/// Emits a number.
#[container_component(image = "alpine:3.20")]
fn count(n: OutputParam<u32>) -> ContainerSpec {
    ContainerSpec::new(["count"]).arg(n)
}

/// Lists things.
#[container_component(image = "alpine:3.20")]
fn list(items: OutputParam<Vec<String>>) -> ContainerSpec {
    ContainerSpec::new(["list"]).arg(items)
}

fn compile(body: impl FnOnce(&Dag)) -> Result<Workflow, CompileError> {
    let p = kfp::Pipeline::build("cf", None, body)?;
    kfp::compile_pipeline(&p, &CompileOptions::default())
}

fn template<'w>(wf: &'w Workflow, name: &str) -> &'w Template {
    wf.spec.templates.iter().find(|t| t.name == name).unwrap_or_else(|| panic!("no template {name}"))
}

fn tasks<'w>(wf: &'w Workflow, name: &str) -> &'w [DagTask] {
    &template(wf, name).dag.as_ref().unwrap_or_else(|| panic!("{name} is not a DAG")).tasks
}

fn task<'w>(wf: &'w Workflow, tmpl: &str, name: &str) -> &'w DagTask {
    tasks(wf, tmpl).iter().find(|t| &*t.name == name).unwrap_or_else(|| panic!("no task {name} in {tmpl}"))
}

fn arg<'w>(t: &'w DagTask, name: &str) -> &'w str {
    t.arguments
        .parameters
        .iter()
        .find(|p| &*p.name == name)
        .and_then(|p| p.value.as_deref())
        .unwrap_or_else(|| panic!("no argument {name}"))
}

#[test]
fn parallelism_limits_the_iterations_not_the_body() {
    let wf = compile(|p| {
        p.parallel_for_limit([1u32, 2, 3], 2, |p, x| {
            train(p, 0.1).after(&x_task(p, x));
        });
    })
    .unwrap();
    // The root runs the wrapper once; the wrapper has parallelism 2 and expands the items.
    let group = task(&wf, "cf", "for-loop-1");
    assert_eq!(&*group.template, "for-loop-1-limit");
    assert!(group.with_items.is_none() && group.with_param.is_none());
    let wrapper = template(&wf, "for-loop-1-limit");
    assert_eq!(wrapper.parallelism, Some(2));
    let iterations = &tasks(&wf, "for-loop-1-limit")[0];
    assert_eq!(&*iterations.template, "for-loop-1");
    assert_eq!(iterations.with_items.as_ref().unwrap().len(), 3);
    assert_eq!(arg(iterations, "for-loop-1-item"), "{{item}}");
    // The body template itself has no parallelism (kfp v1 put it there, where Argo ignores it for
    // the iterations: kubeflow/pipelines#6588).
    assert_eq!(template(&wf, "for-loop-1").parallelism, None);
}

fn x_task<'a>(p: &'a Dag, x: LoopItem<'_, u32>) -> kfp::Task<'a, <echo as kfp::Component>::Outputs> {
    echo(p, fmt_param!(p, "item {}", x))
}

#[test]
fn a_loop_returns_a_typed_list_of_its_outputs() {
    let wf = compile(|p| {
        let scores = p.parallel_for(vec![0.1, 0.01], |p, lr| train(p, lr).score);
        best(p, scores);
    })
    .unwrap();
    let body = template(&wf, "for-loop-1");
    let out = &body.outputs.parameters[0];
    assert_eq!(&*out.name, "train-score");
    assert_eq!(out.value_from.as_ref().unwrap().parameter.as_deref(), Some("{{tasks.train.outputs.parameters.score}}"));
    let consumer = task(&wf, "cf", "best");
    assert_eq!(arg(consumer, "scores"), "{{tasks.for-loop-1.outputs.parameters.train-score}}");
    assert_eq!(consumer.dependencies.iter().map(|d| &**d).collect::<Vec<_>>(), ["for-loop-1"]);
}

#[test]
fn fan_in_through_a_parallelism_wrapper_is_passed_up() {
    let wf = compile(|p| {
        let scores = p.parallel_for_limit(vec![0.1, 0.01], 1, |p, lr| train(p, lr).score);
        best(p, scores);
    })
    .unwrap();
    let wrapper = template(&wf, "for-loop-1-limit");
    assert_eq!(
        wrapper.outputs.parameters[0].value_from.as_ref().unwrap().parameter.as_deref(),
        Some("{{tasks.for-loop-1.outputs.parameters.train-score}}")
    );
    assert_eq!(arg(task(&wf, "cf", "best"), "scores"), "{{tasks.for-loop-1.outputs.parameters.train-score}}");
}

#[derive(Serialize, Deserialize, ParamType)]
struct Job {
    name: String,
    #[serde(rename = "learningRate")]
    lr: f64,
    tags: Vec<String>,
}

#[test]
fn loops_over_outputs_parameters_and_item_fields() {
    let wf = compile(|p| {
        let words = list(p).items;
        let jobs = p.param::<Vec<Job>>("jobs");
        p.parallel_for(words, |p, w| {
            echo(p, w);
        });
        p.parallel_for(jobs, |p, job| {
            train(p, job.lr);
            p.parallel_for(job.tags, |p, tag| {
                echo(p, fmt_param!(p, "{}: {}", job.name, tag));
            });
        });
    })
    .unwrap();
    let over_output = task(&wf, "cf", "for-loop-1");
    assert_eq!(over_output.with_param.as_deref(), Some("{{tasks.list.outputs.parameters.items}}"));
    assert_eq!(over_output.dependencies.iter().map(|d| &**d).collect::<Vec<_>>(), ["list"]);
    let over_param = task(&wf, "cf", "for-loop-2");
    assert_eq!(over_param.with_param.as_deref(), Some("{{inputs.parameters.jobs}}"));
    // Serde renames are honoured in `{{item.field}}`.
    assert_eq!(arg(over_param, "for-loop-2-item-learningRate"), "{{item.learningRate}}");
    // The nested loop iterates over the outer item's field and reads another of its fields.
    let nested = task(&wf, "for-loop-2", "for-loop-3");
    assert_eq!(nested.with_param.as_deref(), Some("{{inputs.parameters.for-loop-2-item-tags}}"));
    assert_eq!(arg(nested, "for-loop-2-item-name"), "{{inputs.parameters.for-loop-2-item-name}}");
    let inner = task(&wf, "for-loop-3", "echo-2");
    assert_eq!(arg(inner, "msg"), "{{inputs.parameters.for-loop-2-item-name}}: {{inputs.parameters.for-loop-3-item}}");
}

#[test]
fn conditions_quote_strings_not_numbers_and_combine() {
    let wf = compile(|p| {
        let n = count(p).n;
        let mode = p.param_with_default::<String>("mode", "fast");
        let on = p.param_with_default::<bool>("on", true);
        p.condition(n.gt(3) & (mode.eq("fast") | !on.eq(true)), |p| {
            echo(p, "a");
        })
        .elif(n.le(1), |p| {
            echo(p, "b");
        })
        .otherwise(|p| {
            echo(p, "c");
        });
    })
    .unwrap();
    let n = "{{tasks.count.outputs.parameters.n}}";
    // Each `when` is one expression tag; read back in kfp v1's classic form it says the same.
    let classic = |t: &kfp::argo::DagTask| {
        let w = t.when.as_deref().unwrap();
        let e = w.strip_prefix("{{=").and_then(|e| e.strip_suffix("}}")).unwrap_or_else(|| panic!("{w}"));
        kfp::argo_template::describe(e).unwrap()
    };
    let first = task(&wf, "cf", "condition-1");
    assert_eq!(
        classic(first),
        format!(
            "({n} > 3) && ((\"{{{{inputs.parameters.mode}}}}\" == \"fast\") || (!(\"{{{{inputs.parameters.on}}}}\" == \"true\")))"
        )
    );
    let second = task(&wf, "cf", "condition-2");
    assert!(classic(second).starts_with("(!("), "{:?}", second.when);
    assert!(classic(second).ends_with(&format!("({n} <= 1)")), "{:?}", second.when);
    let third = task(&wf, "cf", "condition-3");
    assert!(classic(third).starts_with("!(("), "{:?}", third.when);
    for t in [first, second, third] {
        assert_eq!(t.dependencies.iter().map(|d| &**d).collect::<Vec<_>>(), ["count"]);
    }
}

#[test]
fn a_task_after_a_condition_depends_on_the_outermost_group() {
    let wf = compile(|p| {
        let n = count(p).n;
        let outer = p.condition(n.gt(1), |p| {
            p.condition(n.gt(2), |p| {
                echo(p, "deep");
            });
        });
        echo(p, "after").after(&outer);
    })
    .unwrap();
    let after = task(&wf, "cf", "echo-2");
    assert_eq!(after.dependencies.iter().map(|d| &**d).collect::<Vec<_>>(), ["condition-1"]);
}

#[test]
fn an_exit_handler_around_part_of_the_pipeline_is_an_exit_hook() {
    let wf = compile(|p| {
        let first = count(p);
        p.exit_handler(
            |p, status| {
                echo(p, fmt_param!(p, "{} after {}", status, first.n));
            },
            |p| {
                echo(p, "body").after(&first);
            },
        );
    })
    .unwrap();
    assert_eq!(wf.spec.on_exit, None);
    let group = task(&wf, "cf", "exit-handler-1");
    let hook = &group.hooks["exit"];
    assert_eq!(&*hook.template, "exit-handler-1-exit");
    let status = hook.arguments.parameters.iter().find(|p| &*p.name == "status").unwrap();
    assert_eq!(status.value.as_deref(), Some("{{tasks.exit-handler-1.status}}"));
    let n = hook.arguments.parameters.iter().find(|p| &*p.name == "count-n").unwrap();
    assert_eq!(n.value.as_deref(), Some("{{tasks.count.outputs.parameters.n}}"));
    // The value the hook reads exists before the body starts.
    assert_eq!(group.dependencies.iter().map(|d| &**d).collect::<Vec<_>>(), ["count"]);
    let exit = task(&wf, "exit-handler-1-exit", "echo-2");
    assert_eq!(arg(exit, "msg"), "{{inputs.parameters.status}} after {{inputs.parameters.count-n}}");
}

#[test]
fn an_exit_handler_around_everything_is_the_workflow_on_exit() {
    let wf = compile(|p| {
        let url = p.param::<String>("url");
        p.exit_handler(
            |p, status| {
                echo(p, fmt_param!(p, "{} {} {}", status, url, p.run_id()));
            },
            |p| {
                echo(p, url);
            },
        );
    })
    .unwrap();
    assert_eq!(wf.spec.on_exit.as_deref(), Some("exit-handler-1-exit"));
    let exit = template(&wf, "exit-handler-1-exit");
    assert!(exit.inputs.parameters.is_empty(), "the onExit template takes no inputs (kubeflow/pipelines#7009)");
    assert_eq!(
        arg(&exit.dag.as_ref().unwrap().tasks[0], "msg"),
        "{{workflow.status}} {{workflow.parameters.url}} {{workflow.uid}}"
    );
}

/// Counts down by recursion.
#[graph_component]
fn countdown(p: &Dag, n: Param<u32>) -> Param<u32> {
    echo(p, fmt_param!(p, "at {}", n));
    let c = count(p);
    p.condition(c.n.gt(0), |p| {
        countdown(p, c.n);
    });
    c.n
}

#[test]
fn a_recursive_graph_component_references_its_own_template() {
    let wf = compile(|p| {
        let top = countdown(p, 3u32);
        echo(p, fmt_param!(p, "{}", top.output));
    })
    .unwrap();
    let graph = template(&wf, "graph-countdown");
    assert_eq!(graph.inputs.parameters.iter().map(|p| &*p.name).collect::<Vec<_>>(), ["n"]);
    assert_eq!(
        graph.outputs.parameters[0].value_from.as_ref().unwrap().parameter.as_deref(),
        Some("{{tasks.count.outputs.parameters.n}}")
    );
    let cond = task(&wf, "graph-countdown", "condition-1");
    let inner = tasks(&wf, &cond.template)[0].clone();
    assert_eq!(&*inner.template, "graph-countdown", "the recursion calls the template, it is not inlined");
    let top = task(&wf, "cf", "countdown");
    assert_eq!(&*top.template, "graph-countdown");
    assert_eq!(arg(task(&wf, "cf", "echo-2"), "msg"), "{{tasks.countdown.outputs.parameters.output}}");
}

const FOREVER_CALL: u32 = line!() + 4;
/// Recurses without a condition.
#[graph_component]
fn forever(p: &Dag, n: Param<u32>) {
    forever(p, n);
}

fn message(e: CompileError) -> String {
    e.to_string()
}

#[test]
fn recursion_outside_a_condition_is_an_error_not_an_endless_build() {
    let line = FOREVER_CALL;
    let err = message(
        compile(|p| {
            forever(p, 1u32);
        })
        .unwrap_err(),
    );
    assert!(err.starts_with(&format!("tests/control_flow.rs:{line}:")), "{err}");
    assert!(err.contains("`forever` calls itself outside a condition"), "{err}");
}

#[test]
fn outputs_cannot_leave_a_loop_or_a_condition_except_as_designed() {
    let err = message(
        compile(|p| {
            let mut leaked = None;
            p.parallel_for([1u32], |p, _| {
                leaked = Some(train(p, 0.1).score);
            });
            train(p, leaked.unwrap());
        })
        .unwrap_err(),
    );
    assert!(
        err.contains("output `score` of `train`") && err.contains("is used outside a loop; collect it by returning it"),
        "{err}"
    );

    let err = message(
        compile(|p| {
            let n = count(p).n;
            let mut leaked = None;
            p.condition(n.gt(1), |p| {
                leaked = Some(count(p).n);
            });
            echo(p, fmt_param!(p, "{}", leaked.unwrap()));
        })
        .unwrap_err(),
    );
    assert!(err.contains("is used outside a condition, whose branch may be skipped"), "{err}");

    let err = message(
        compile(|p| {
            let outside = train(p, 0.5).score;
            let _ = p.parallel_for([1u32], |_, _| outside);
        })
        .unwrap_err(),
    );
    assert!(err.contains("a loop body can only return outputs of tasks called directly in it"), "{err}");
}

#[test]
fn the_whole_pipeline_exit_handler_cannot_read_task_outputs() {
    let err = message(
        compile(|p| {
            let seen = std::cell::Cell::new(None);
            p.exit_handler(
                |p, _| {
                    echo(p, fmt_param!(p, "{}", seen.get().unwrap()));
                },
                |p| {
                    seen.set(Some(count(p).n));
                },
            );
        })
        .unwrap_err(),
    );
    assert!(err.contains("is used outside the body of an exit handler"), "{err}");
}

#[test]
fn after_a_parameter_is_an_error() {
    let err = message(
        compile(|p| {
            let x = p.param::<u32>("x");
            count(p).after(&x);
        })
        .unwrap_err(),
    );
    assert!(err.ends_with("`after` names a value no task produces (a pipeline parameter or a literal)"), "{err}");
}

#[test]
fn an_output_read_outside_its_conditions_takes_its_default_when_skipped() {
    let wf = compile(|p| {
        let n = count(p).n;
        let mut inner = None;
        p.condition(n.gt(1), |p| {
            p.condition(n.gt(2), |p| {
                inner = Some(count(p).n);
            });
        });
        let v = p.default_if_skipped(inner.unwrap(), 0u32);
        echo(p, fmt_param!(p, "got {}", v));
    })
    .unwrap();
    let inner = &template(&wf, "condition-2").outputs.parameters[0];
    assert_eq!(&*inner.name, "count-2-n");
    let from = inner.value_from.as_ref().unwrap();
    assert_eq!(from.parameter.as_deref(), Some("{{tasks.count-2.outputs.parameters.n}}"));
    assert_eq!(from.default.as_deref(), Some("0"));
    let outer = template(&wf, "condition-1").outputs.parameters[0].value_from.as_ref().unwrap();
    assert_eq!(outer.parameter.as_deref(), Some("{{tasks.condition-2.outputs.parameters.count-2-n}}"));
    assert_eq!(outer.default.as_deref(), Some("0"));
    let reader = task(&wf, "cf", "echo");
    assert_eq!(arg(reader, "msg"), "got {{tasks.condition-1.outputs.parameters.count-2-n}}");
    assert_eq!(reader.dependencies.iter().map(|d| &**d).collect::<Vec<_>>(), ["condition-1"]);

    // The workflow is valid Argo.
    support::assert_lints_clean_both("defaulted", &kfp::to_yaml(&wf).unwrap());
}
