//! The Kubeflow Pipelines API server: `v2beta1` (takes the IR) and `v1beta1` (takes Argo YAML).
//!
//! One [`Kfp`] serves both APIs: each call builds the request for [`Kfp::api`] (`v1`, `v2`: the wire
//! formats) and parses the answer into the same typed results (`types`). The calls are split by
//! concern: pipelines and experiments (`pipelines`), runs and recurring runs (`runs`).

use serde_json::Value;

use super::http::{Http, enc};
use super::{ClientError, Endpoint};

mod pipelines;
mod runs;
mod types;
mod v1;
mod v2;

pub use types::{
    Experiment, NewRecurringRun, NewRun, Pipeline, PipelineSource, PipelineVersion, RecurringRun, Trigger,
};

/// Which API of the KFP server to call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KfpApi {
    /// `/apis/v1beta1`: pipelines are Argo Workflows (`compile --target argo`).
    V1beta1,
    /// `/apis/v2beta1`: pipelines are the KFP IR (`compile --target kfp-v2`).
    V2beta1,
}

/// A client of a Kubeflow Pipelines API server.
///
/// ```no_run
/// use kfp::client::{Endpoint, Kfp, KfpApi, NewRun, PipelineSource, Wait};
/// # fn main() -> Result<(), kfp::client::ClientError> {
/// let kfp = Kfp::new(Endpoint::new("http://127.0.0.1:8888").token("t"), KfpApi::V2beta1)?;
/// let ir: serde_json::Value = serde_json::from_str("{}").unwrap();
/// let experiment = kfp.experiment("nightly")?;
/// let run = kfp.create_run(&NewRun::new("r1", PipelineSource::Spec(ir)).experiment(experiment.id))?;
/// let done = kfp.wait_run(&run.id, &Wait::default(), &mut |s| println!("{}", s.state))?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Kfp {
    http: Http,
    api: KfpApi,
    namespace: Option<String>,
}

/// How many items one page of a list asks for.
const PAGE: &str = "100";
/// The most pages a list follows (a server that repeats a page token must not loop for ever).
const MAX_PAGES: usize = 1000;

impl Kfp {
    /// A client of the server at `endpoint`, calling `api`.
    ///
    /// # Errors
    /// [`ClientError::Setup`] when the endpoint's CA file cannot be read or parsed.
    pub fn new(endpoint: Endpoint, api: KfpApi) -> Result<Self, ClientError> {
        Ok(Kfp { http: Http::new(endpoint)?, api, namespace: None })
    }

    /// Works in the Kubernetes namespace `namespace` (a multi-user Kubeflow's profile): uploads,
    /// experiments and lists are scoped to it.
    #[must_use]
    pub fn with_namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = Some(namespace.into()).filter(|n| !n.is_empty());
        self
    }

    /// The API this client calls.
    pub fn api(&self) -> KfpApi {
        self.api
    }

    /// The namespace set with [`Kfp::with_namespace`].
    pub fn namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }

    fn prefix(&self) -> &'static str {
        match self.api {
            KfpApi::V1beta1 => "/apis/v1beta1",
            KfpApi::V2beta1 => "/apis/v2beta1",
        }
    }

    /// The namespace, or "" (left out of queries).
    fn ns(&self) -> &str {
        self.namespace.as_deref().unwrap_or_default()
    }

    fn v2(&self) -> bool {
        self.api == KfpApi::V2beta1
    }

    /// `GET /apis/{v1beta1,v2beta1}/healthz`: whether the server answers.
    ///
    /// # Errors
    /// A [`ClientError`] when it does not.
    pub fn healthz(&self) -> Result<(), ClientError> {
        self.http.get(&format!("{}/healthz", self.prefix())).map(drop)
    }

    /// `{prefix}{path}?k=v&...`, each value percent-encoded; empty values left out.
    fn path(&self, path: &str, query: &[(&str, &str)]) -> String {
        let mut out = format!("{}{path}", self.prefix());
        let mut sep = '?';
        for (k, v) in query.iter().filter(|(_, v)| !v.is_empty()) {
            out.push_str(&format!("{sep}{k}={}", enc(v)));
            sep = '&';
        }
        out
    }

    /// A [`ClientError::Decode`] naming the request when `parse` cannot read the answer.
    fn decode<T>(
        &self,
        method: &'static str,
        path: &str,
        parse: impl FnOnce() -> Result<T, String>,
    ) -> Result<T, ClientError> {
        parse().map_err(|reason| ClientError::Decode { method, url: self.http.url(path), reason })
    }

    /// Every item of a paged list: `GET path?query&page_size=..&page_token=..`, the items under
    /// `key` (or one of its spellings), following `next_page_token` until it is empty or repeats.
    fn list_all(&self, path: &str, query: &[(&str, &str)], keys: &[&str]) -> Result<Vec<Value>, ClientError> {
        let mut items = Vec::new();
        let mut token = String::new();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..MAX_PAGES {
            let mut q = query.to_vec();
            q.push(("page_size", PAGE));
            q.push(("page_token", &token));
            let page_path = self.path(path, &q);
            let page = self.http.get(&page_path)?;
            items.extend(self.decode("GET", &page_path, || list_items(&page, keys))?);
            let next = page["next_page_token"].as_str().unwrap_or_default();
            if next.is_empty() || !seen.insert(next.to_owned()) {
                break;
            }
            token = next.to_owned();
        }
        Ok(items)
    }
}

