import { defineConfig, devices } from "@playwright/test";
import * as os from "os";
import * as path from "path";

// The server under test: the binary cargo-leptos built, on its own port, with
// a fresh SQLite database and the demo data (the embedded default).
const port = Number(process.env.E2E_PORT ?? 3199);
const bin = process.env.ALLEYVOTE_BIN ?? path.resolve(__dirname, "../target/debug/alleyvote");
// A fixed folder (the config is evaluated in every worker), emptied when the server starts.
const dataDir = process.env.E2E_DATA_DIR ?? path.join(os.tmpdir(), `alleyvote-e2e-${port}`);
process.env.E2E_DATA_DIR = dataDir;

const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
};

// A phone: the size of a mid-range Android, with touch.
const phone = {
  ...devices["Pixel 5"],
  launchOptions: chromium,
  locale: "zh-CN",
};

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
  },
  projects: [
    { name: "phone-js", testIgnore: /(paper|screen|hall)\.spec/, use: { ...phone, javaScriptEnabled: true } },
    { name: "phone-no-js", testIgnore: /(paper|screen|hall)\.spec/, use: { ...phone, javaScriptEnabled: false } },
    // The ceremony hall: phones that follow the live results (JavaScript only: without it the page says to reload).
    { name: "hall", testMatch: /hall\.spec/, use: { ...phone, javaScriptEnabled: true } },
    // Organizers key paper ballots on a laptop or a tablet.
    { name: "tablet-js", testMatch: /paper\.spec/, use: { launchOptions: chromium, locale: "zh-CN", viewport: { width: 768, height: 1024 }, javaScriptEnabled: true } },
    { name: "tablet-no-js", testMatch: /paper\.spec/, use: { launchOptions: chromium, locale: "zh-CN", viewport: { width: 768, height: 1024 }, javaScriptEnabled: false } },
    // The ceremony: a 1920 × 1080 wall and the operator's laptop.
    { name: "wall", testMatch: /screen\.spec/, use: { launchOptions: chromium, locale: "zh-CN", viewport: { width: 1920, height: 1080 }, javaScriptEnabled: true } },
  ],
  webServer: {
    command: `rm -rf '${dataDir}' && exec '${bin}'`,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    cwd: path.resolve(__dirname, ".."),
    env: {
      ALLEYVOTE_ADDR: `127.0.0.1:${port}`,
      ALLEYVOTE_DATA_DIR: dataDir,
      ALLEYVOTE_DEMO_DATA: "true",
      ALLEYVOTE_RESULTS_POLL_MS: "200",
      // Every resident in these stories signs in from one address
      // (127.0.0.1), as phones behind a venue's Wi-Fi do: the picture
      // challenge and the hourly cap per address are the server tests'
      // subject (server/tests/it/abuse.rs), not these.
      ALLEYVOTE_SMS_CHALLENGE_AFTER_PER_ADDRESS: "100",
      ALLEYVOTE_SMS_PER_IP_PER_HOUR: "200",
      LEPTOS_SITE_ROOT: process.env.LEPTOS_SITE_ROOT ?? "target/site",
      LEPTOS_OUTPUT_NAME: "alleyvote",
      RUST_LOG: "warn",
    },
    stdout: "ignore",
    stderr: "pipe",
  },
});
