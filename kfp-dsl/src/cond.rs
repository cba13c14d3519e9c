//! Typed conditions: comparisons of parameters that only compile when both sides have the same type,
//! combined with `&`, `|` and `!`.

use std::ops::{BitAnd, BitOr, Not};

use crate::handles::{Param, ValueSrc};
use crate::loops::LoopItem;
use crate::types::ParamType;

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CmpOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `<`
    Lt,
    /// `<=`
    Le,
}

impl CmpOp {
    /// The operator as Argo's `when` writes it.
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
        }
    }
}

/// One side of a comparison.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Operand {
    /// A value known at run time.
    Value(ValueSrc),
    /// A literal, as its parameter string.
    Literal(String),
}

/// A condition: what `p.condition(..)` takes.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Cond {
    /// `lhs op rhs`; `quoted` says whether the operands are compared as strings (quoted in Argo's
    /// expression) or as numbers.
    Cmp {
        /// Left side.
        lhs: Operand,
        /// Operator.
        op: CmpOp,
        /// Right side.
        rhs: Operand,
        /// Strings (and booleans) are quoted; numbers are not.
        quoted: bool,
    },
    /// Both hold.
    And(Box<Cond>, Box<Cond>),
    /// Either holds.
    Or(Box<Cond>, Box<Cond>),
    /// It does not hold.
    Not(Box<Cond>),
}

impl Cond {
    /// Calls `f` on every value the condition reads.
    pub fn visit_values(&self, f: &mut impl FnMut(&ValueSrc)) {
        match self {
            Cond::Cmp { lhs, rhs, .. } => {
                for side in [lhs, rhs] {
                    if let Operand::Value(v) = side {
                        f(v);
                    }
                }
            }
            Cond::And(a, b) | Cond::Or(a, b) => {
                a.visit_values(f);
                b.visit_values(f);
            }
            Cond::Not(a) => a.visit_values(f),
        }
    }
}

impl BitAnd for Cond {
    type Output = Cond;
    fn bitand(self, rhs: Cond) -> Cond {
        Cond::And(Box::new(self), Box::new(rhs))
    }
}

impl BitOr for Cond {
    type Output = Cond;
    fn bitor(self, rhs: Cond) -> Cond {
        Cond::Or(Box::new(self), Box::new(rhs))
    }
}

impl Not for Cond {
    type Output = Cond;
    fn not(self) -> Cond {
        Cond::Not(Box::new(self))
    }
}

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
