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

test("while voting: the QR beside the ranking, a countdown, and no reveal of a running count", async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  // The panel on the operator's laptop.
  const operator = await browser.newContext({ baseURL, viewport: { width: 1366, height: 768 }, locale: "zh-CN" });
  const panel = await operator.newPage();
  await signIn(panel, baseURL!);
  await panel.goto("/console/screen");
  await press(panel, "hidden");

  const hall = await browser.newContext({ baseURL, viewport: { width: 1920, height: 1080 }, locale: "zh-CN" });
  const wall = await hall.newPage();
  await wall.goto("/screen");
  await expect(wall.getByTestId("wall")).toHaveAttribute("data-mode", "hidden");
  await expect(wall.getByTestId("wall-counting")).toBeVisible();

  // Live while voting: the QR code beside the ten rows, never over them,
  // and the time left to vote; on a 1280 × 720 projector too.
  await press(panel, "live");
  await expect(wall.getByTestId("wall-row")).toHaveCount(10);
  await expect(wall.getByTestId("wall-countdown")).toContainText("距投票截止");
  // Who holds the award, and the ceremony's day, at the wall's foot, below the ten.
  await expect(wall.getByTestId("wall-hosts")).toContainText("主办");
  const foot = (await wall.getByTestId("wall-hosts").boundingBox())!;
  const tenth = (await wall.getByTestId("wall-row").nth(9).boundingBox())!;
  expect(foot.y).toBeGreaterThanOrEqual(tenth.y + tenth.height);
  expect(foot.y + foot.height).toBeLessThanOrEqual(1080);
  for (const size of [{ width: 1920, height: 1080 }, { width: 1280, height: 720 }]) {
    await wall.setViewportSize(size);
    const qr = (await wall.getByTestId("wall-qr").boundingBox())!;
    for (let i = 0; i < 10; i++) {
      const row = wall.getByTestId("wall-row").nth(i);
      await expect(row).toBeInViewport({ ratio: 1 });
      const box = (await row.boundingBox())!;
      expect(box.x + box.width <= qr.x || box.y + box.height <= qr.y).toBe(true);
    }
  }
  await wall.setViewportSize({ width: 1920, height: 1080 });
  await press(panel, "hidden");
  await expect(wall.getByTestId("wall")).toHaveAttribute("data-mode", "hidden");

  // Hiding the wall does not hide the phones' page: the panel says so.
  await expect(panel.getByTestId("public-counts-warning")).toBeVisible();
  // The wall reveals only a decided count, and the panel says why before anyone presses.
  await expect(panel.getByTestId("reveal-not-ready")).toContainText("冻结");
  await press(panel, "reveal");
  await expect(panel.getByTestId("screen-outcome")).toContainText("已冻结的计票结果");
  await expect(wall.getByTestId("wall")).toHaveAttribute("data-mode", "hidden");

  // The phone results page, for the README.
  const phone = await browser.newContext({ baseURL, viewport: { width: 390, height: 844 }, locale: "zh-CN", isMobile: true, hasTouch: true });
  const results = await phone.newPage();
  await results.goto("/results");
  await expect(results.getByTestId("results-formula")).toBeVisible();
  await expect(results.getByTestId("live-status")).toHaveClass(/on/);
  fs.mkdirSync(shots, { recursive: true });
  await results.screenshot({ path: path.join(shots, "results-390x844.png"), fullPage: false });
});

