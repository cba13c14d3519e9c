//! Where the server is: the command line, then the environment (`KFP_ENDPOINT`, ...), then a small
//! config file (`$KFP_CONFIG`, or `~/.config/kfp-rs/config`) of `key = value` lines:
//!
//! ```text
//! # ~/.config/kfp-rs/config
//! endpoint = https://kubeflow.example.com/pipeline
//! namespace = team-a
//! token_file = /var/run/secrets/kubeflow/pipelines/token
//! header = Cookie: authservice_session=...
//! ```

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::args::{ApiArg, ServerArgs, ServerKind};

/// The settings a command talks to the server with.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) endpoint: String,
    pub(crate) server: ServerKind,
    pub(crate) api: Option<ApiArg>,
    pub(crate) namespace: Option<String>,
    pub(crate) token: Option<Token>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) ca_cert: Option<PathBuf>,
    pub(crate) insecure: bool,
    pub(crate) timeout: Duration,
    pub(crate) retries: u32,
    pub(crate) experiment: Option<String>,
}

/// Where the token comes from (mirrors `kfp::client::Token`, which only exists with the feature).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token {
    Literal(String),
    File(PathBuf),
}

const KEYS: &str =
    "endpoint, server, api, namespace, token_file, header, ca_cert, insecure, timeout, retries, experiment";

/// The file's `key = value` pairs, with the line of each; an unknown key or a line without `=` is
/// an error naming the file and line.
fn read_file(path: &Path) -> Result<Vec<(usize, String, String)>, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("cannot read the config file {}: {e}", path.display()))?;
    let mut pairs = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            return Err(format!("{}:{}: `{line}` is not `key = value`", path.display(), i + 1));
        };
        let key = key.trim();
        if !KEYS.split(", ").any(|k| k == key) {
            return Err(format!("{}:{}: unknown key `{key}` (known: {KEYS})", path.display(), i + 1));
        }
        let value = value.trim();
        let value = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(value);
        pairs.push((i + 1, key.to_owned(), value.to_owned()));
    }
    Ok(pairs)
}

/// The config file to read: `--config`, `$KFP_CONFIG` (both must exist), or
/// `$XDG_CONFIG_HOME/kfp-rs/config` / `~/.config/kfp-rs/config` if there is one.
fn config_path(args: &ServerArgs, env: &dyn Fn(&str) -> Option<String>) -> Option<(PathBuf, bool)> {
    if let Some(p) = &args.config {
        return Some((p.clone(), true));
    }
    if let Some(p) = env("KFP_CONFIG") {
        return Some((PathBuf::from(p), true));
    }
    let base =
        env("XDG_CONFIG_HOME").map(PathBuf::from).or_else(|| env("HOME").map(|h| Path::new(&h).join(".config")))?;
    Some((base.join("kfp-rs").join("config"), false))
}

fn header(s: &str, origin: &str) -> Result<(String, String), String> {
    match s.split_once(':') {
        Some((name, value)) if !name.trim().is_empty() && !name.trim().contains(char::is_whitespace) => {
            Ok((name.trim().to_owned(), value.trim().to_owned()))
        }
        _ => Err(format!("{origin} `{s}` is not `NAME: VALUE`")),
    }
}

fn seconds(v: f64, origin: &str) -> Result<Duration, String> {
    Duration::try_from_secs_f64(v)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| format!("{origin} `{v}` is not a positive number of seconds"))
}

