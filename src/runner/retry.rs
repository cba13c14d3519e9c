//! A template's `retryStrategy` (limit, retryPolicy, backoff) and Argo's durations.

use std::time::Duration;

/// When and how often a failed step runs again.
#[derive(Clone, Debug, Default)]
pub(super) struct Retry {
    /// Retries after the first attempt.
    pub(super) limit: u32,
    /// Retry when the command failed (`OnFailure`, the default, and `Always`).
    pub(super) on_failure: bool,
    /// Retry when the step could not be set up or read back (`OnError`, `Always`).
    pub(super) on_error: bool,
    duration: Duration,
    factor: f64,
    max_duration: Option<Duration>,
    /// `expression`: retry only the failed attempts it holds for.
    expression: Option<String>,
}

impl Retry {
    /// Reads a template's `retryStrategy`; no strategy retries nothing.
    pub(super) fn of(strategy: Option<&serde_json::Value>) -> Result<Retry, String> {
        let Some(s) = strategy else { return Ok(Retry::default()) };
        let text = |v: &serde_json::Value| match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let limit = match s.get("limit") {
            None => u32::MAX,
            Some(v) => text(v).parse::<u32>().map_err(|_| format!("limit `{}` is not a number", text(v)))?,
        };
        let (on_failure, on_error) = match s.get("retryPolicy").map(text).as_deref() {
            None | Some("OnFailure") => (true, false),
            Some("Always") => (true, true),
            Some("OnError") => (false, true),
            // A transient error (the cluster's network, its API) does not happen here.
            Some("OnTransientError") => (false, false),
            Some(other) => return Err(format!("unknown retryPolicy `{other}`")),
        };
        let backoff = s.get("backoff");
        let get = |k: &str| backoff.and_then(|b| b.get(k)).map(text);
        let duration = match get("duration") {
            Some(d) => parse_duration(&d).ok_or(format!("backoff duration `{d}` is not a duration"))?,
            None => Duration::ZERO,
        };
        let factor = match get("factor") {
            Some(f) => f.parse::<f64>().map_err(|_| format!("backoff factor `{f}` is not a number"))?,
            None => 1.0,
        };
        let max_duration = match get("maxDuration") {
            Some(d) => Some(parse_duration(&d).ok_or(format!("backoff maxDuration `{d}` is not a duration"))?),
            None => None,
        };
        let expression = s.get("expression").map(text);
        if let Some(e) = &expression {
            // Checked now, with a failed attempt's variables, so a bad expression fails the run up front.
            eval_expression(e, "Failed", Some(1), "")?;
        }
        Ok(Retry { limit, on_failure, on_error, duration, factor, max_duration, expression })
    }

    /// Whether `expression` lets an attempt that ended in `status` (`Failed`, `Error`) with `exit_code`
    /// be retried, as Argo evaluates it over `lastRetry` (an attempt with no exit code has `-1`). An
    /// expression that cannot be evaluated retries nothing, as on Argo.
    pub(super) fn allows(&self, status: &str, exit_code: Option<i32>, message: &str) -> bool {
        match &self.expression {
            None => true,
            Some(e) => eval_expression(e, status, exit_code, message).unwrap_or(false),
        }
    }

    /// How long to wait before attempt `attempts + 1`, `elapsed` after the first started; `None`
    /// when no attempt is left or the backoff's `maxDuration` has passed.
    pub(super) fn next(&self, attempts: u32, elapsed: Duration) -> Option<Duration> {
        if attempts > self.limit {
            return None;
        }
        let exponent = i32::try_from(attempts.saturating_sub(1)).unwrap_or(i32::MAX);
        let wait = self.duration.mul_f64(self.factor.max(1.0).powi(exponent).min(1e6));
        match self.max_duration {
            Some(max) if elapsed + wait > max => None,
            _ => Some(wait),
        }
    }
}

