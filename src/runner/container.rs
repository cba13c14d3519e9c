//! Running one container template: a Rust function component as this binary's `component`
//! subcommand, anything else in docker/podman or on the host; its files in its step directory.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use kfp_compiler::argo::Template;

use super::engine::Engine;
use super::{Outcome, Status, StepReport, expr};

impl Engine<'_> {
    /// Runs a container template: a Rust function component as this binary's `component`
    /// subcommand, anything else in docker/podman or (with `--host`) on this machine.
    pub(super) fn container(
        &self,
        t: &Template,
        params: &HashMap<String, String>,
        artifacts: &HashMap<String, PathBuf>,
        path: &str,
    ) -> Outcome {
        let Some(c) = &t.container else { return Outcome::of(Status::Failed) };
        // Directory names without the `(i)` of loop iterations, which shell commands would choke on.
        let rel: String = path
            .chars()
            .map(|c| match c {
                '(' => '-',
                ')' => ' ',
                c => c,
            })
            .filter(|c| *c != ' ')
            .collect();
        let dir = self.opts.workdir.join(if rel.is_empty() { "step".to_owned() } else { rel });
        let started = Instant::now();
        let result = self.run_container(t, c, params, artifacts, &dir, path);
        let duration = started.elapsed();
        match result {
            Ok(outcome) => {
                let outputs = outcome.params.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                self.record(StepReport {
                    path: path.to_owned(),
                    status: Status::Succeeded,
                    duration,
                    outputs,
                    error: None,
                });
                outcome
            }
            Err(e) => {
                self.record(StepReport {
                    path: path.to_owned(),
                    status: Status::Failed,
                    duration,
                    outputs: BTreeMap::new(),
                    error: Some(e),
                });
                Outcome::of(Status::Failed)
            }
        }
    }

    fn run_container(
        &self,
        t: &Template,
        c: &kfp_compiler::argo::Container,
        params: &HashMap<String, String>,
        artifacts: &HashMap<String, PathBuf>,
        dir: &Path,
        path: &str,
    ) -> Result<Outcome, String> {
        let mkdir = |d: &Path| std::fs::create_dir_all(d).map_err(|e| format!("cannot create `{}`: {e}", d.display()));
        mkdir(dir)?;
        let subst = |s: &str| {
            expr::substitute(s, &mut |x| {
                x.strip_prefix("inputs.parameters.")
                    .and_then(|n| params.get(n).cloned())
                    .or_else(|| self.workflow.get(x).cloned())
            })
        };
        let function =
            c.command.first() == Some(&self.binary) && c.command.get(1).map(String::as_str) == Some("component");
        let containerised = !function && !self.opts.host;
        // Paths inside the container -> paths here (not needed when docker mounts the directories).
        let mut paths: Vec<(String, PathBuf)> = Vec::new();
        for a in &t.inputs.artifacts {
            let (Some(declared), Some(real)) = (a.path.as_ref(), artifacts.get(&*a.name)) else {
                return Err(format!("input artifact `{}` has no value", a.name));
            };
            if containerised {
                let target = dir.join("inputs").join(&*a.name).join("data");
                mkdir(target.parent().unwrap_or(dir))?;
                copy_all(real, &target)?;
            } else {
                paths.push((declared.clone(), real.clone()));
            }
        }
        let mut outputs: Vec<(String, String, PathBuf, bool)> = Vec::new();
        for p in &t.outputs.parameters {
            if let Some(declared) = p.value_from.as_ref().and_then(|v| v.path.clone()) {
                let local = dir.join("outputs").join(&*p.name).join("data");
                outputs.push((p.name.to_string(), declared, local, false));
            }
        }
        for a in &t.outputs.artifacts {
            if let Some(declared) = &a.path {
                let local = dir.join("outputs").join(&*a.name).join("data");
                outputs.push((a.name.to_string(), declared.clone(), local, true));
            }
        }
        for (_, declared, local, _) in &outputs {
            mkdir(local.parent().unwrap_or(dir))?;
            if !containerised {
                paths.push((declared.clone(), local.clone()));
            }
        }
        let rewrite =
            |s: String| paths.iter().fold(s, |acc, (from, to)| acc.replace(from.as_str(), &to.display().to_string()));
        let mut argv: Vec<String> = Vec::with_capacity(c.command.len() + c.args.len());
        for s in c.command.iter().chain(&c.args) {
            argv.push(rewrite(subst(s)?));
        }
        let mut env: Vec<(String, String)> = Vec::new();
        for e in &c.env {
            // Values from secrets, config maps and pod fields exist only on a cluster.
            let Some(v) = &e.value else { continue };
            env.push((e.name.clone(), rewrite(subst(v)?)));
        }
        let mut cmd = if function {
            let mut cmd = Command::new(&self.exe);
            cmd.args(&argv[1..]);
            cmd
        } else if self.opts.host {
            let Some((program, rest)) = argv.split_first() else {
                return Err("the container has no command".to_owned());
            };
            let mut cmd = Command::new(program);
            cmd.args(rest);
            cmd
        } else {
            let Some(runtime) = &self.runtime else {
                return Err(format!(
                    "`{path}` runs image `{}`: install docker or podman, or pass `--host` to run its command on this machine",
                    c.image
                ));
            };
            let Some((program, rest)) = argv.split_first() else {
                return Err("the container has no command".to_owned());
            };
            let mut cmd = Command::new(runtime);
            cmd.args(["run", "--rm", "-v"]).arg(format!("{}:/tmp/inputs", dir.join("inputs").display()));
            cmd.arg("-v").arg(format!("{}:/tmp/outputs", dir.join("outputs").display()));
            for (k, v) in &env {
                cmd.arg("-e").arg(format!("{k}={v}"));
            }
            cmd.args(["--entrypoint", program]).arg(&c.image).args(rest);
            cmd
        };
        cmd.envs(env.iter().map(|(k, v)| (k, v)));
        let log = dir.join("log.txt");
        let file = std::fs::File::create(&log).map_err(|e| format!("cannot write `{}`: {e}", log.display()))?;
        let err = file.try_clone().map_err(|e| e.to_string())?;
        let permit = self.acquire();
        let status = cmd.stdin(Stdio::null()).stdout(file).stderr(err).status();
        drop(permit);
        let status = status.map_err(|e| format!("cannot start `{}`: {e}", argv.first().map_or("", String::as_str)))?;
        if !status.success() {
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            let last = text.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim().to_owned();
            return Err(format!("exited with {status}: {last} (log: {})", log.display()));
        }
        let mut outcome = Outcome::of(Status::Succeeded);
        for (name, _, local, artifact) in outputs {
            if artifact {
                outcome.artifacts.insert(name, local);
            } else {
                let text = std::fs::read_to_string(&local)
                    .map_err(|e| format!("output `{name}` was not written ({}): {e}", local.display()))?;
                outcome.params.insert(name, text.trim_end().to_owned());
            }
        }
        Ok(outcome)
    }
}

pub(super) fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(program).is_file()))
}

/// Copies a file or a directory tree.
fn copy_all(from: &Path, to: &Path) -> Result<(), String> {
    let err = |e: std::io::Error| format!("cannot copy `{}` to `{}`: {e}", from.display(), to.display());
    if from.is_dir() {
        std::fs::create_dir_all(to).map_err(err)?;
        for entry in std::fs::read_dir(from).map_err(err)? {
            let entry = entry.map_err(err)?;
            copy_all(&entry.path(), &to.join(entry.file_name()))?;
        }
        Ok(())
    } else {
        std::fs::copy(from, to).map(|_| ()).map_err(err)
    }
}
