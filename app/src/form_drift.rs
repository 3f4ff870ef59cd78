//! The drift test every form list runs: each field of a form struct is the
//! `name="..."` of an input in the view that renders the form, so a renamed
//! field or input fails a test instead of reaching the server empty.

use serde::Serialize;

/// The field names a form struct reads.
pub fn fields<T: Serialize + Default>() -> Vec<String> {
    match serde_json::to_value(T::default()) {
        Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
        _ => unreachable!("form structs are structs"),
    }
}

/// Fails naming every field of `form` no view among `views` names.
pub fn assert_named(form: &str, fields: Vec<String>, views: &[&str]) {
    let missing: Vec<String> = fields
        .into_iter()
        .filter(|f| !views.iter().any(|v| v.contains(&format!("name=\"{f}\""))))
        .collect();
    assert!(
        missing.is_empty(),
        "{form}: no name=\"…\" in its view for {missing:?}"
    );
}
