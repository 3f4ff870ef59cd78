//! Server-sent events, read one `data:` payload at a time.

pub struct SseReader {
    response: reqwest::Response,
    buffer: String,
    /// The `id` of the last event read that had one.
    pub last_id: Option<String>,
}

impl SseReader {
    pub fn new(response: reqwest::Response) -> Self {
        SseReader {
            response,
            buffer: String::new(),
            last_id: None,
        }
    }

    /// The next event's data, or `None` when the stream ends.
    pub async fn next_data(&mut self) -> Option<String> {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let event: String = self.buffer.drain(..end + 2).collect();
                let data: Vec<&str> = event
                    .lines()
                    .filter_map(|l| l.strip_prefix("data:"))
                    .map(str::trim_start)
                    .collect();
                if data.is_empty() {
                    continue; // a keep-alive comment
                }
                if let Some(id) = event.lines().find_map(|l| l.strip_prefix("id:")) {
                    self.last_id = Some(id.trim_start().to_string());
                }
                return Some(data.join("\n"));
            }
            match self.response.chunk().await {
                Ok(Some(bytes)) => self.buffer.push_str(&String::from_utf8_lossy(&bytes)),
                _ => return None,
            }
        }
    }
}
