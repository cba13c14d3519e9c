//! Support for generated code. Not a public API: names here may change in any release.

pub use crate::container::{count_holes, fill_holes, split_format};
pub use crate::dag::{Component, OutputFactory};
pub use crate::error::SourceLocation;
pub use crate::graph::{GraphComponent, GraphInputs, GraphReturn};
pub use crate::loops::LoopItem;
pub use crate::model::ArgValue;
pub use crate::wire::{IntoArg, Literal};
pub use serde_json;

/// Seals [`ParamType`](crate::ParamType); `#[derive(ParamType)]` implements it.
pub trait ParamSealed {}

/// Seals [`ArtifactKind`](crate::ArtifactKind); `#[derive(ArtifactKind)]` implements it.
pub trait KindSealed {}

/// Seals [`IntoArg`].
pub trait WireSealed<T> {}

/// Seals [`IntoOperand`](crate::IntoOperand).
pub trait OperandSealed<T> {}

/// A value usable in `fmt_param!`: any parameter or loop item, whatever its type.
pub trait FmtValue {
    /// Its source.
    fn __fmt_src(self) -> crate::ValueSrc;
}

impl<T> FmtValue for crate::Param<T> {
    fn __fmt_src(self) -> crate::ValueSrc {
        self.src
    }
}

impl<T: crate::ParamType> FmtValue for LoopItem<'_, T> {
    fn __fmt_src(self) -> crate::ValueSrc {
        self.src()
    }
}

/// Seals [`Literal`].
pub trait LiteralSealed<T> {}

/// The value of a `#[default(..)]` attribute, typed as the parameter.
pub fn default_value<T: crate::ParamType>(v: impl Literal<T>) -> T {
    v.__into_value()
}

/// Converts a wired argument (generated pipeline forms call this for each argument).
pub fn into_arg<T, A: IntoArg<T>>(a: A) -> ArgValue {
    a.__into_arg()
}

/// `ParamType::__to_json` for derived structs.
pub fn struct_to_json<T: serde::Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

/// `ParamType::__from_json` for derived structs.
pub fn struct_from_json<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> Result<T, String> {
    serde_json::from_value(v).map_err(|e| e.to_string())
}

/// The scope with dense index `i` (for the compiler, which walks scopes by index).
pub fn scope_id(i: u32) -> crate::ScopeId {
    crate::model::scope_from_index(i)
}

/// The binary name `#[pipeline]` records: `CARGO_BIN_NAME` where Cargo sets it (binaries and examples).
pub fn bin_name(from_cargo: Option<&'static str>) -> &'static str {
    from_cargo.unwrap_or("pipeline")
}
