//! JSON merge patches (RFC 7396): the escape hatch for what kfp-rs does not model yet. A patch is
//! author text, never a value: it is checked to be an object when the pipeline is built and applied
//! last by the backend it names, on the document it emits; the backend then checks the document again.

use crate::error::SourceLocation;
use serde_json::Value;

/// What a patch applies to. Each target belongs to one backend; the other ignores it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PatchTarget {
    /// Argo: the whole `Workflow` document.
    ArgoWorkflow,
    /// Argo: the template the task runs (its container template).
    ArgoTemplate,
    /// Argo: the task's entry in its DAG template (`dag.tasks[]`).
    ArgoTask,
    /// KFP v2 IR: the `PipelineSpec` document.
    IrPipelineSpec,
    /// KFP v2 IR: the kfp-kubernetes `PlatformSpec` document.
    IrPlatformSpec,
    /// KFP v2 IR: the task's executor (`deploymentSpec.executors.exec-*`: its container).
    IrExecutor,
    /// KFP v2 IR: the task's kfp-kubernetes executor config (`platforms.kubernetes.deploymentSpec.executors.exec-*`).
    IrPlatformExecutor,
}

impl PatchTarget {
    /// Whether the Argo backend applies it (else the KFP v2 IR backend does).
    pub fn is_argo(self) -> bool {
        matches!(self, PatchTarget::ArgoWorkflow | PatchTarget::ArgoTemplate | PatchTarget::ArgoTask)
    }

    /// The call that adds it, for messages.
    pub fn call(self) -> &'static str {
        match self {
            PatchTarget::ArgoWorkflow => "argo_patch",
            PatchTarget::ArgoTemplate => "argo_template_patch",
            PatchTarget::ArgoTask => "argo_task_patch",
            PatchTarget::IrPipelineSpec => "ir_patch",
            PatchTarget::IrPlatformSpec => "ir_platform_patch",
            PatchTarget::IrExecutor => "ir_executor_patch",
            PatchTarget::IrPlatformExecutor => "ir_platform_executor_patch",
        }
    }
}

/// A merge patch and the call that gave it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Patch {
    /// What it applies to.
    pub target: PatchTarget,
    /// The patch, a JSON object, as compact JSON text (so settings stay hashable).
    pub json: String,
    /// The call.
    pub at: SourceLocation,
}

impl Patch {
    /// A patch of `target`: `patch` must be a JSON object (RFC 7396 allows any value, which then
    /// replaces the whole document; here that would drop everything kfp-rs wrote).
    ///
    /// # Errors
    /// `patch` is not an object.
    pub fn new(target: PatchTarget, patch: &Value, at: SourceLocation) -> Result<Patch, String> {
        if !patch.is_object() {
            let kind = match patch {
                Value::Null => "null",
                Value::Bool(_) => "a boolean",
                Value::Number(_) => "a number",
                Value::String(_) => "a string",
                Value::Array(_) => "an array",
                Value::Object(_) => "an object",
            };
            return Err(format!(
                "`{}` takes a JSON object (`json!({{\"field\": ...}})`), the fields to merge in; got {kind}",
                target.call()
            ));
        }
        Ok(Patch { target, json: patch.to_string(), at })
    }

    /// The patch as a JSON value.
    pub fn value(&self) -> Value {
        serde_json::from_str(&self.json).unwrap_or(Value::Null)
    }

    /// Applies the patch to `doc` ([`merge_patch`]).
    pub fn apply(&self, doc: &mut Value) {
        merge_patch(doc, &self.value());
    }
}

/// RFC 7396 JSON merge patch: an object merges key by key, a `null` member removes the key, any other
/// value replaces the target (arrays included: they are not merged).
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(members) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(serde_json::Map::new());
    }
    let Value::Object(doc) = target else { return };
    for (key, value) in members {
        if value.is_null() {
            doc.remove(key);
        } else {
            merge_patch(doc.entry(key.clone()).or_insert(Value::Null), value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The examples of RFC 7396, appendix A.
    #[test]
    fn rfc_7396_examples() {
        let cases = [
            (json!({"a":"b"}), json!({"a":"c"}), json!({"a":"c"})),
            (json!({"a":"b"}), json!({"b":"c"}), json!({"a":"b","b":"c"})),
            (json!({"a":"b"}), json!({"a":null}), json!({})),
            (json!({"a":"b","b":"c"}), json!({"a":null}), json!({"b":"c"})),
            (json!({"a":["b"]}), json!({"a":"c"}), json!({"a":"c"})),
            (json!({"a":"c"}), json!({"a":["b"]}), json!({"a":["b"]})),
            (json!({"a":{"b":"c"}}), json!({"a":{"b":"d","c":null}}), json!({"a":{"b":"d"}})),
            (json!({"a":[{"b":"c"}]}), json!({"a":[1]}), json!({"a":[1]})),
            (json!(["a", "b"]), json!(["c", "d"]), json!(["c", "d"])),
            (json!({"a":"b"}), json!(["c"]), json!(["c"])),
            (json!({"a":"foo"}), json!(null), json!(null)),
            (json!({"a":"foo"}), json!("bar"), json!("bar")),
            (json!({"e":null}), json!({"a":1}), json!({"e":null,"a":1})),
            (json!([1, 2]), json!({"a":"b","c":null}), json!({"a":"b"})),
            (json!({}), json!({"a":{"bb":{"ccc":null}}}), json!({"a":{"bb":{}}})),
        ];
        for (doc, patch, expected) in cases {
            let mut d = doc.clone();
            merge_patch(&mut d, &patch);
            assert_eq!(d, expected, "{doc} + {patch}");
        }
    }

    #[test]
    fn only_an_object_is_a_patch() {
        let at = SourceLocation::caller();
        for v in [json!(null), json!([1]), json!("x"), json!(3), json!(true)] {
            let e = Patch::new(PatchTarget::ArgoTask, &v, at).unwrap_err();
            assert!(e.starts_with("`argo_task_patch` takes a JSON object"), "{e}");
        }
        let p = Patch::new(PatchTarget::ArgoWorkflow, &json!({"spec": {"x": 1}}), at).unwrap();
        assert_eq!(p.value(), json!({"spec": {"x": 1}}));
    }
}