/// The settings from `args`, the environment (`env`) and the config file.
pub(crate) fn resolve(args: &ServerArgs, env: &dyn Fn(&str) -> Option<String>) -> Result<Settings, String> {
    let mut file: Vec<(usize, String, String)> = Vec::new();
    let mut file_name = String::new();
    if let Some((path, must_exist)) = config_path(args, env)
        && (must_exist || path.exists())
    {
        file = read_file(&path)?;
        file_name = path.display().to_string();
    }
    let from_file = |key: &str| file.iter().rev().find(|(_, k, _)| k == key).map(|(line, _, v)| (*line, v.clone()));
    let origin = |key: &str, line: usize| format!("{file_name}:{line}: `{key}`");

    let endpoint = match args
        .endpoint
        .clone()
        .or_else(|| env("KFP_ENDPOINT"))
        .or_else(|| from_file("endpoint").map(|(_, v)| v))
    {
        Some(e) => e,
        None => {
            return Err(
                "no server given: pass --endpoint URL, set KFP_ENDPOINT, or put `endpoint = URL` in ~/.config/kfp-rs/config"
                    .to_owned(),
            );
        }
    };
    if !(endpoint.starts_with("http://") || endpoint.starts_with("https://")) {
        return Err(format!("the endpoint `{endpoint}` is not a URL: start it with http:// or https://"));
    }
    let server = match (args.server, env("KFP_SERVER"), from_file("server")) {
        (Some(s), _, _) => s,
        (None, Some(v), _) => parse_server(&v).ok_or(format!("KFP_SERVER `{v}` is not `kfp` or `argo`"))?,
        (None, None, Some((line, v))) => {
            parse_server(&v).ok_or(format!("{} is `{v}`, not `kfp` or `argo`", origin("server", line)))?
        }
        (None, None, None) => ServerKind::Kfp,
    };
    let api = match (args.api, from_file("api")) {
        (Some(a), _) => Some(a),
        (None, Some((line, v))) => Some(match v.as_str() {
            "v1beta1" => ApiArg::V1beta1,
            "v2beta1" => ApiArg::V2beta1,
            _ => return Err(format!("{} is `{v}`, not `v1beta1` or `v2beta1`", origin("api", line))),
        }),
        (None, None) => None,
    };
    let namespace =
        args.namespace.clone().or_else(|| env("KFP_NAMESPACE")).or_else(|| from_file("namespace").map(|(_, v)| v));
    let token = match (&args.token_file, env("KFP_TOKEN_FILE"), env("KFP_TOKEN"), from_file("token_file")) {
        (Some(f), _, _, _) => Some(Token::File(f.clone())),
        (None, Some(f), _, _) => Some(Token::File(PathBuf::from(f))),
        (None, None, Some(t), _) => Some(Token::Literal(t)),
        (None, None, None, Some((_, f))) => Some(Token::File(PathBuf::from(f))),
        (None, None, None, None) => None,
    };
    let mut headers = Vec::new();
    for h in &args.headers {
        headers.push(header(h, "--header")?);
    }
    if args.headers.is_empty() {
        for (line, _, v) in file.iter().filter(|(_, k, _)| k == "header") {
            headers.push(header(v, &origin("header", *line))?);
        }
    }
    let ca_cert = args
        .ca_cert
        .clone()
        .or_else(|| env("KFP_CA_CERT").map(PathBuf::from))
        .or_else(|| from_file("ca_cert").map(|(_, v)| PathBuf::from(v)));
    let insecure = args.insecure
        || match from_file("insecure") {
            Some((_, v)) if v == "true" => true,
            Some((_, v)) if v == "false" => false,
            Some((line, v)) => return Err(format!("{} is `{v}`, not `true` or `false`", origin("insecure", line))),
            None => false,
        };
    let timeout = match (args.timeout, from_file("timeout")) {
        (Some(t), _) => seconds(t, "--timeout")?,
        (None, Some((line, v))) => {
            let o = origin("timeout", line);
            seconds(v.parse().map_err(|_| format!("{o} `{v}` is not a number of seconds"))?, &o)?
        }
        (None, None) => Duration::from_secs(30),
    };
    let retries = match (args.retries, from_file("retries")) {
        (Some(r), _) => r,
        (None, Some((line, v))) => {
            v.parse().map_err(|_| format!("{} `{v}` is not a whole number", origin("retries", line)))?
        }
        (None, None) => 3,
    };
    let experiment = env("KFP_EXPERIMENT").or_else(|| from_file("experiment").map(|(_, v)| v));
    Ok(Settings { endpoint, server, api, namespace, token, headers, ca_cert, insecure, timeout, retries, experiment })
}

fn parse_server(s: &str) -> Option<ServerKind> {
    match s {
        "kfp" => Some(ServerKind::Kfp),
        "argo" => Some(ServerKind::Argo),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| (*v).to_owned())
    }

    fn config(text: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("kfp-rs-config-{}-{}", std::process::id(), text.len()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("config");
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn the_option_wins_then_the_environment_then_the_file() {
        let path = config(
            "# team cluster\nendpoint = \"https://file.example\"\nnamespace = from-file\nserver = argo\nheader = Cookie: a=b\ntimeout = 5\n",
        );
        let args = ServerArgs { config: Some(path.clone()), ..ServerArgs::default() };
        let s = resolve(&args, &env(&[])).unwrap();
        assert_eq!(
            (s.endpoint.as_str(), s.namespace.as_deref(), s.server),
            ("https://file.example", Some("from-file"), ServerKind::Argo)
        );
        assert_eq!(s.headers, [("Cookie".to_owned(), "a=b".to_owned())]);
        assert_eq!(s.timeout, Duration::from_secs(5));
        let s = resolve(&args, &env(&[("KFP_ENDPOINT", "http://env:1"), ("KFP_TOKEN", "t0k")])).unwrap();
        assert_eq!((s.endpoint.as_str(), s.token), ("http://env:1", Some(Token::Literal("t0k".into()))));
        let args = ServerArgs { endpoint: Some("http://flag:2".into()), token_file: Some("/tok".into()), ..args };
        let s = resolve(&args, &env(&[("KFP_ENDPOINT", "http://env:1"), ("KFP_TOKEN", "t0k")])).unwrap();
        assert_eq!((s.endpoint.as_str(), s.token), ("http://flag:2", Some(Token::File("/tok".into()))));
    }

    #[test]
    fn a_bad_config_line_names_the_file_and_line() {
        let path = config("endpoint = http://x\nendpont = http://y\n");
        let args = ServerArgs { config: Some(path.clone()), ..ServerArgs::default() };
        let err = resolve(&args, &env(&[])).unwrap_err();
        assert_eq!(err, format!("{}:2: unknown key `endpont` (known: {KEYS})", path.display()));
        let path = config("endpoint = http://x\ninsecure = yes\n\n");
        let args = ServerArgs { config: Some(path.clone()), ..ServerArgs::default() };
        let err = resolve(&args, &env(&[])).unwrap_err();
        assert_eq!(err, format!("{}:2: `insecure` is `yes`, not `true` or `false`", path.display()));
    }

    #[test]
    fn no_endpoint_or_a_bad_one_says_how_to_give_one() {
        let err = resolve(&ServerArgs::default(), &env(&[("HOME", "/nonexistent")])).unwrap_err();
        assert!(err.starts_with("no server given: pass --endpoint URL, set KFP_ENDPOINT"), "{err}");
        let args = ServerArgs { endpoint: Some("localhost:8888".into()), ..ServerArgs::default() };
        let err = resolve(&args, &env(&[])).unwrap_err();
        assert_eq!(err, "the endpoint `localhost:8888` is not a URL: start it with http:// or https://");
        let args =
            ServerArgs { endpoint: Some("http://x".into()), headers: vec!["Cookie".into()], ..ServerArgs::default() };
        assert_eq!(resolve(&args, &env(&[])).unwrap_err(), "--header `Cookie` is not `NAME: VALUE`");
    }
}
