//! When a failed attempt is retried: a condition over how it ended, typed so that no value is ever
//! spliced into an expression (Argo writes it as `retryStrategy.expression`).

use std::ops::{BitAnd, BitOr, Not};

/// A condition over a failed attempt. Combine with `&`, `|` and `!`:
///
/// ```
/// use kfp_dsl::RetryIf;
/// // Retry when the step was killed (OOM: 137, SIGTERM: 143) or could not run at all.
/// let when = RetryIf::exit_code_in([137, 143]) | RetryIf::errored();
/// // Retry any failure except exit code 1 ("bad input": retrying cannot help).
/// let unless_bad_input = !RetryIf::exit_code_in([1]);
/// # let _ = (when, unless_bad_input);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RetryIf {
    /// The command exited with one of these codes.
    ExitCodeIn(Vec<i32>),
    /// The step could not run or be read back (Argo's `Error` phase: the pod could not start, was
    /// evicted, its node went away), rather than fail with an exit code.
    Errored,
    /// Both hold.
    And(Box<RetryIf>, Box<RetryIf>),
    /// Either holds.
    Or(Box<RetryIf>, Box<RetryIf>),
    /// It does not hold.
    Not(Box<RetryIf>),
}

impl RetryIf {
    /// The command exited with one of `codes`.
    #[must_use]
    pub fn exit_code_in(codes: impl IntoIterator<Item = i32>) -> Self {
        RetryIf::ExitCodeIn(codes.into_iter().collect())
    }

    /// The step could not run or be read back, rather than fail with an exit code.
    #[must_use]
    pub fn errored() -> Self {
        RetryIf::Errored
    }

    /// What is wrong with it, if anything: an empty list of exit codes (always false).
    pub(crate) fn check(&self) -> Result<(), String> {
        match self {
            RetryIf::ExitCodeIn(codes) if codes.is_empty() => {
                Err("`RetryIf::exit_code_in` needs at least one exit code".to_owned())
            }
            RetryIf::ExitCodeIn(_) | RetryIf::Errored => Ok(()),
            RetryIf::And(a, b) | RetryIf::Or(a, b) => a.check().and_then(|()| b.check()),
            RetryIf::Not(a) => a.check(),
        }
    }
}

impl BitAnd for RetryIf {
    type Output = RetryIf;
    fn bitand(self, rhs: RetryIf) -> RetryIf {
        RetryIf::And(Box::new(self), Box::new(rhs))
    }
}

impl BitOr for RetryIf {
    type Output = RetryIf;
    fn bitor(self, rhs: RetryIf) -> RetryIf {
        RetryIf::Or(Box::new(self), Box::new(rhs))
    }
}

impl Not for RetryIf {
    type Output = RetryIf;
    fn not(self) -> RetryIf {
        RetryIf::Not(Box::new(self))
    }
}
