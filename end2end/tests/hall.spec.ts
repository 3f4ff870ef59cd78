import { Browser, devices, expect, Page, test } from "@playwright/test";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { castVote, freePort, healthy, startServer, stopped } from "./own-server";

// The ceremony hall: hundreds of phones follow the live results through the
// venue Wi-Fi's one address (here: 127.0.0.1). Every one of them must see a
// new vote within seconds, including a phone the server refused a stream.

const SLUG = "yangpu-2026";

/// A results stream read the way a phone's EventSource reads it: the total
/// of the last snapshot it received.
class Viewer {
  total = -1;
  status = 0;
  private request: http.ClientRequest;

  constructor(base: string) {
    this.request = http.get(`${base}/api/v1/campaigns/${SLUG}/results/stream`, { agent: false }, (res) => {
      this.status = res.statusCode ?? 0;
      let buffered = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buffered += chunk;
        let end;
        while ((end = buffered.indexOf("\n\n")) >= 0) {
          const event = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const data = event.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5)).join("\n");
          if (data) this.total = JSON.parse(data).total_votes ?? -1;
        }
      });
    });
    this.request.on("error", () => {});
  }

  close() {
    this.request.destroy();
  }
}

async function totalNow(base: string): Promise<number> {
  const response = await fetch(`${base}/api/v1/campaigns/${SLUG}/results`);
  return (await response.json()).total_votes as number;
}

async function phoneAt(browser: Browser, base: string): Promise<Page> {
  const context = await browser.newContext({ ...devices["Pixel 5"], locale: "zh-CN", baseURL: base });
  const page = await context.newPage();
  await page.goto("/results");
  return page;
}

test("300 phones behind one address all see a new vote within 5 seconds", async ({ browser }) => {
  test.setTimeout(120_000);
  const base = test.info().project.use.baseURL!;
  const before = await totalNow(base);

  // Five phones in the browser, and 295 more reading the stream as theirs would.
  const pages: Page[] = [];
  for (let i = 0; i < 5; i++) {
    const page = await phoneAt(browser, base);
    await expect(page.getByTestId("live-status")).toHaveAttribute("data-following", "live");
    pages.push(page);
  }
  const viewers = Array.from({ length: 295 }, () => new Viewer(base));
  await expect.poll(() => viewers.filter((v) => v.total === before).length, { timeout: 30_000 }).toBe(295);
  expect(viewers.every((v) => v.status === 200)).toBe(true);

  await castVote(base, process.env.E2E_DATA_DIR!, "13600000301", 4);
  const voted = Date.now();
  for (const page of pages) {
    await expect(page.getByTestId("total-votes")).toHaveText(String(before + 1), { timeout: 5_000 });
  }
  await expect.poll(() => viewers.filter((v) => v.total === before + 1).length, { timeout: 5_000 }).toBe(295);
  const waited = Date.now() - voted;
  expect(waited).toBeLessThan(5_000);
  viewers.forEach((v) => v.close());
  await Promise.all(pages.map((p) => p.context().close()));
});

test("a phone refused a stream asks every few seconds, says so, and sees the vote", async ({ browser }) => {
  test.setTimeout(120_000);
  const port = freePort(3800);
  const base = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "alleyvote-hall-"));
  // A small cap, taken by two streams: the phone's is the one too many.
  const server = startServer(port, dataDir, { ALLEYVOTE_STREAMS_PER_ADDRESS: "2" });
  try {
    await healthy(base);
    const before = await totalNow(base);
    const others = [new Viewer(base), new Viewer(base)];
    await expect.poll(() => others.filter((v) => v.total === before).length).toBe(2);

    const revalidated: string[] = [];
    const page = await phoneAt(browser, base);
    page.on("request", (r) => {
      if (r.url().endsWith(`/api/v1/campaigns/${SLUG}/results`)) revalidated.push(r.headers()["if-none-match"] ?? "");
    });
    const status = page.getByTestId("live-status");
    await expect(status).toHaveAttribute("data-following", "polling");
    await expect(status).toHaveText("每 5 秒自动刷新");
    // Nothing changed: the next ask sends the tag it holds and gets 304.
    await page.waitForResponse((r) => r.url().endsWith(`/campaigns/${SLUG}/results`) && r.status() === 304, { timeout: 12_000 });
    expect(revalidated.some((tag) => tag.startsWith('"'))).toBe(true);

    await castVote(base, dataDir, "13600000302", 4);
    await expect(page.getByTestId("total-votes")).toHaveText(String(before + 1), { timeout: 7_000 });
    await expect(status).toHaveAttribute("data-following", "polling");
    others.forEach((v) => v.close());
    await page.context().close();
  } finally {
    await stopped(server);
  }
});
