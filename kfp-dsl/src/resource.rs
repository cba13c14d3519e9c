//! Resource steps: a component whose body returns a [`ResourceSpec`] creates, applies, patches,
//! replaces, deletes or reads a Kubernetes object (Argo's `resource` template) instead of running a
//! container. Its output parameters are read from the object by JSONPath.

use crate::model::resource::{RAW_CLOSE, RAW_OPEN};
use crate::model::{ResourceSpec, ValueSrc};
use serde::Serialize;

use crate::handles::{OutputParam, Param};

use crate::types::ParamType;

impl ResourceSpec {
    /// Output parameter `out` is read from the object at `json_path` (kubectl's syntax:
    /// `{.metadata.name}`, `{.status.capacity.storage}`, `{}` for the whole object).
    #[must_use]
    pub fn output<T: ParamType>(mut self, out: OutputParam<T>, json_path: &str) -> Self {
        self.outputs.push((out.name().to_owned(), json_path.to_owned()));
        self
    }

    /// Output parameter `out` is what the jq filter `filter` gives on the object (Argo runs gojq on
    /// it as JSON after the wait ends; a string result is the value as is, anything else its JSON).
    /// `error("why")` in the filter fails the step with that message, so a value the pipeline
    /// cannot use stops the run here: `.status.size // error("no size")`.
    #[must_use]
    pub fn output_jq<T: ParamType>(mut self, out: OutputParam<T>, filter: &str) -> Self {
        self.jq_outputs.push((out.name().to_owned(), filter.to_owned()));
        self
    }
}

/// In a resource component's manifest, the component's own input renders as its Argo placeholder.
impl<T: ParamType> Serialize for Param<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.src {
            ValueSrc::ComponentInput(name) if matches!(T::KFP_TYPE, "JsonArray" | "JsonObject" | "JSON") => {
                Err(serde::ser::Error::custom(format!(
                    "input `{name}` is a list, map or struct: a manifest takes strings, numbers and booleans \
                     (a JSON value would be spliced into the manifest's text); pass its fields as inputs"
                )))
            }
            ValueSrc::ComponentInput(name) => s.serialize_str(&format!("{RAW_OPEN}{}:{name}{RAW_CLOSE}", T::KFP_TYPE)),
            _ => Err(serde::ser::Error::custom(
                "only the component's own inputs can go in a manifest; pass the value as an input",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_render_as_markers_of_their_type() {
        let image = Param::<String>::__component_input("image");
        let n = Param::<u32>::__component_input("n");
        let r = ResourceSpec::create(serde_json::json!({ "image": image, "backoffLimit": n }));
        let m = r.manifest().unwrap();
        let text = serde_json::to_string(m).unwrap();
        let raw = ResourceSpec::raw_placeholders(&text, |n, t| format!("<{t} {n}>"));
        assert!(raw.contains(r#""backoffLimit":<Integer n>"#), "{raw}");
        assert!(raw.contains(r#""image":<String image>"#), "{raw}");
        let yaml = "a: '__kfp_raw_input__Float:x__kfp_end__'";
        assert_eq!(ResourceSpec::raw_placeholders(yaml, |n, t| format!("<{t} {n}>")), "a: <Float x>");
    }

    #[test]
    fn bad_specs_are_explained() {
        let r = ResourceSpec::new("launch", serde_json::json!({ "kind": "Job", "metadata": { "generateName": "j-" } }))
            .merge_strategy("merge")
            .output(OutputParam::<String>::__component_slot("uid"), ".metadata.uid");
        let spec = crate::model::ComponentSpec::new("r", None)
            .output_param::<String>("uid", None)
            .output_param::<String>("name", None);
        let p = r.problems(&spec);
        let all = p.join("\n");
        for expected in [
            "`launch` is not a resource action",
            "the manifest has no `apiVersion`",
            "`launch` needs `metadata.name`",
            "a merge strategy only applies to `patch`",
            "`.metadata.uid` is not a JSONPath",
            "output `name` is not read from the object",
        ] {
            assert!(all.contains(expected), "{all} lacks {expected}");
        }
        assert_eq!(p.len(), 6, "{all}");
        let outside = Param::<String>::from_src(ValueSrc::Global(crate::GlobalValue::RunId));
        assert!(ResourceSpec::create(outside).manifest().is_none());
    }
}
