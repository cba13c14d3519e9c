//! Containers in the model: what a container component runs, its arguments as kfp placeholders, and
//! resolving `if` / `isPresent` for one call.

/// One command-line argument (or part of one) of a container, in kfp's component.yaml terms.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Arg {
    /// Literal text.
    Lit(String),
    /// The value of input parameter `0` (`{inputValue: x}`).
    InputValue(String),
    /// The local path of input artifact `0` (`{inputPath: x}`).
    InputPath(String),
    /// The local path where output `0` must be written (`{outputPath: x}`).
    OutputPath(String),
    /// The parts, joined into one argument (`{concat: [...]}`).
    Concat(Vec<Arg>),
    /// `then` or `otherwise`, depending on `cond` (`{if: {cond: .., then: [..], else: [..]}}`), resolved
    /// for each call when the pipeline is compiled: `cond` is `IsPresent`, a literal `true`/`false`, or
    /// the value of an input given a literal in that call.
    If {
        /// The condition.
        cond: Box<Arg>,
        /// The arguments when it holds.
        then: Vec<Arg>,
        /// The arguments when it does not.
        otherwise: Vec<Arg>,
    },
    /// Whether the call passes input `0` (`{isPresent: x}`), as `true` or `false`.
    IsPresent(String),
    /// A parameter handle that is not one of this component's inputs (a mistake reported when the
    /// component is registered).
    #[doc(hidden)]
    Foreign,
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Lit(s.to_owned())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Lit(s)
    }
}

impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Arg::Lit(s.clone())
    }
}

impl Arg {
    /// Joins parts into one argument; adjacent literals merge.
    pub fn concat(parts: impl IntoIterator<Item = Arg>) -> Arg {
        let mut out: Vec<Arg> = Vec::new();
        for part in parts {
            match (out.last_mut(), part) {
                (_, Arg::Lit(s)) if s.is_empty() => {}
                (Some(Arg::Lit(prev)), Arg::Lit(s)) => prev.push_str(&s),
                (_, Arg::Concat(inner)) => out.extend(inner),
                (_, part) => out.push(part),
            }
        }
        match out.len() {
            0 => Arg::Lit(String::new()),
            1 => out.pop().unwrap_or(Arg::Lit(String::new())),
            _ => Arg::Concat(out),
        }
    }

    /// Calls `f` on this argument and every part inside it.
    pub fn visit(&self, f: &mut impl FnMut(&Arg)) {
        f(self);
        match self {
            Arg::Concat(parts) => {
                for p in parts {
                    p.visit(f);
                }
            }
            Arg::If { cond, then, otherwise } => {
                cond.visit(f);
                for p in then.iter().chain(otherwise) {
                    p.visit(f);
                }
            }
            _ => {}
        }
    }

    /// Whether resolving depends on the call (`if` / `isPresent` inside).
    pub fn is_conditional(&self) -> bool {
        let mut found = false;
        self.visit(&mut |a| found |= matches!(a, Arg::If { .. } | Arg::IsPresent(_)));
        found
    }
}

/// What a call of a component says about its inputs, for resolving `if` and `isPresent`.
pub trait CallFacts {
    /// Whether the call passes input `name` (or it has a default).
    fn is_present(&self, name: &str) -> bool;
    /// The literal the call passes for input `name`, if it passes one.
    fn literal(&self, name: &str) -> Option<String>;
}

/// Resolves `if` and `isPresent` in `args` for one call: the arguments that call runs with.
///
/// # Errors
/// A condition that is not known when the pipeline is built.
pub fn resolve_args(args: &[Arg], call: &dyn CallFacts) -> Result<Vec<Arg>, String> {
    let mut out = Vec::with_capacity(args.len());
    for a in args {
        resolve_into(a, call, &mut out)?;
    }
    Ok(out)
}

fn resolve_into(a: &Arg, call: &dyn CallFacts, out: &mut Vec<Arg>) -> Result<(), String> {
    match a {
        Arg::If { cond, then, otherwise } => {
            let branch = if holds(cond, call)? { then } else { otherwise };
            for b in branch {
                resolve_into(b, call, out)?;
            }
        }
        Arg::IsPresent(n) => out.push(Arg::Lit(call.is_present(n).to_string())),
        Arg::Concat(parts) => {
            let mut inner = Vec::with_capacity(parts.len());
            for p in parts {
                resolve_into(p, call, &mut inner)?;
            }
            out.push(Arg::concat(inner));
        }
        other => out.push(other.clone()),
    }
    Ok(())
}

fn holds(cond: &Arg, call: &dyn CallFacts) -> Result<bool, String> {
    let text = match cond {
        Arg::IsPresent(n) => return Ok(call.is_present(n)),
        Arg::Lit(s) => s.clone(),
        Arg::InputValue(n) => call.literal(n).ok_or_else(|| {
            format!("the `if` on input `{n}` needs a literal argument: its value is only known at run time")
        })?,
        Arg::Concat(_) | Arg::If { .. } => {
            let mut parts = Vec::new();
            resolve_into(cond, call, &mut parts)?;
            match parts.as_slice() {
                [Arg::Lit(s)] => s.clone(),
                _ => return Err("an `if` condition must be known when the pipeline is built".to_owned()),
            }
        }
        _ => return Err("an `if` condition must be `isPresent`, an input's value, or `true`/`false`".to_owned()),
    };
    match text.trim() {
        "true" | "True" => Ok(true),
        "false" | "False" => Ok(false),
        other => Err(format!("an `if` condition is `{other}`, not `true` or `false`")),
    }
}

