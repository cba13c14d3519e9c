//! `ContainerSpec`: what a container component runs, with its inputs and outputs as typed placeholders.

use crate::handles::{Input, Output, OutputParam, Param, ValueSrc};

/// One command-line argument (or part of one) of a container, in kfp's component.yaml terms.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
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
impl<T> From<Param<T>> for Arg {
    fn from(p: Param<T>) -> Self {
        match p.src {
            ValueSrc::ComponentInput(name) => Arg::InputValue(name.to_owned()),
            _ => Arg::Foreign,
        }
    }
}
impl<K> From<Input<K>> for Arg {
    fn from(i: Input<K>) -> Self {
        Arg::InputPath(i.name().to_owned())
    }
}
impl<K> From<Output<K>> for Arg {
    fn from(o: Output<K>) -> Self {
        Arg::OutputPath(o.name().to_owned())
    }
}
impl<T> From<OutputParam<T>> for Arg {
    fn from(o: OutputParam<T>) -> Self {
        Arg::OutputPath(o.name().to_owned())
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
            if !(text.starts_with('-') || text.starts_with('+')) && !(base == "busybox" && i == 1) {
                break;
            }
            let cluster = text.len() > 1 && text.starts_with('-') && !text.starts_with("--");
            if cluster && text[1..].chars().all(|c| c.is_ascii_alphabetic()) && text[1..].contains(flag) {
                if let Some(code) = argv.get(i + 1) {
                    code.visit(&mut |part| {
                        if let Arg::InputValue(n) = part {
                            if !found.iter().any(|(seen, _): &(String, String)| seen == n) {
                                found.push((n.clone(), format!("{name} {text}")));
                            }
                        }
                    });
                }
                break;
            }
        }
        found
    }
}

/// Counts the `{}` holes in a format string (used by [`fmt_arg!`](crate::fmt_arg) at compile time);
/// `{{` and `}}` are escaped braces, as in `format!`.
#[doc(hidden)]
pub const fn count_holes(fmt: &str) -> usize {
    let b = fmt.as_bytes();
    let (mut i, mut n) = (0, 0);
    while i < b.len() {
        if i + 1 < b.len() && ((b[i] == b'{' && b[i + 1] == b'{') || (b[i] == b'}' && b[i + 1] == b'}')) {
            i += 2;
        } else if i + 1 < b.len() && b[i] == b'{' && b[i + 1] == b'}' {
            n += 1;
            i += 2;
        } else {
            i += 1;
        }
    }
    n
}

/// Splits a format string into text and holes: `{}` is a hole, `{{` and `}}` are braces.
#[doc(hidden)]
pub fn split_format(fmt: &str) -> Vec<Option<String>> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('{', Some('{')) | ('}', Some('}')) => {
                chars.next();
                text.push(c);
            }
            ('{', Some('}')) => {
                chars.next();
                parts.push(Some(std::mem::take(&mut text)));
                parts.push(None);
            }
            _ => text.push(c),
        }
    }
    parts.push(Some(text));
    parts
}

/// Fills the `{}` holes of `fmt` with `args`, in order.
#[doc(hidden)]
pub fn fill_holes(fmt: &str, args: Vec<Arg>) -> Arg {
    let mut args = args.into_iter();
    let parts = split_format(fmt)
        .into_iter()
        .map(|p| match p {
            Some(text) => Arg::Lit(text),
            None => args.next().unwrap_or(Arg::Lit(String::new())),
        })
        .collect::<Vec<_>>();
    Arg::concat(parts)
}

/// Builds one container argument from a format string whose `{}` holes take inputs or literals:
/// `fmt_arg!("echo {} | wc -w > {}", text, count)` becomes kfp's `{concat: [...]}`. As in `format!`,
/// `{{` and `}}` are literal braces. The number of holes must match the number of values; a mismatch
/// is a compile error.
#[macro_export]
macro_rules! fmt_arg {
    ($fmt:literal $(, $arg:expr)* $(,)?) => {{
        const _: () = ::core::assert!(
            $crate::__private::count_holes($fmt) == <[&str]>::len(&[$(::core::stringify!($arg)),*]),
            "fmt_arg!: the number of `{{}}` holes differs from the number of values"
        );
        $crate::__private::fill_holes($fmt, ::std::vec![$($crate::Arg::from($arg)),*])
    }};
}

