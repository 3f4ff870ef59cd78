//! How the capabilities' forms read. Each capability's `forms.rs` holds one
//! struct per HTML form, typed as the server reads it: where the server
//! turns a bad value into an outcome code (a role, a nominee number, a
//! date), the field stays text, so a bad value still reaches the handler and
//! gets its code instead of a bare 422 from the extractor. A missing field
//! reads as empty (`#[serde(default)]`). Most are plain urlencoded posts for
//! `axum::Form<T>`; the exceptions say so on their structs (a repeated key,
//! multipart uploads).
//!
//! Two fields a browser sends unusually are read here: a checkbox (present
//! or absent) and a hidden on/off switch, for `#[serde(with = "…")]`.

/// A checkbox: the browser sends `name=on` when it is ticked and nothing at
/// all when it is not. Reads `on` as `true`, anything else or nothing as
/// `false`; writes `true` as `on` and leaves `false` out.
/// Use with `#[serde(default, with = "checkbox")]`.
pub mod checkbox {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(ticked: &bool, s: S) -> Result<S::Ok, S::Error> {
        if *ticked {
            s.serialize_some("on")
        } else {
            s.serialize_none()
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        Ok(Option::<String>::deserialize(d)?.is_some_and(|v| v == "on"))
    }
}

/// A hidden `on`/`off` switch that is always sent. Reads `on` as `true`,
/// anything else as `false` (as the server does); writes `on` or `off`.
pub mod on_off {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(on: &bool, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(if *on { "on" } else { "off" })
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        Ok(Option::<String>::deserialize(d)?.is_some_and(|v| v == "on"))
    }
}