/// The items of a list answer: the array under the first of `keys` present; none when the server
/// leaves an empty list out (proto3 does).
fn list_items(page: &Value, keys: &[&str]) -> Result<Vec<Value>, String> {
    if !page.is_object() && !page.is_null() {
        return Err("a list answer is not a JSON object".to_owned());
    }
    for key in keys {
        match &page[*key] {
            Value::Null => continue,
            Value::Array(items) => return Ok(items.clone()),
            _ => return Err(format!("`{key}` is not a list")),
        }
    }
    Ok(Vec::new())
}

/// A filter for an exact match of a string field: the `v2beta1` predicate says `operation`, the
/// `v1beta1` one `op`.
fn name_filter(api: KfpApi, key: &str, value: &str) -> String {
    let op = if api == KfpApi::V2beta1 { "operation" } else { "op" };
    let mut predicate = serde_json::Map::new();
    predicate.insert("key".into(), key.into());
    predicate.insert(op.into(), "EQUALS".into());
    predicate.insert("string_value".into(), value.into());
    serde_json::json!({ "predicates": [predicate] }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn kfp(api: KfpApi) -> Kfp {
        Kfp::new(Endpoint::new("http://h"), api).unwrap()
    }

    #[test]
    fn paths_encode_query_values_and_leave_out_empty_ones() {
        let k = kfp(KfpApi::V1beta1);
        assert_eq!(k.path("/x", &[("a", ""), ("name", "a b&c=d/é")]), "/apis/v1beta1/x?name=a%20b%26c%3Dd%2F%C3%A9");
        assert_eq!(kfp(KfpApi::V2beta1).path("/x", &[("a", "1"), ("b", "2")]), "/apis/v2beta1/x?a=1&b=2");
        assert_eq!(k.with_namespace("").namespace(), None);
    }

    #[test]
    fn list_items_take_the_first_key_present_and_refuse_a_non_list() {
        assert_eq!(list_items(&json!({"b": [1]}), &["a", "b"]).unwrap(), [json!(1)]);
        assert!(list_items(&json!({}), &["a"]).unwrap().is_empty(), "proto3 leaves out an empty list");
        assert!(list_items(&Value::Null, &["a"]).unwrap().is_empty());
        assert_eq!(list_items(&json!({"a": 1}), &["a"]).unwrap_err(), "`a` is not a list");
        assert!(list_items(&json!([1]), &["a"]).is_err());
    }

    #[test]
    fn name_filters_follow_each_apis_predicate() {
        let v2: Value = serde_json::from_str(&name_filter(KfpApi::V2beta1, "display_name", "a\"b")).unwrap();
        assert_eq!(v2, json!({"predicates": [{"key": "display_name", "operation": "EQUALS", "string_value": "a\"b"}]}));
        let v1: Value = serde_json::from_str(&name_filter(KfpApi::V1beta1, "name", "x")).unwrap();
        assert_eq!(v1, json!({"predicates": [{"key": "name", "op": "EQUALS", "string_value": "x"}]}));
    }

    #[test]
    fn answers_missing_fields_get_defaults_or_name_the_field() {
        let p = v2::pipeline(&json!({"pipeline_id": "p", "display_name": "shown"})).unwrap();
        assert_eq!((p.name.as_str(), p.description), ("shown", None));
        assert!(v1::pipeline(&json!({"name": "x"})).unwrap_err().contains("`id`"));
        let v =
            v1::version(&json!({"id": "v", "resource_references": [{"key": {"type": "PIPELINE", "id": "p9"}}]}), "p0");
        assert_eq!(v.unwrap().pipeline_id, "p9");
        assert_eq!(v2::version(&json!({"pipeline_version_id": "v"}), "p0").unwrap().pipeline_id, "p0");
        let r = v1::run(&json!({"run": {"id": "r"}})).unwrap();
        assert_eq!((r.state, r.steps.len()), (crate::client::State::Pending, 0));
        let j =
            v1::job(&json!({"id": "j", "mode": "ENABLED", "trigger": {"periodic_schedule": {"interval_second": 5}}}));
        assert_eq!(j.unwrap().trigger, Some(Trigger::Interval { seconds: 5 }));
        assert_eq!(v2::recurring(&json!({"recurring_run_id": "r", "trigger": {}})).unwrap().trigger, None);
    }
}
