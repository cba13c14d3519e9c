//! Loop items and fan-in: what a `parallel_for` body receives and what it may return.

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

use crate::artifact::ConcreteKind;
use crate::handles::{Artifact, ArtifactOrigin, Param};

use crate::model::{ArgValue, DagId, LoopSource, ScopeId, SequenceCount, ValueSrc};
use crate::types::ParamType;
use crate::wire::IntoArg;

/// The current item of a `parallel_for`, of type `T`. It can only be used inside its loop: the
/// lifetime `'s` is unique to each loop body, so the item cannot be stored outside it.
///
/// It feeds inputs of type `T` and `Param<T>`, compares like a `Param<T>`, and for a struct with
/// `#[derive(ParamType)]` gives typed access to its fields: `cfg.lr` is a `LoopItem<'s, f64>`
/// (Argo's `{{item.lr}}`).
pub struct LoopItem<'s, T: ParamType> {
    src: ValueSrc,
    fields: T::Fields<'s>,
    _brand: PhantomData<fn(&'s ()) -> &'s ()>,
}

impl<'s, T: ParamType> LoopItem<'s, T> {
    /// The item (or field) with source `src`.
    #[doc(hidden)]
    pub fn __new(src: ValueSrc) -> Self {
        LoopItem { src, fields: T::__fields(src), _brand: PhantomData }
    }

    /// Field `name` of the item `parent` (used by `#[derive(ParamType)]`).
    #[doc(hidden)]
    pub fn __field(parent: ValueSrc, name: &'static str) -> Self {
        let src = match parent {
            ValueSrc::LoopItem { dag, scope, field, nested } => {
                ValueSrc::LoopItem { dag, scope, field: Some(name), nested: nested || field.is_some() }
            }
            other => other,
        };
        Self::__new(src)
    }

    pub(crate) fn src(self) -> ValueSrc {
        self.src
    }
}

impl<T: ParamType> Clone for LoopItem<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: ParamType> Copy for LoopItem<'_, T> {}

impl<'s, T: ParamType> Deref for LoopItem<'s, T> {
    type Target = T::Fields<'s>;
    fn deref(&self) -> &Self::Target {
        &self.fields
    }
}

impl<T: ParamType> fmt::Debug for LoopItem<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LoopItem<{}>({:?})", std::any::type_name::<T>(), self.src)
    }
}

/// The fields of a loop item whose type has none (scalars, lists, maps).
#[derive(Clone, Copy, Debug, Default)]
pub struct NoFields;

impl<T: ParamType> crate::__private::WireSealed<T> for LoopItem<'_, T> {}
#[diagnostic::do_not_recommend]
impl<T: ParamType, N> IntoArg<T, N> for LoopItem<'_, T> {
    fn __into_arg(self) -> ArgValue {
        ArgValue::Param(self.src)
    }
}

impl<T: ParamType> crate::__private::WireSealed<Param<T>> for LoopItem<'_, T> {}
#[diagnostic::do_not_recommend]
impl<T: ParamType, N> IntoArg<Param<T>, N> for LoopItem<'_, T> {
    fn __into_arg(self) -> ArgValue {
        ArgValue::Param(self.src)
    }
}

/// What `parallel_for` can iterate over, yielding items of type `T`: a list known when the pipeline
/// is built (`Vec<T>`, `[T; N]`, `&[T]`: Argo `withItems`), or a `Param<Vec<T>>` / a loop item of
/// type `Vec<T>` known at run time (Argo `withParam`).
#[diagnostic::on_unimplemented(
    message = "cannot loop over `{Self}` as items of type `{T}`",
    note = "loop over a list (`Vec<T>`, `[T; N]`, `&[T]`), a `Param<Vec<T>>`, a loop item of type `Vec<T>`, a range of `i32`, `i64` or `u32` (`0..8`, `1..=3`), or `..n` with `n` a `Param` of one of them"
)]
pub trait IntoLoopItems<T> {
    /// The source.
    #[doc(hidden)]
    fn __source(self) -> LoopSource;
}

impl<T: ParamType> IntoLoopItems<T> for Vec<T> {
    fn __source(self) -> LoopSource {
        LoopSource::Static(self.iter().map(ParamType::__to_json).collect())
    }
}

impl<T: ParamType, const N: usize> IntoLoopItems<T> for [T; N] {
    fn __source(self) -> LoopSource {
        LoopSource::Static(self.iter().map(ParamType::__to_json).collect())
    }
}

impl<T: ParamType> IntoLoopItems<T> for &[T] {
    fn __source(self) -> LoopSource {
        LoopSource::Static(self.iter().map(ParamType::__to_json).collect())
    }
}

