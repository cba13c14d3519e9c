//! Wiring: which values may feed which component inputs. Every rule is a hand-written impl of the
//! sealed [`IntoArg`] trait, so a wrong wire is a rustc error that names the value and the input type.

use crate::__private::WireSealed;
use crate::artifact::{AnyArtifact, ArtifactKind, ConcreteKind};
use crate::handles::{Artifact, Input, Param};
use crate::model::ArgValue;
use crate::types::ParamType;

/// A value that may feed a component input of type `T`.
///
/// `T` is the input's declared type: `u32`, `Param<String>`, `Input<Dataset>`, ... The impls:
/// a `Param<T>` or a literal `T` feeds `T` and `Param<T>` (`&str` counts as a `String` literal);
/// an `Artifact<K>` feeds `Input<K>` and `Input<AnyArtifact>`.
///
/// `N` only names the input in error messages: the component macros pass a marker type named after
/// the input (`train_inputs::lr`), so rustc says which input a wrong value was wired into.
#[diagnostic::on_unimplemented(
    message = "cannot wire `{Self}` into input `{N}` of type `{T}`",
    label = "this value does not produce a `{T}`",
    note = "an input of type `X` or `Param<X>` takes a `Param<X>` or a literal `X`; `Input<K>` takes an `Artifact<K>` (and `Input<AnyArtifact>` any artifact)"
)]
pub trait IntoArg<T, N = ()>: WireSealed<T> {
    /// Converts the value into the graph model's argument.
    #[doc(hidden)]
    fn __into_arg(self) -> ArgValue;
}

// A `Param<T>` feeds an input declared `Param<T>`.
impl<T: ParamType> WireSealed<Param<T>> for Param<T> {}
#[diagnostic::do_not_recommend]
impl<T: ParamType, N> IntoArg<Param<T>, N> for Param<T> {
    fn __into_arg(self) -> ArgValue {
        ArgValue::Param(self.src)
    }
}

// A literal `T` feeds an input declared `Param<T>`.
impl<T: ParamType> WireSealed<Param<T>> for T {}
#[diagnostic::do_not_recommend]
impl<T: ParamType, N> IntoArg<Param<T>, N> for T {
    fn __into_arg(self) -> ArgValue {
        ArgValue::Const(self.__to_param_string())
    }
}

// A string literal feeds an input declared `Param<String>`.
impl WireSealed<Param<String>> for &str {}
#[diagnostic::do_not_recommend]
impl<N> IntoArg<Param<String>, N> for &str {
    fn __into_arg(self) -> ArgValue {
        ArgValue::Const(self.to_owned())
    }
}

// A `Param<T>` feeds an input declared as the plain type `T` (Rust function components).
impl<T: ParamType> WireSealed<T> for Param<T> {}
#[diagnostic::do_not_recommend]
impl<T: ParamType, N> IntoArg<T, N> for Param<T> {
    fn __into_arg(self) -> ArgValue {
        ArgValue::Param(self.src)
    }
}

// A literal `T` feeds an input declared `T`.
impl<T: ParamType> WireSealed<T> for T {}
#[diagnostic::do_not_recommend]
impl<T: ParamType, N> IntoArg<T, N> for T {
    fn __into_arg(self) -> ArgValue {
        ArgValue::Const(self.__to_param_string())
    }
}

// A string literal feeds an input declared `String`.
impl WireSealed<String> for &str {}
#[diagnostic::do_not_recommend]
impl<N> IntoArg<String, N> for &str {
    fn __into_arg(self) -> ArgValue {
        ArgValue::Const(self.to_owned())
    }
}

// An `Artifact<K>` feeds an input declared `Input<K>`.
impl<K: ArtifactKind> WireSealed<Input<K>> for Artifact<K> {}
#[diagnostic::do_not_recommend]
impl<K: ArtifactKind, N> IntoArg<Input<K>, N> for Artifact<K> {
    fn __into_arg(self) -> ArgValue {
        self.src.arg()
    }
}

// Any concrete artifact feeds an input declared `Input<AnyArtifact>`.
impl<K: ConcreteKind> WireSealed<Input<AnyArtifact>> for Artifact<K> {}
#[diagnostic::do_not_recommend]
impl<K: ConcreteKind, N> IntoArg<Input<AnyArtifact>, N> for Artifact<K> {
    fn __into_arg(self) -> ArgValue {
        self.src.arg()
    }
}

/// A literal usable as a value of type `T` (pipeline parameter defaults): `T` itself, or `&str` for
/// `String`.
#[diagnostic::on_unimplemented(message = "`{Self}` is not a literal of type `{T}`", label = "expected a `{T}` literal")]
pub trait Literal<T>: crate::__private::LiteralSealed<T> {
    /// The value.
    #[doc(hidden)]
    fn __into_value(self) -> T;
}

impl<T: ParamType> crate::__private::LiteralSealed<T> for T {}
#[diagnostic::do_not_recommend]
impl<T: ParamType> Literal<T> for T {
    fn __into_value(self) -> T {
        self
    }
}

impl crate::__private::LiteralSealed<String> for &str {}
#[diagnostic::do_not_recommend]
impl Literal<String> for &str {
    fn __into_value(self) -> String {
        self.to_owned()
    }
}

/// The slot of an optional input: it takes `Some(value)` (any value the input's type takes) or
/// [`absent()`](crate::absent) (the input's default, if it has one, or nothing).
pub struct Optional<S>(std::marker::PhantomData<fn() -> S>);

/// An optional input left out: see [`absent`](crate::absent).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Absent;

/// Leaves an optional input out (its default applies, if it has one).
pub fn absent() -> Absent {
    Absent
}

impl<S> WireSealed<Optional<S>> for Absent {}
#[diagnostic::do_not_recommend]
impl<S, N> IntoArg<Optional<S>, N> for Absent {
    fn __into_arg(self) -> ArgValue {
        ArgValue::Absent
    }
}

impl<S, A: IntoArg<S>> WireSealed<Optional<S>> for Option<A> {}
#[diagnostic::do_not_recommend]
impl<S, N, A: IntoArg<S>> IntoArg<Optional<S>, N> for Option<A> {
    fn __into_arg(self) -> ArgValue {
        match self {
            Some(a) => a.__into_arg(),
            None => ArgValue::Absent,
        }
    }
}
