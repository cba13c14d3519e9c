//! Typed conditions: comparisons of parameters that only compile when both sides have the same type,
//! combined with `&`, `|` and `!`.

use crate::model::{CmpOp, Cond, Operand, ValueSrc};

use crate::handles::Param;

use crate::loops::LoopItem;
use crate::types::ParamType;

/// A value that can be compared with a `T`: a `Param<T>`, a loop item of `T`, or a literal `T`
/// (`&str` for `String`).
#[diagnostic::on_unimplemented(
    message = "cannot compare a `{T}` with `{Self}`",
    label = "expected a `{T}` value or literal",
    note = "both sides of a comparison have the same type: a `Param<T>`, a loop item of `T`, or a literal `T`"
)]
pub trait IntoOperand<T>: crate::__private::OperandSealed<T> {
    /// The operand.
    #[doc(hidden)]
    fn __operand(self) -> Operand;
}

impl<T: ParamType> crate::__private::OperandSealed<T> for Param<T> {}
#[diagnostic::do_not_recommend]
impl<T: ParamType> IntoOperand<T> for Param<T> {
    fn __operand(self) -> Operand {
        Operand::Value(self.src)
    }
}

impl<T: ParamType> crate::__private::OperandSealed<T> for LoopItem<'_, T> {}
#[diagnostic::do_not_recommend]
impl<T: ParamType> IntoOperand<T> for LoopItem<'_, T> {
    fn __operand(self) -> Operand {
        Operand::Value(self.src())
    }
}

impl<T: ParamType> crate::__private::OperandSealed<T> for T {}
#[diagnostic::do_not_recommend]
impl<T: ParamType> IntoOperand<T> for T {
    fn __operand(self) -> Operand {
        Operand::Literal(self.__to_param_string())
    }
}

impl crate::__private::OperandSealed<String> for &str {}
#[diagnostic::do_not_recommend]
impl IntoOperand<String> for &str {
    fn __operand(self) -> Operand {
        Operand::Literal(self.to_owned())
    }
}

/// Types whose values can be ordered in a condition (`gt`, `ge`, `lt`, `le`): the numbers.
#[diagnostic::on_unimplemented(
    message = "`{Self}` values cannot be ordered in a condition",
    note = "`gt`, `ge`, `lt` and `le` compare numbers; strings, booleans and JSON values only support `eq` and `ne`"
)]
pub trait Orderable: ParamType {}

macro_rules! orderable {
    ($($t:ty),*) => {$(
        #[diagnostic::do_not_recommend]
        impl Orderable for $t {}
    )*};
}
orderable!(i8, i16, i32, i64, u8, u16, u32, u64, usize, isize, f32, f64);

/// Types compared as strings (quoted in Argo's expression).
fn quoted<T: ParamType>() -> bool {
    !matches!(T::KFP_TYPE, "Integer" | "Float")
}

fn cmp<T: ParamType>(lhs: ValueSrc, op: CmpOp, rhs: Operand) -> Cond {
    Cond::Cmp { lhs: Operand::Value(lhs), op, rhs, quoted: quoted::<T>() }
}

macro_rules! comparisons {
    ($ty:ident $(<$lt:lifetime>)?, $src:ident) => {
        impl<$($lt,)? T: ParamType> $ty<$($lt,)? T> {
            /// The value equals `rhs`.
            pub fn eq(self, rhs: impl IntoOperand<T>) -> Cond {
                cmp::<T>(self.$src(), CmpOp::Eq, rhs.__operand())
            }

            /// The value differs from `rhs`.
            pub fn ne(self, rhs: impl IntoOperand<T>) -> Cond {
                cmp::<T>(self.$src(), CmpOp::Ne, rhs.__operand())
            }

            /// The value is greater than `rhs` (numbers only).
            pub fn gt(self, rhs: impl IntoOperand<T>) -> Cond
            where
                T: Orderable,
            {
                cmp::<T>(self.$src(), CmpOp::Gt, rhs.__operand())
            }

            /// The value is at least `rhs` (numbers only).
            pub fn ge(self, rhs: impl IntoOperand<T>) -> Cond
            where
                T: Orderable,
            {
                cmp::<T>(self.$src(), CmpOp::Ge, rhs.__operand())
            }

            /// The value is less than `rhs` (numbers only).
            pub fn lt(self, rhs: impl IntoOperand<T>) -> Cond
            where
                T: Orderable,
            {
                cmp::<T>(self.$src(), CmpOp::Lt, rhs.__operand())
            }

            /// The value is at most `rhs` (numbers only).
            pub fn le(self, rhs: impl IntoOperand<T>) -> Cond
            where
                T: Orderable,
            {
                cmp::<T>(self.$src(), CmpOp::Le, rhs.__operand())
            }
        }
    };
}

impl<T> Param<T> {
    fn value_src(self) -> ValueSrc {
        self.src
    }
}

comparisons!(Param, value_src);
comparisons!(LoopItem<'s>, src);

/// What `p.condition(..)` accepts: a [`Cond`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a condition",
    note = "build one with `.eq(..)`, `.ne(..)`, `.gt(..)`, ... on a parameter, combined with `&`, `|` and `!`"
)]
pub trait IntoCond {
    /// The condition.
    #[doc(hidden)]
    fn __cond(self) -> Cond;
}

impl IntoCond for Cond {
    fn __cond(self) -> Cond {
        self
    }
}
