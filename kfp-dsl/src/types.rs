//! Parameter types: the Rust types a pipeline parameter can carry, and how each travels as a string.

use std::collections::BTreeMap;

use serde_json::Value;

/// A type that can travel as a pipeline parameter (an Argo parameter, always a string on the wire).
///
/// Implemented for `String`, `bool`, the integer types, `f32`/`f64`, `Vec<T>`, `BTreeMap<String, T>`,
/// and for user structs with `#[derive(ParamType)]` (which must also derive serde's `Serialize` and
/// `Deserialize`; they travel JSON-encoded). The trait is sealed: use the derive.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a pipeline parameter type",
    label = "not a parameter type",
    note = "parameters are `String`, `bool`, integers, `f32`/`f64`, `Vec<T>`, `BTreeMap<String, T>`, or a struct with `#[derive(ParamType, Serialize, Deserialize)]`",
    note = "files and directories are artifacts: `Input<K>` / `Output<K>`"
)]
pub trait ParamType: crate::__private::ParamSealed + Sized + 'static {
    /// The kfp v1 type name of the parameter (`String`, `Integer`, `Float`, `Boolean`, `JsonArray`,
    /// `JsonObject`).
    const KFP_TYPE: &'static str;

    /// What a loop item of this type gives access to: its fields, for structs with
    /// `#[derive(ParamType)]`; nothing ([`NoFields`](crate::NoFields)) otherwise.
    type Fields<'s>: Copy;

    /// The fields of the loop item `item`.
    #[doc(hidden)]
    fn __fields<'s>(item: crate::ValueSrc) -> Self::Fields<'s>;

    /// The value as a JSON value (used inside lists, maps and structs).
    #[doc(hidden)]
    fn __to_json(&self) -> Value;

    /// Reads the value back from JSON.
    #[doc(hidden)]
    fn __from_json(v: Value) -> Result<Self, String>;

    /// The value as an Argo parameter string: strings as they are, everything else as JSON text.
    #[doc(hidden)]
    fn __to_param_string(&self) -> String {
        self.__to_json().to_string()
    }

    /// Parses a parameter string (as given on the command line) into a value.
    #[doc(hidden)]
    fn __parse_param(s: &str) -> Result<Self, String> {
        let v: Value = serde_json::from_str(s).map_err(|e| e.to_string())?;
        Self::__from_json(v)
    }
}

impl crate::__private::ParamSealed for String {}
#[diagnostic::do_not_recommend]
impl ParamType for String {
    const KFP_TYPE: &'static str = "String";
    type Fields<'s> = crate::NoFields;
    fn __fields<'s>(_: crate::ValueSrc) -> Self::Fields<'s> {
        crate::NoFields
    }
    fn __to_json(&self) -> Value {
        Value::String(self.clone())
    }
    fn __from_json(v: Value) -> Result<Self, String> {
        match v {
            Value::String(s) => Ok(s),
            other => Err(format!("expected a string, found `{other}`")),
        }
    }
    fn __to_param_string(&self) -> String {
        self.clone()
    }
    fn __parse_param(s: &str) -> Result<Self, String> {
        Ok(s.to_owned())
    }
}

impl crate::__private::ParamSealed for bool {}
#[diagnostic::do_not_recommend]
impl ParamType for bool {
    const KFP_TYPE: &'static str = "Boolean";
    type Fields<'s> = crate::NoFields;
    fn __fields<'s>(_: crate::ValueSrc) -> Self::Fields<'s> {
        crate::NoFields
    }
    fn __to_json(&self) -> Value {
        Value::Bool(*self)
    }
    fn __from_json(v: Value) -> Result<Self, String> {
        match &v {
            Value::String(s) => Self::__parse_param(s),
            _ => v.as_bool().ok_or_else(|| format!("expected `true` or `false`, found `{v}`")),
        }
    }
    fn __parse_param(s: &str) -> Result<Self, String> {
        match s {
            "true" | "True" => Ok(true),
            "false" | "False" => Ok(false),
            _ => Err("expected `true` or `false`".to_owned()),
        }
    }
}