test("the operator reveals the ten winners one by one, 10th first, and cannot spoil it", async ({ browser }) => {
  test.setTimeout(180_000);
  // The count published for notice: the ranking is decided, the lots drawn.
  const port = freePort(3500);
  const base = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "alleyvote-reveal-"));
  const server = startServer(port, dataDir, { ALLEYVOTE_DEMO_STAGE: "notice" });
  try {
    await healthy(base);
    const operator = await browser.newContext({ baseURL: base, viewport: { width: 1366, height: 768 }, locale: "zh-CN" });
    const panel = await operator.newPage();
    await signIn(panel, base);
    await panel.goto("/console/screen");
    await press(panel, "hidden");
    await expect(panel.getByTestId("reveal-not-ready")).toHaveCount(0);

    const hall = await browser.newContext({ baseURL: base, viewport: { width: 1920, height: 1080 }, locale: "zh-CN" });
    const wall = await hall.newPage();
    await wall.goto("/screen");
    await expect(wall.getByTestId("wall")).toHaveAttribute("data-mode", "hidden");

    const winners = await ranking(panel, base);
    await press(panel, "reveal");
    await expect(wall.getByTestId("wall")).toHaveAttribute("data-mode", "reveal");
    await expect(wall.getByTestId("wall-row")).toHaveCount(0);
    const order: string[] = [];
    for (let k = 1; k <= 10; k++) {
      // The panel previews who comes next; the wall does not know yet.
      await expect(panel.getByTestId("panel-next")).toContainText(`（${winners[10 - k].padStart(3, "0")} 号）`);
      await expect(panel.getByTestId("panel-keys")).toHaveAttribute("data-keys", "true");
      // The next button is on the laptop's first screen.
      await expect(panel.locator("#press-next")).toBeInViewport();
      if (k === 4) {
        // 实时排名 mid-reveal would show the whole top ten: it asks first.
        await press(panel, "live");
        await expect(panel.getByTestId("confirm-switch")).toBeVisible();
        await expect(wall.getByTestId("wall-row")).toHaveCount(3);
        await panel.getByRole("link", { name: "不切换，继续揭晓" }).click();
        await expect(panel.getByTestId("panel-revealed")).toContainText("已揭晓 3 / 10");
        // Paused, the clicker does nothing.
        await expect(panel.getByTestId("panel-keys")).toHaveAttribute("data-keys", "true");
        await panel.getByTestId("keys-pause").click();
        await expect(panel.getByTestId("panel-keys")).toHaveAttribute("data-keys", "paused");
        await panel.keyboard.press("ArrowRight");
        await expect(panel.getByTestId("panel-revealed")).toContainText("已揭晓 3 / 10");
        await expect(wall.getByTestId("wall-row")).toHaveCount(3);
        await panel.getByTestId("keys-pause").click();
      }
      await panel.keyboard.press("ArrowRight");
      await expect(panel.getByTestId("panel-revealed")).toContainText(`已揭晓 ${k} / 10`);
      await expect(wall.getByTestId("wall-row")).toHaveCount(k);
      // Each place has its moment: a card over the whole wall, 1st place the finale.
      const card = wall.getByTestId("reveal-card");
      await expect(card).toHaveAttribute("data-rank", String(11 - k));
      await expect(card).toBeVisible();
      const top = wall.getByTestId("wall-row").first();
      await expect(top).toHaveAttribute("data-number", winners[10 - k]);
      order.push((await top.getAttribute("data-number"))!);
    }
    // 10th place first, 1st place last.
    expect(order).toEqual([...winners].reverse());
    fs.mkdirSync(shots, { recursive: true });
    await expect(wall.getByTestId("reveal-card")).toHaveClass(/finale/);
    // A line from the winner's profile, as the demo's stories begin.
    await expect(wall.getByTestId("reveal-line")).not.toBeEmpty();
    // The picture once the card has faded in fully, not halfway.
    await expect
      .poll(() => wall.getByTestId("reveal-card").evaluate((e) => getComputedStyle(e).opacity), { timeout: 8_000 })
      .toBe("1");
    await wall.screenshot({ path: path.join(shots, "screen-finale-1920x1080.png") });
    // The finale ends by itself; the ten stay.
    await expect(wall.getByTestId("reveal-card")).toBeHidden({ timeout: 15_000 });
    await wall.screenshot({ path: path.join(shots, "screen-1920x1080.png") });
    await panel.screenshot({ path: path.join(shots, "screen-panel-1366x768.png") });
  } finally {
    await stopped(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test("the wall reconnects after a server restart and resumes the reveal", async ({ browser }) => {
  test.setTimeout(180_000);
  const port = freePort(3300);
  const base = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "alleyvote-restart-"));
  // The count published for notice: a decided ranking the wall may reveal.
  const stage = { ALLEYVOTE_DEMO_STAGE: "notice" };
  let server = startServer(port, dataDir, stage);
  try {
    await healthy(base);
    const panel = await (await browser.newContext({ locale: "zh-CN", baseURL: base })).newPage();
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
    // It keeps what it showed, with a small marker that it is reconnecting.
    await expect(wall.getByTestId("wall-offline")).toBeVisible();
    await expect(wall.getByTestId("wall-row")).toHaveCount(3);
    server = startServer(port, dataDir, stage);
    await healthy(base);
    // The wall comes back by itself, at the state it was in.
    await expect(wall.getByTestId("wall")).toHaveAttribute("data-connected", "true", { timeout: 45_000 });
    await expect(wall.getByTestId("wall-offline")).toHaveCount(0);
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