/// Evaluates a retry `expression` with the `lastRetry` variables of one failed attempt.
fn eval_expression(expr: &str, status: &str, exit_code: Option<i32>, message: &str) -> Result<bool, String> {
    let code = exit_code.unwrap_or(-1).to_string();
    let mut lookup = |name: &str| match name {
        "lastRetry.exitCode" => Some(code.clone()),
        "lastRetry.status" => Some(status.to_owned()),
        "lastRetry.message" => Some(message.to_owned()),
        "lastRetry.duration" => Some("0".to_owned()),
        _ => None,
    };
    match kfp_compiler::argo_template::eval(expr, &mut lookup) {
        Ok(kfp_compiler::argo_template::Value::Bool(b)) => Ok(b),
        Ok(other) => Err(format!("retry expression `{expr}` is {other:?}, not a boolean")),
        Err(e) => Err(format!("retry expression `{expr}`: {e}")),
    }
}

/// Whole seconds, as in `activeDeadlineSeconds: "3600"`.
pub(super) fn parse_seconds(s: &str) -> Option<u64> {
    s.trim().parse().ok()
}

/// An Argo duration: `30s`, `5m`, `1h30m`, `500ms`, or a number of seconds.
pub(super) fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    if let Ok(secs) = s.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let mut total = Duration::ZERO;
    let mut rest = s;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let n: f64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let unit = match &rest[..unit_len] {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 0.001,
            _ => return None,
        };
        rest = &rest[unit_len..];
        total += Duration::from_secs_f64(n * unit);
    }
    (!s.is_empty()).then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_backoff_follow_argo() {
        assert_eq!(parse_duration("30s"), Some(Duration::from_secs(30)));
        assert_eq!(parse_duration("1h30m"), Some(Duration::from_secs(5400)));
        assert_eq!(parse_duration("250ms"), Some(Duration::from_millis(250)));
        assert_eq!(parse_duration("7"), Some(Duration::from_secs(7)));
        assert_eq!(parse_duration("5x"), None);
        let r = Retry::of(Some(&serde_json::json!({
            "limit": "3", "retryPolicy": "OnFailure",
            "backoff": {"duration": "1s", "factor": "2", "maxDuration": "5s"}
        })))
        .unwrap();
        assert!(r.on_failure && !r.on_error);
        assert_eq!(r.next(1, Duration::ZERO), Some(Duration::from_secs(1)));
        assert_eq!(r.next(2, Duration::from_secs(1)), Some(Duration::from_secs(2)));
        // 4s more would end after maxDuration.
        assert_eq!(r.next(3, Duration::from_secs(3)), None);
        assert_eq!(r.next(4, Duration::ZERO), None, "3 retries after the first attempt");
        assert!(Retry::of(Some(&serde_json::json!({"limit": "x"}))).is_err());
        // Without a limit, Argo retries until the step succeeds.
        let unlimited = Retry::of(Some(&serde_json::json!({}))).unwrap();
        assert_eq!(unlimited.next(u32::MAX - 1, Duration::ZERO), Some(Duration::ZERO));
    }

    #[test]
    fn a_retry_expression_picks_the_attempts_to_retry() {
        // As kfp-rs writes `RetryIf::exit_code_in([137, 143]) | RetryIf::errored()`.
        let expr =
            "((asInt(lastRetry.exitCode) == 137 || asInt(lastRetry.exitCode) == 143) || lastRetry.status == 'Error')";
        let r = Retry::of(Some(&serde_json::json!({"limit": "2", "expression": expr}))).unwrap();
        assert!(r.allows("Failed", Some(137), ""));
        assert!(!r.allows("Failed", Some(1), ""));
        assert!(r.allows("Error", None, "cannot start"));
        // As kfp-rs writes `!RetryIf::exit_code_in([1])`.
        let not_one = Retry::of(Some(&serde_json::json!({"expression": "!(asInt(lastRetry.exitCode) == 1)"}))).unwrap();
        assert!(!not_one.allows("Failed", Some(1), "") && not_one.allows("Failed", Some(2), ""));
        assert!(Retry::of(Some(&serde_json::json!({"expression": "lastRetry.nope == 1"}))).is_err());
        assert!(Retry::default().allows("Failed", Some(1), ""), "no expression: every failure");
    }
}