/// What a container component runs: image, command, arguments and environment.
///
/// Built in the component's body, which runs when the pipeline is built: every typed input is a
/// placeholder there (`{{inputs.parameters.x}}` for a parameter, a file path for an artifact).
///
/// ```
/// # use kfp_dsl::{ContainerSpec, Arg};
/// let spec = ContainerSpec::new(["sh", "-c"]).arg("echo hello");
/// assert_eq!(spec.command(), &[Arg::from("sh"), Arg::from("-c")]);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ContainerSpec {
    pub(crate) image: Option<String>,
    pub(crate) command: Vec<Arg>,
    pub(crate) args: Vec<Arg>,
    pub(crate) env: Vec<(String, Arg)>,
}

impl ContainerSpec {
    /// A container running `command` (the entrypoint and its leading arguments).
    pub fn new<A: Into<Arg>>(command: impl IntoIterator<Item = A>) -> Self {
        ContainerSpec { command: command.into_iter().map(Into::into).collect(), ..Self::default() }
    }

    /// Appends one argument.
    #[must_use]
    pub fn arg(mut self, arg: impl Into<Arg>) -> Self {
        self.args.push(arg.into());
        self
    }

    /// Appends several arguments.
    #[must_use]
    pub fn args<A: Into<Arg>>(mut self, args: impl IntoIterator<Item = A>) -> Self {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Sets an environment variable (its value may use inputs).
    #[must_use]
    pub fn env(mut self, name: impl Into<String>, value: impl Into<Arg>) -> Self {
        self.env.push((name.into(), value.into()));
        self
    }

    /// Sets the image, overriding the component attribute's `image = ...`.
    #[must_use]
    pub fn image(mut self, image: impl Into<String>) -> Self {
        self.image = Some(image.into());
        self
    }

    /// The image, if set.
    pub fn image_ref(&self) -> Option<&str> {
        self.image.as_deref()
    }

    /// The command.
    pub fn command(&self) -> &[Arg] {
        &self.command
    }

    /// The arguments.
    pub fn arguments(&self) -> &[Arg] {
        &self.args
    }

    /// The environment variables.
    pub fn environment(&self) -> &[(String, Arg)] {
        &self.env
    }

    /// Every argument in command, args and env, for checks.
    pub(crate) fn all_args(&self) -> impl Iterator<Item = &Arg> {
        self.command.iter().chain(&self.args).chain(self.env.iter().map(|(_, v)| v))
    }

    /// The inputs whose values land inside the code of a shell or interpreter (`sh -c SCRIPT`,
    /// `bash -ec SCRIPT`, `python3 -c CODE`, `node -e CODE`), with that program's flag. A value there
    /// becomes code (a `$(...)` in it runs); values belong in positional arguments after the script
    /// (`"$0"`, `"$1"` in a shell, `sys.argv` in Python) or in environment variables.
    pub fn values_in_code(&self) -> Vec<(String, String)> {
        let argv: Vec<&Arg> = self.command.iter().chain(&self.args).collect();
        let mut found = Vec::new();
        let Some(Arg::Lit(program)) = argv.first() else { return found };
        let name = program.rsplit('/').next().unwrap_or(program);
        let base = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
        let flag = match base {
            "sh" | "bash" | "dash" | "ash" | "zsh" | "ksh" | "mksh" | "busybox" => 'c',
            "python" => 'c',
            "node" | "perl" | "ruby" => 'e',
            _ => return found,
        };
        // The code is the argument after the first short-flag cluster that holds the flag (`-c`,
        // `-ec`, `-euxc`); options before it are allowed (`python3 -u -c`).
        let mut skip_value = false;
        for (i, a) in argv.iter().enumerate().skip(1) {
            let Arg::Lit(text) = a else { break };
            if std::mem::take(&mut skip_value) {
                continue;
            }
            // Options that take a value (`sh -o pipefail`, `python -W ignore`); the first other
            // non-option is a script file, after which `-c` is the script's own argument.
            if matches!(text.as_str(), "-o" | "+o" | "-O" | "+O" | "-W" | "-X" | "-r") {
                skip_value = true;
                continue;
            }
            if !(text.starts_with('-') || text.starts_with('+') || (base == "busybox" && i == 1)) {
                break;
            }
            let cluster = text.len() > 1 && text.starts_with('-') && !text.starts_with("--");
            if cluster && text[1..].chars().all(|c| c.is_ascii_alphabetic()) && text[1..].contains(flag) {
                if let Some(code) = argv.get(i + 1) {
                    code.visit(&mut |part| {
                        if let Arg::InputValue(n) = part
                            && !found.iter().any(|(seen, _): &(String, String)| seen == n)
                        {
                            found.push((n.clone(), format!("{name} {text}")));
                        }
                    });
                }
                break;
            }
        }
        found
    }
}
