//! `ContainerSpec`: what a container component runs, with its inputs and outputs as typed placeholders.

use crate::handles::{Input, Output, OutputParam, Param};
use crate::model::{Arg, ValueSrc};

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
    use crate::model::ContainerSpec;

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
