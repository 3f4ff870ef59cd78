//! Whole numbers in JSON bodies as the OpenAPI document's `integer` means
//! them (JSON Schema): any number whose fraction is zero, `12` and `12.0`
//! alike. serde reads `12.0` only as a float, so without this a body the
//! document allows would be refused as malformed.

use serde::de::Error;
use serde::{Deserialize, Deserializer};

/// For `#[serde(deserialize_with = "crate::web::number::whole")]`: a whole
/// number that fits `T`, written with or without a zero fraction.
pub fn whole<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i64>,
{
    // i64's range as floats: -2^63 is one, 2^63 is just past the end.
    const END: f64 = 9_223_372_036_854_775_808.0;
    let n = serde_json::Number::deserialize(deserializer)?;
    n.as_i64()
        .or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && (-END..END).contains(f))
                .map(|f| f as i64)
        })
        .and_then(|w| T::try_from(w).ok())
        .ok_or_else(|| D::Error::custom("expected a whole number in range"))
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Body {
        #[serde(deserialize_with = "super::whole")]
        n: u32,
    }

    fn read(json: &str) -> Option<u32> {
        serde_json::from_str::<Body>(json).ok().map(|b| b.n)
    }

    #[test]
    fn a_whole_number_may_carry_a_zero_fraction() {
        assert_eq!(read(r#"{"n": 12}"#), Some(12));
        assert_eq!(read(r#"{"n": 12.0}"#), Some(12));
        assert_eq!(read(r#"{"n": 1.2e1}"#), Some(12));
        assert_eq!(read(r#"{"n": 12.5}"#), None);
        assert_eq!(read(r#"{"n": -1}"#), None);
        assert_eq!(read(r#"{"n": 4294967296}"#), None);
        assert_eq!(read(r#"{"n": 1e300}"#), None);
        assert_eq!(read(r#"{"n": "12"}"#), None);
    }
}
