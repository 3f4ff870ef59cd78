//! The screen operator's form.

use serde::{Deserialize, Serialize};

/// `POST /console/screen/press`: one press on one screen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScreenForm {
    pub csrf: String,
    /// `public` or `rehearsal`.
    pub channel: String,
    /// A mode (`waiting`, `live`, `hidden`, `frozen`, `reveal`), `next` or `back`.
    pub command: String,
}
