//! What runs beside the server: the `alleyvote` command, and a `redis-server`
//! a test may stop.

use std::process::{Command, Output, Stdio};

use tokio::io::AsyncBufReadExt;

use super::skip;

/// Runs the `alleyvote` command on a SQLite database in `dir`, with more
/// environment variables; an empty value removes one.
pub fn cli(
    dir: &std::path::Path,
    db: &std::path::Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_alleyvote"));
    cmd.args(args)
        .env("ALLEYVOTE_DATA_DIR", dir)
        .env("DATABASE_URL", format!("sqlite://{}", db.display()));
    for (key, value) in env {
        if value.is_empty() {
            cmd.env_remove(key);
        } else {
            cmd.env(key, value);
        }
    }
    cmd.output().expect("run the alleyvote command")
}

/// A `redis-server` of the test's own on a free port, so the test may stop it.
pub struct OwnRedis {
    pub url: String,
    child: std::process::Child,
}

impl OwnRedis {
    /// Starts one and waits until it says it accepts connections; `None`
    /// (after saying so) if there is no `redis-server` here.
    pub async fn start() -> Option<OwnRedis> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .ok()?
            .local_addr()
            .ok()?
            .port();
        let mut child = match Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(Stdio::piped())
            .spawn()
        {
            Ok(c) => c,
            Err(e) => {
                skip("redis-server", &e.to_string());
                return None;
            }
        };
        let stdout = child.stdout.take().expect("redis-server's output");
        let stdout = tokio::process::ChildStdout::from_std(stdout).expect("async output");
        let mut lines = tokio::io::BufReader::new(stdout).lines();
        let ready = async {
            while let Some(line) = lines.next_line().await.ok()? {
                if line.contains("Ready to accept connections") {
                    return Some(());
                }
            }
            None
        };
        let started = tokio::time::timeout(std::time::Duration::from_secs(10), ready).await;
        assert!(
            matches!(started, Ok(Some(()))),
            "redis-server did not start on port {port}"
        );
        // Keep reading its log, so it never waits on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Some(OwnRedis {
            url: format!("redis://127.0.0.1:{port}"),
            child,
        })
    }

    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        self.stop();
    }
}