macro_rules! int_param {
    ($($t:ty),*) => {$(
        impl crate::__private::ParamSealed for $t {}
        #[diagnostic::do_not_recommend]
        impl ParamType for $t {
            const KFP_TYPE: &'static str = "Integer";
            type Fields<'s> = crate::NoFields;
            fn __fields<'s>(_: crate::ValueSrc) -> Self::Fields<'s> {
                crate::NoFields
            }
            fn __to_json(&self) -> Value {
                Value::from(*self)
            }
            fn __from_json(v: Value) -> Result<Self, String> {
                let out = match &v {
                    Value::Number(n) => n.as_i64().and_then(|i| <$t>::try_from(i).ok())
                        .or_else(|| n.as_u64().and_then(|u| <$t>::try_from(u).ok())),
                    // Argo aggregates a loop's outputs as a JSON list of strings.
                    Value::String(s) => s.trim().parse::<$t>().ok(),
                    _ => None,
                };
                out.ok_or_else(|| format!("expected an integer in the range of `{}`, found `{v}`", stringify!($t)))
            }
            fn __to_param_string(&self) -> String {
                self.to_string()
            }
            fn __parse_param(s: &str) -> Result<Self, String> {
                s.trim().parse::<$t>().map_err(|e| format!("{e} (expected `{}`)", stringify!($t)))
            }
        }
    )*};
}
int_param!(i8, i16, i32, i64, u8, u16, u32, u64, usize, isize);

macro_rules! float_param {
    ($($t:ty),*) => {$(
        impl crate::__private::ParamSealed for $t {}
        #[diagnostic::do_not_recommend]
        impl ParamType for $t {
            const KFP_TYPE: &'static str = "Float";
            type Fields<'s> = crate::NoFields;
            fn __fields<'s>(_: crate::ValueSrc) -> Self::Fields<'s> {
                crate::NoFields
            }
            fn __to_json(&self) -> Value {
                serde_json::Number::from_f64(f64::from(*self)).map_or(Value::Null, Value::Number)
            }
            fn __from_json(v: Value) -> Result<Self, String> {
                if let Value::String(s) = &v {
                    // Argo aggregates a loop's outputs as a JSON list of strings.
                    return s.trim().parse::<$t>().map_err(|e| format!("{e} (expected a number)"));
                }
                #[allow(clippy::cast_possible_truncation)]
                v.as_f64().map(|f| f as $t).ok_or_else(|| format!("expected a number, found `{v}`"))
            }
            fn __to_param_string(&self) -> String {
                // `{:?}` keeps a decimal point (`3.0`) and round-trips exactly.
                format!("{:?}", self)
            }
            fn __parse_param(s: &str) -> Result<Self, String> {
                s.trim().parse::<$t>().map_err(|e| format!("{e} (expected a number)"))
            }
        }
    )*};
}
float_param!(f32, f64);

impl<T: ParamType> crate::__private::ParamSealed for Vec<T> {}
#[diagnostic::do_not_recommend]
impl<T: ParamType> ParamType for Vec<T> {
    const KFP_TYPE: &'static str = "JsonArray";
    type Fields<'s> = crate::NoFields;
    fn __fields<'s>(_: crate::ValueSrc) -> Self::Fields<'s> {
        crate::NoFields
    }
    fn __to_json(&self) -> Value {
        Value::Array(self.iter().map(ParamType::__to_json).collect())
    }
    fn __from_json(v: Value) -> Result<Self, String> {
        match v {
            Value::Array(items) => items.into_iter().map(T::__from_json).collect(),
            other => Err(format!("expected a JSON array, found `{other}`")),
        }
    }
}