/// Builds a `Param<String>` from a format string whose `{}` holes take parameters or loop items of
/// any type: `fmt_param!(p, "run {} finished: {}", p.run_id(), status)`. The text is filled in by Argo
/// at run time. The number of holes must match the number of values; a mismatch is a compile error.
#[macro_export]
macro_rules! fmt_param {
    ($dag:expr, $fmt:literal $(, $arg:expr)* $(,)?) => {{
        const _: () = ::core::assert!(
            $crate::__private::count_holes($fmt) == <[&str]>::len(&[$(::core::stringify!($arg)),*]),
            "fmt_param!: the number of `{{}}` holes differs from the number of values"
        );
        $crate::Dag::__format(
            $dag,
            $fmt,
            ::std::vec![$($crate::__private::FmtValue::__fmt_src($arg)),*],
            $crate::__private::SourceLocation::caller(),
        )
    }};
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artifact::Dataset;

    #[test]
    fn fmt_arg_interleaves_literals_and_placeholders() {
        let text = Param::<String>::__component_input("text");
        let out = OutputParam::<u32>::__component_slot("n");
        let a = crate::fmt_arg!("echo \"{}\" | wc -w > {}", text, out);
        assert_eq!(
            a,
            Arg::Concat(vec![
                Arg::Lit("echo \"".into()),
                Arg::InputValue("text".into()),
                Arg::Lit("\" | wc -w > ".into()),
                Arg::OutputPath("n".into()),
            ])
        );
        assert_eq!(crate::fmt_arg!("no holes {x}"), Arg::Lit("no holes {x}".into()));
        assert_eq!(
            crate::fmt_arg!("json {{\"a\": {}}}", text),
            Arg::Concat(vec![Arg::Lit("json {\"a\": ".into()), Arg::InputValue("text".into()), Arg::Lit("}".into())])
        );
        assert_eq!(count_holes("{}{}{"), 2);
        assert_eq!(count_holes("{{}}{}"), 1);
    }

    #[test]
    fn artifacts_render_as_paths() {
        let i = Input::<Dataset>::__component_slot("data");
        let spec = ContainerSpec::new(["cat"]).arg(i).env("X", "1");
        assert_eq!(spec.arguments(), &[Arg::InputPath("data".into())]);
        assert_eq!(spec.environment()[0].0, "X");
    }

    #[test]
    fn values_in_code_are_found_in_shells_and_interpreters() {
        let v = |n: &str| Arg::InputValue(n.into());
        let code = |cmd: &[&str], script: Arg| {
            let mut c = ContainerSpec::new(cmd.iter().copied()).arg(script).arg(v("after"));
            c.args.push(v("tail"));
            c.values_in_code()
        };
        let spliced = Arg::concat([Arg::from("echo "), v("x")]);
        let found = |r: Vec<(String, String)>| r.into_iter().map(|(n, p)| format!("{n}@{p}")).collect::<Vec<_>>();
        assert_eq!(found(code(&["sh", "-c"], spliced.clone())), ["x@sh -c"]);
        assert_eq!(found(code(&["/bin/bash", "-o", "pipefail", "-euxc"], spliced.clone())), ["x@bash -euxc"]);
        assert_eq!(found(code(&["python3.12", "-u", "-c"], spliced.clone())), ["x@python3.12 -c"]);
        assert_eq!(found(code(&["busybox", "sh", "-c"], v("x"))), ["x@busybox -c"]);
        assert_eq!(found(code(&["node", "-e"], spliced.clone())), ["x@node -e"]);
        // Values after the code, output paths inside it, scripts run from files, other programs: fine.
        assert!(code(&["sh", "-c"], Arg::from("echo \"$0\"")).is_empty());
        assert!(code(&["sh", "-c"], Arg::concat([Arg::from("ls > "), Arg::OutputPath("o".into())])).is_empty());
        assert!(code(&["bash", "script.sh", "-c"], spliced.clone()).is_empty());
        assert!(code(&["echo", "-c"], spliced).is_empty());
    }
}
