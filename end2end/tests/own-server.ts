import { expect } from "@playwright/test";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";

// A server of a test's own, on its own port and data folder, so a test can
// stop and start it again, or start it at another demo stage.

export function startServer(port: number, dataDir: string, extra: Record<string, string> = {}): ChildProcess {
  const bin = process.env.ALLEYVOTE_BIN ?? path.resolve(__dirname, "../../target/debug/alleyvote");
  return spawn(bin, [], {
    cwd: path.resolve(__dirname, "../.."),
    env: {
      ...process.env,
      ALLEYVOTE_ADDR: `127.0.0.1:${port}`,
      ALLEYVOTE_DATA_DIR: dataDir,
      ALLEYVOTE_DEMO_DATA: "true",
      ALLEYVOTE_RESULTS_POLL_MS: "200",
      LEPTOS_SITE_ROOT: process.env.LEPTOS_SITE_ROOT ?? "target/site",
      LEPTOS_OUTPUT_NAME: "alleyvote",
      RUST_LOG: "warn",
      ...extra,
    },
    stdio: "ignore",
  });
}

export async function healthy(base: string) {
  await expect
    .poll(async () => {
      try {
        return (await fetch(`${base}/healthz`)).status;
      } catch {
        return 0;
      }
    }, { timeout: 60_000 })
    .toBe(200);
}

export function stopped(server: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (server.exitCode !== null) return resolve();
    server.once("exit", () => resolve());
    server.kill("SIGTERM");
  });
}

/// A port no other test of this run picks.
export function freePort(from: number): number {
  return from + Math.floor(Math.random() * 200);
}

/// Signs a resident in over the JSON API with the code from the outbox, and votes once.
export async function castVote(base: string, dataDir: string, phone: string, nominee: number) {
  const post = (p: string, body: unknown, token?: string) =>
    fetch(`${base}/api/v1${p}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  expect((await post("/sms-codes", { phone })).status).toBe(202);
  const masked = `${phone.slice(0, 3)}****${phone.slice(7)}`;
  const outbox = fs.readFileSync(path.join(dataDir, "sms-outbox.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
  const code = outbox.filter((m) => m.to === masked).pop().code;
  const session = await post("/sessions", { phone, code });
  expect(session.status).toBe(201);
  const { token } = await session.json();
  expect((await post(`/campaigns/yangpu-2026/votes`, { nominee_number: nominee }, token)).status).toBe(201);
}