impl<T: ParamType> crate::__private::ParamSealed for BTreeMap<String, T> {}
#[diagnostic::do_not_recommend]
impl<T: ParamType> ParamType for BTreeMap<String, T> {
    const KFP_TYPE: &'static str = "JsonObject";
    type Fields<'s> = crate::NoFields;
    fn __fields<'s>(_: crate::ValueSrc) -> Self::Fields<'s> {
        crate::NoFields
    }
    fn __to_json(&self) -> Value {
        Value::Object(self.iter().map(|(k, v)| (k.clone(), v.__to_json())).collect())
    }
    fn __from_json(v: Value) -> Result<Self, String> {
        match v {
            Value::Object(m) => m.into_iter().map(|(k, v)| Ok((k, T::__from_json(v)?))).collect(),
            other => Err(format!("expected a JSON object, found `{other}`")),
        }
    }
}

impl<T: ParamType> crate::__private::ParamSealed for Option<T> {}
/// An optional value: JSON `null` when absent (so `Option<String>` travels as JSON, not raw text).
#[diagnostic::do_not_recommend]
impl<T: ParamType> ParamType for Option<T> {
    const KFP_TYPE: &'static str = T::KFP_TYPE;
    type Fields<'s> = crate::NoFields;
    fn __fields<'s>(_: crate::ValueSrc) -> Self::Fields<'s> {
        crate::NoFields
    }
    fn __to_json(&self) -> Value {
        self.as_ref().map_or(Value::Null, ParamType::__to_json)
    }
    fn __from_json(v: Value) -> Result<Self, String> {
        match v {
            Value::Null => Ok(None),
            v => T::__from_json(v).map(Some),
        }
    }
}

impl crate::__private::ParamSealed for Value {}
/// Any JSON value (for `JsonArray` / `JsonObject` inputs of component.yaml files).
#[diagnostic::do_not_recommend]
impl ParamType for Value {
    const KFP_TYPE: &'static str = "JSON";
    type Fields<'s> = crate::NoFields;
    fn __fields<'s>(_: crate::ValueSrc) -> Self::Fields<'s> {
        crate::NoFields
    }
    fn __to_json(&self) -> Value {
        self.clone()
    }
    fn __from_json(v: Value) -> Result<Self, String> {
        Ok(v)
    }
}

/// Renders a value as the string Argo carries.
pub(crate) fn render<T: ParamType>(v: &T) -> String {
    v.__to_param_string()
}

/// Parses `s` as a `T` and renders it back in canonical form: how command-line values are checked.
pub(crate) fn normalize<T: ParamType>(s: &str) -> Result<String, String> {
    T::__parse_param(s).map(|v| render(&v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_render_as_argo_strings() {
        assert_eq!(render(&"a b".to_owned()), "a b");
        assert_eq!(render(&true), "true");
        assert_eq!(render(&42u32), "42");
        assert_eq!(render(&-3i64), "-3");
        assert_eq!(render(&0.01f64), "0.01");
        assert_eq!(render(&3.0f64), "3.0");
        assert_eq!(render(&vec![1u8, 2]), "[1,2]");
        assert_eq!(render(&vec!["x".to_owned()]), r#"["x"]"#);
        let m: BTreeMap<String, f64> = [("b".to_owned(), 1.5), ("a".to_owned(), 2.0)].into();
        assert_eq!(render(&m), r#"{"a":2.0,"b":1.5}"#);
    }

    #[test]
    fn command_line_values_are_checked_against_the_type() {
        assert_eq!(normalize::<u32>(" 7 ").unwrap(), "7");
        assert!(normalize::<u32>("-1").unwrap_err().contains("expected `u32`"));
        assert!(normalize::<u8>("300").is_err());
        assert_eq!(normalize::<bool>("True").unwrap(), "true");
        assert!(normalize::<bool>("yes").is_err());
        assert_eq!(normalize::<f64>("1e3").unwrap(), "1000.0");
        assert_eq!(normalize::<Vec<u32>>("[1, 2]").unwrap(), "[1,2]");
        assert!(normalize::<Vec<u32>>("[1, \"x\"]").is_err());
        assert_eq!(normalize::<String>("yes").unwrap(), "yes");
    }
}
