//! A component.yaml's `metadata`: its `labels` and `annotations`, which kfp v1 puts on the pod of
//! every task of the component, checked as Kubernetes checks them (keys; label values).

use std::collections::BTreeMap;

use serde_json::Value;

use super::raw::{self, At};
use super::{ComponentFileError, err};

/// The labels and annotations of `metadata`.
#[derive(Default)]
pub(super) struct Metadata {
    pub(super) labels: BTreeMap<String, String>,
    pub(super) annotations: BTreeMap<String, String>,
}

/// Reads `metadata`.
pub(super) fn parse(m: &At<Value>) -> Result<Metadata, ComponentFileError> {
    let at = Some(raw::line_col(m));
    let mut out = Metadata::default();
    let Value::Object(map) = &m.value else { return err(at, "`metadata` must be a mapping") };
    for (k, v) in map {
        let labels = match k.as_str() {
            "annotations" => false,
            "labels" => true,
            other => return err(at, format!("unknown `metadata` field `{other}`; expected `annotations` or `labels`")),
        };
        let Value::Object(entries) = v else { return err(at, format!("`metadata.{k}` must be a mapping")) };
        for (ek, ev) in entries {
            let Value::String(s) = ev else {
                return err(at, format!("`metadata.{k}.{ek}` must be a string (quote it: `{ek}: '{ev}'`)"));
            };
            if let Err(e) = kfp_dsl::check_label_key(ek) {
                return err(at, format!("in `metadata.{k}`: {e}"));
            }
            if labels && let Err(e) = kfp_dsl::check_label_value(s) {
                return err(at, format!("in `metadata.labels.{ek}`: {e}"));
            }
            let target = if labels { &mut out.labels } else { &mut out.annotations };
            target.insert(ek.clone(), s.clone());
        }
    }
    Ok(out)
}