/// A range of integers known when the pipeline is built: `p.parallel_for(0..8, |p, i| ..)` (Argo
/// `withSequence`; an empty range runs no iteration, as in Rust).
macro_rules! literal_ranges {
    ($($t:ty),*) => {$(
        impl IntoLoopItems<$t> for std::ops::Range<$t> {
            fn __source(self) -> LoopSource {
                let count = (i128::from(self.end) - i128::from(self.start)).max(0) as u64;
                LoopSource::Sequence { start: i64::from(self.start), count: SequenceCount::Literal(count) }
            }
        }

        impl IntoLoopItems<$t> for std::ops::RangeInclusive<$t> {
            fn __source(self) -> LoopSource {
                let (start, end) = (i128::from(*self.start()), i128::from(*self.end()));
                let count = (end - start + 1).clamp(0, i128::from(u64::MAX)) as u64;
                LoopSource::Sequence { start: start as i64, count: SequenceCount::Literal(count) }
            }
        }

        /// `..n`: the integers `0..n`, with `n` known at run time (a pipeline parameter, a task
        /// output, a loop item): `p.parallel_for(..shards, |p, i| ..)` (Argo `withSequence`).
        impl IntoLoopItems<$t> for std::ops::RangeTo<Param<$t>> {
            fn __source(self) -> LoopSource {
                LoopSource::Sequence { start: 0, count: SequenceCount::Value(self.end.src) }
            }
        }
    )*};
}

literal_ranges!(i32, i64, u32);

impl<T: ParamType> IntoLoopItems<T> for Param<Vec<T>> {
    fn __source(self) -> LoopSource {
        LoopSource::Param(self.src)
    }
}

impl<T: ParamType> IntoLoopItems<T> for LoopItem<'_, Vec<T>> {
    fn __source(self) -> LoopSource {
        LoopSource::Param(self.src)
    }
}

/// What a `parallel_for` body may return: `()`, a `Param<T>` (collected into a `Param<Vec<T>>`), an
/// `Artifact<K>` (collected into an `Artifact<Vec<K>>`), or a tuple of them. The collected values are
/// Argo's aggregated outputs of the loop: a JSON list with one element per iteration; the collected
/// artifacts are one artifact per iteration.
#[diagnostic::on_unimplemented(
    message = "a `parallel_for` body cannot return `{Self}`",
    note = "return `()`, a `Param<T>` or an `Artifact<K>` produced in the loop (collected into a `Param<Vec<T>>` / `Artifact<Vec<K>>`), or a tuple of them; loop items cannot leave their loop"
)]
pub trait FanIn {
    /// What the loop gives back.
    type Collected;

    /// The values returned, with their element types.
    #[doc(hidden)]
    fn __values(&self, out: &mut Vec<LoopValue>);

    /// The collected handles of loop `l`, numbered from `next`.
    #[doc(hidden)]
    fn __collected(l: LoopDone, next: &mut u32) -> Self::Collected;
}

/// A finished loop whose body returned nothing: what `parallel_for` gives back so that a later task
/// can run `.after(&the_loop)`.
#[derive(Clone, Copy, Debug)]
pub struct LoopDone {
    pub(crate) dag: DagId,
    pub(crate) scope: ScopeId,
}

impl FanIn for () {
    type Collected = LoopDone;
    fn __values(&self, _: &mut Vec<LoopValue>) {}
    fn __collected(l: LoopDone, _: &mut u32) -> LoopDone {
        l
    }
}

impl<T: ParamType> FanIn for Param<T> {
    type Collected = Param<Vec<T>>;
    fn __values(&self, out: &mut Vec<LoopValue>) {
        out.push(LoopValue { value: self.src, type_name: T::KFP_TYPE, artifact: false });
    }
    fn __collected(l: LoopDone, next: &mut u32) -> Param<Vec<T>> {
        *next += 1;
        Param::from_src(ValueSrc::LoopOutput { dag: l.dag, scope: l.scope, index: *next - 1 })
    }
}

impl<K: ConcreteKind> FanIn for Artifact<K> {
    type Collected = Artifact<Vec<K>>;
    fn __values(&self, out: &mut Vec<LoopValue>) {
        let value = match self.src {
            ArtifactOrigin::Task(a) => ValueSrc::TaskOutput { dag: a.dag, task: a.task, port: a.port },
            // Not made for a concrete kind; the loop reports it as not produced in its body.
            ArtifactOrigin::Collected(v) => v,
        };
        out.push(LoopValue { value, type_name: K::KFP_TYPE, artifact: true });
    }
    fn __collected(l: LoopDone, next: &mut u32) -> Artifact<Vec<K>> {
        *next += 1;
        Artifact::collected(ValueSrc::LoopOutput { dag: l.dag, scope: l.scope, index: *next - 1 })
    }
}

/// One value a loop body returns: its source in the body, the kfp type of one element, and whether it
/// is an artifact.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct LoopValue {
    pub(crate) value: ValueSrc,
    pub(crate) type_name: &'static str,
    pub(crate) artifact: bool,
}

macro_rules! fan_in_tuple {
    ($($name:ident),+) => {
        impl<$($name: FanIn),+> FanIn for ($($name,)+) {
            type Collected = ($($name::Collected,)+);
            #[allow(non_snake_case)]
            fn __values(&self, out: &mut Vec<LoopValue>) {
                let ($($name,)+) = self;
                $($name.__values(out);)+
            }
            fn __collected(l: LoopDone, next: &mut u32) -> Self::Collected {
                ($($name::__collected(l, next),)+)
            }
        }
    };
}
fan_in_tuple!(A);
fan_in_tuple!(A, B);
fan_in_tuple!(A, B, C);
fan_in_tuple!(A, B, C, D);
