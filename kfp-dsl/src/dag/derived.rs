//! Values made from other values: a string formatted from text and values (`fmt_param!`), and a task
//! output with a default for when its condition skipped the task (`default_if_skipped`).

use crate::dag::Dag;
use crate::error::{BuildError, SourceLocation};
use crate::handles::Param;
use crate::model::{Defaulted, FmtPart, ValueSrc};
use crate::types::{self, ParamType};

impl Dag {
    /// A string made of text and values (used by `fmt_param!`).
    #[doc(hidden)]
    pub fn __format(&self, fmt: &str, values: Vec<ValueSrc>, location: SourceLocation) -> Param<String> {
        let mut values = values.into_iter();
        let parts: Vec<FmtPart> = crate::container::split_format(fmt)
            .into_iter()
            .filter_map(|p| match p {
                Some(text) if text.is_empty() => None,
                Some(text) => Some(FmtPart::Lit(text)),
                None => values.next().map(FmtPart::Value),
            })
            .collect();
        let mut b = self.inner.borrow_mut();
        for part in &parts {
            if let FmtPart::Value(v) = part
                && v.dag().is_some_and(|d| d != self.id)
            {
                b.errors.push(BuildError::ForeignHandle {
                    location,
                    component: "fmt_param!".to_owned(),
                    input: fmt.to_owned(),
                });
            }
        }
        let index = b.formatted.len() as u32;
        b.formatted.push(parts);
        Param::from_src(ValueSrc::Formatted { dag: self.id, index })
    }

    /// A task output that can be read outside the condition(s) around its task: when a condition
    /// skipped the task, readers get `default` instead (Argo's `valueFrom.default` on the condition's
    /// outputs). Without it, reading the output outside its condition is a compile error.
    ///
    /// Whether Argo applies the default when a whole condition was skipped depends on its version: it
    /// was made to work in recent v4 releases (argoproj/argo-workflows#16223, #16801); on older ones the
    /// reader may fail when the branch was skipped. Not checked against a live cluster here.
    #[track_caller]
    pub fn default_if_skipped<T: ParamType>(&self, value: Param<T>, default: impl crate::Literal<T>) -> Param<T> {
        let location = SourceLocation::caller();
        let default = types::render(&default.__into_value());
        let mut b = self.inner.borrow_mut();
        if !matches!(value.src, ValueSrc::TaskOutput { dag, .. } if dag == self.id) {
            b.errors.push(BuildError::InvalidDefault { location });
        }
        let index = b.defaults.len() as u32;
        b.defaults.push(Defaulted { value: value.src, default, location });
        Param::from_src(ValueSrc::Defaulted { dag: self.id, index })
    }
}
