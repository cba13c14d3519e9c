//! Protobuf JSON mapping details the serde derives need: int64 fields are strings, and
//! kfp-kubernetes' int32 fields come out as floats (its config passes through a
//! `google.protobuf.Struct`). Readers accept numbers and strings alike, as protobuf's parser does.

use serde::{Deserialize, Deserializer, Serializer, de};

/// A number as JSON or YAML may hold it.
#[derive(Deserialize)]
#[serde(untagged)]
enum Number {
    Int(i64),
    Float(f64),
    Text(String),
}

impl Number {
    fn to_i64<E: de::Error>(&self) -> Result<i64, E> {
        match self {
            Self::Int(n) => Ok(*n),
            // Only whole floats: `50.0`.
            #[expect(clippy::cast_possible_truncation, reason = "checked to be whole and in range")]
            Self::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(*f as i64),
            Self::Float(f) => Err(E::custom(format!("expected an integer, got {f}"))),
            Self::Text(s) => s.trim().parse().map_err(|_| E::custom(format!("expected an integer, got `{s}`"))),
        }
    }
}

/// `Option<i64>` written as a string (`activeDeadlineSeconds: '3600'`).
pub(super) mod int64_string {
    use super::{Deserialize, Deserializer, Number, Serializer};

    pub(in crate::kfp_v2) fn serialize<S: Serializer>(v: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(n) => s.serialize_str(&n.to_string()),
            None => s.serialize_none(),
        }
    }

    pub(in crate::kfp_v2) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        Option::<Number>::deserialize(d)?.map(|n| n.to_i64()).transpose()
    }
}

/// `Option<i32>` written as a float (`weight: 50.0`).
pub(super) mod int32_float {
    use super::{Deserialize, Deserializer, Number, Serializer, de};

    pub(in crate::kfp_v2) fn serialize<S: Serializer>(v: &Option<i32>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(n) => s.serialize_f64(f64::from(*n)),
            None => s.serialize_none(),
        }
    }

    pub(in crate::kfp_v2) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i32>, D::Error> {
        Option::<Number>::deserialize(d)?
            .map(|n| n.to_i64().and_then(|v| i32::try_from(v).map_err(|_| de::Error::custom("out of int32 range"))))
            .transpose()
    }
}
