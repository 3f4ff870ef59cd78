import { expect, Page, test } from "@playwright/test";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { freePort, healthy, startServer, stopped } from "./own-server";

// The ceremony on a 1920 × 1080 wall: the operator runs the staged reveal
// from the panel (keyboard), the wall shows the 10th place first and the
// 1st last; the wall survives a server restart and resumes the reveal where
// it was. Screenshots of the wall and of the phone results page go to
// end2end/screenshots/ (ignored by git, so a test run leaves the tree
// clean); scripts/screenshots.sh points ALLEYVOTE_SHOTS at docs/screenshots/
// to refresh the ones the README shows.

const shots = path.resolve(process.env.ALLEYVOTE_SHOTS ?? path.join(__dirname, "../screenshots"));

async function signIn(page: Page, base: string) {
  await page.goto(`${base}/console/login`);
  await page.getByTestId("console-username").fill("admin");
  await page.getByTestId("console-password").fill("alleyvote-demo");
  await page.getByTestId("console-login-submit").click();
  await expect(page.getByTestId("console-who")).toBeVisible();
}

/// The winners' numbers in ranking order, as the API publishes them.
async function ranking(page: Page, base: string): Promise<string[]> {
  const response = await page.request.get(`${base}/api/v1/campaigns/yangpu-2026/results`);
  const results = await response.json();
  return results.entries.slice(0, 10).map((e: { number: number }) => String(e.number));
}

async function press(panel: Page, command: string) {
  await panel.getByTestId(`press-${command}`).first().click();
  await expect(panel.getByTestId("screen-panel")).toBeVisible();
}

test("the operator reveals the ten winners one by one, 10th first", async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const operator = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 }, locale: "zh-CN" });
  const panel = await operator.newPage();
  await signIn(panel, baseURL!);
  await panel.goto("/console/screen");
  await press(panel, "hidden");

  const hall = await browser.newContext({ baseURL, viewport: { width: 1920, height: 1080 }, locale: "zh-CN" });
  const wall = await hall.newPage();
  await wall.goto("/screen");
  await expect(wall.getByTestId("wall")).toHaveAttribute("data-mode", "hidden");
  await expect(wall.getByTestId("wall-counting")).toBeVisible();

  const winners = await ranking(panel, baseURL!);
  await press(panel, "reveal");
  await expect(wall.getByTestId("wall")).toHaveAttribute("data-mode", "reveal");
  await expect(wall.getByTestId("wall-row")).toHaveCount(0);
  const order: string[] = [];
  for (let k = 1; k <= 10; k++) {
    // The panel previews who comes next; the wall does not know yet.
    await expect(panel.getByTestId("panel-next")).toContainText(`（${winners[10 - k].padStart(3, "0")} 号）`);
    await expect(panel.getByTestId("panel-keys")).toHaveAttribute("data-keys", "true");
    await panel.keyboard.press("ArrowRight");
    await expect(panel.getByTestId("panel-revealed")).toContainText(`已揭晓 ${k} / 10`);
    await expect(wall.getByTestId("wall-row")).toHaveCount(k);
    const top = wall.getByTestId("wall-row").first();
    await expect(top).toHaveAttribute("data-number", winners[10 - k]);
    order.push((await top.getAttribute("data-number"))!);
  }
  // 10th place first, 1st place last.
  expect(order).toEqual([...winners].reverse());
  fs.mkdirSync(shots, { recursive: true });
  await wall.screenshot({ path: path.join(shots, "screen-1920x1080.png") });

  // The phone results page, for the README.
  const phone = await browser.newContext({ baseURL, viewport: { width: 390, height: 844 }, locale: "zh-CN", isMobile: true, hasTouch: true });
  const results = await phone.newPage();
  await results.goto("/results");
  await expect(results.getByTestId("results-formula")).toBeVisible();
  await expect(results.getByTestId("live-status")).toHaveClass(/on/);
  await results.screenshot({ path: path.join(shots, "results-390x844.png"), fullPage: false });
  await press(panel, "hidden");
});

test("the wall reconnects after a server restart and resumes the reveal", async ({ browser }) => {
  test.setTimeout(180_000);
  const port = freePort(3300);
  const base = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "alleyvote-restart-"));
  let server = startServer(port, dataDir);
  try {
    await healthy(base);
    const panel = await (await browser.newContext({ locale: "zh-CN" })).newPage();
    await signIn(panel, base);
    await panel.goto(`${base}/console/screen`);
    await press(panel, "reveal");
    for (let k = 0; k < 3; k++) await press(panel, "next");
    await expect(panel.getByTestId("panel-revealed")).toContainText("已揭晓 3 / 10");

    const wall = await (await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: "zh-CN" })).newPage();
    await wall.goto(`${base}/screen`);
    await expect(wall.getByTestId("wall-row")).toHaveCount(3);
    await expect(wall.getByTestId("wall")).toHaveAttribute("data-connected", "true");

    await stopped(server);
    await expect(wall.getByTestId("wall")).toHaveAttribute("data-connected", "false");
    server = startServer(port, dataDir);
    await healthy(base);
    // The wall comes back by itself, at the state it was in.
    await expect(wall.getByTestId("wall")).toHaveAttribute("data-connected", "true", { timeout: 45_000 });
    await expect(wall.getByTestId("wall-row")).toHaveCount(3);
    // And follows the next press.
    const winners = await ranking(panel, base);
    await panel.goto(`${base}/console/screen`);
    await press(panel, "next");
    await expect(wall.getByTestId("wall-row")).toHaveCount(4);
    await expect(wall.getByTestId("wall-row").first()).toHaveAttribute("data-number", winners[6]);
  } finally {
    await stopped(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
