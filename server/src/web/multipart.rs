//! Reading a multipart form (a form with a file): its text fields, capped,
//! and its one file, if one was chosen.

use std::collections::HashMap;

use axum::extract::Multipart;

/// A multipart form as sent.
#[derive(Debug, Default)]
pub struct Upload {
    pub fields: HashMap<String, String>,
    pub file: Option<Vec<u8>>,
}

impl Upload {
    /// A text field, trimmed; empty if absent.
    pub fn field(&self, name: &str) -> &str {
        self.fields.get(name).map(|v| v.trim()).unwrap_or_default()
    }
}

/// Why a multipart form could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadProblem {
    /// Not a readable multipart body.
    Unreadable,
    /// The file went past the body limit.
    FileTooLarge,
    /// A text field is longer than its cap.
    FieldTooLong,
}

/// Pasted CSV may be long; any other text field may not.
fn cap_of(name: &str) -> usize {
    if name == "csv" {
        2_000_000
    } else {
        20_000
    }
}

/// Reads a multipart form whose file field is `file_field`.
pub async fn read(mut multipart: Multipart, file_field: &str) -> Result<Upload, UploadProblem> {
    let mut upload = Upload::default();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| UploadProblem::Unreadable)?
    {
        let name = field.name().unwrap_or_default().to_string();
        if name == file_field {
            let chosen = field.file_name().is_some_and(|f| !f.is_empty());
            let bytes = field
                .bytes()
                .await
                .map_err(|_| UploadProblem::FileTooLarge)?;
            if chosen && !bytes.is_empty() {
                upload.file = Some(bytes.to_vec());
            }
        } else {
            let text = field.text().await.map_err(|_| UploadProblem::Unreadable)?;
            if text.chars().count() > cap_of(&name) {
                return Err(UploadProblem::FieldTooLong);
            }
            upload.fields.insert(name, text);
        }
    }
    Ok(upload)
}
