import { expect, test } from "@playwright/test";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { freePort, healthy, startServer, stopped } from "./own-server";

// The demo reviewer at a laptop (1366×768), with and without JavaScript,
// on the demo's nominations: the queue opens on what waits, two new ones
// without a look-alike are found eligible in one go, 张伟 and 张玮 are read
// side by side before a merge (then undone), and "通过并下一条" moves on by
// itself.

const shots = path.resolve(process.env.ALLEYVOTE_SHOTS ?? path.join(__dirname, "../screenshots"));

test("a reviewer clears the queue from what waits", async ({ browser }, info) => {
  test.setTimeout(120_000);
  const js = info.project.name === "phone-js";
  const port = freePort(js ? 4400 : 4600);
  const base = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "alleyvote-review-"));
  const server = startServer(port, dataDir, { ALLEYVOTE_DEMO_STAGE: "nomination" });
  const laptop = await browser.newContext({ viewport: { width: 1366, height: 768 }, javaScriptEnabled: js, locale: "zh-CN" });
  const page = await laptop.newPage();
  let loads = 0;
  page.on("load", () => (loads += 1));
  try {
    await healthy(base);
    await page.goto(`${base}/console/nominations`);
    await page.getByTestId("console-username").fill("shenhe");
    await page.getByTestId("console-password").fill("alleyvote-demo");
    await page.getByTestId("console-login-submit").click();
    // What waits, and only that: 陈建华's question is the committee's to answer.
    await expect(page.getByTestId("queue-tab-waiting")).toContainText("待处理（5）");
    await expect(page.getByTestId("queue-row")).toHaveCount(5);
    await expect(page.getByTestId("queue")).not.toContainText("陈建华");
    await expect(page.getByTestId("queue-opening").first()).not.toBeEmpty();
    if (js) {
      fs.mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: path.join(shots, "review-queue-1366x768.png") });
    }

    // The two without a look-alike, ticked and found eligible at once.
    await expect(page.getByTestId("queue-pick")).toHaveCount(2);
    for (const pick of await page.getByTestId("queue-pick").all()) await pick.check();
    await page.getByTestId("queue-bulk-eligible").click();
    await expect(page.getByTestId("queue-bulk-done")).toContainText("已将 2 条标为资格审核通过");
    await expect(page.getByTestId("queue-tab-waiting")).toContainText("待处理（3）");

    // A name search.
    await page.getByTestId("queue-search").fill("伟");
    await page.getByTestId("queue-filter").getByRole("button", { name: "查找" }).click();
    await expect(page.getByTestId("queue-row")).toHaveCount(1);

    // 张伟 and 张玮: side by side, both stories whole, before any merge.
    await page.goto(`${base}/console/nominations`);
    const zhangRow = page.getByTestId("queue-row").filter({ has: page.getByTestId("queue-open").getByText("张玮", { exact: true }) });
    await zhangRow.getByTestId("queue-compare").click();
    await expect(page.getByTestId("compare-left")).toContainText("张玮");
    await expect(page.getByTestId("compare-right")).toContainText("张伟");
    const left = (await page.getByTestId("compare-left").boundingBox())!;
    const right = (await page.getByTestId("compare-right").boundingBox())!;
    expect(right.x).toBeGreaterThan(left.x + left.width - 1);
    expect(Math.abs(right.y - left.y)).toBeLessThan(2);
    if (js) await page.screenshot({ path: path.join(shots, "review-compare-1366x768.png"), fullPage: true });
    await page.getByTestId("compare-keep-right").click();
    await expect(page.getByTestId("review-done")).toContainText("已合并");
    await expect(page.getByTestId("review-name")).toHaveText("张伟");
    await expect(page.getByTestId("review-merged-story")).toContainText("加装电梯");
    // And undone, while 张伟 is still open: 张玮 stands again.
    await page.getByTestId("review-unmerge").click();
    await expect(page.getByTestId("review-done")).toContainText("已撤销合并");
    await expect(page.getByTestId("review-name")).toHaveText("张玮");
    await expect(page.getByTestId("review-state")).toHaveAttribute("data-state", "submitted");

    // One decision, and on to the next waiting one by itself: two page loads.
    await page.goto(`${base}/console/nominations`);
    await page.getByTestId("queue-row").first().getByTestId("queue-open").click();
    const first = await page.getByTestId("review-name").textContent();
    const before = loads;
    await page.getByTestId("decide-eligible-next").click();
    await expect(page.getByTestId("review-done").or(page.getByTestId("queue-done"))).toBeVisible();
    expect(loads - before).toBe(1);
    if (await page.getByTestId("review-name").count()) {
      await expect(page.getByTestId("review-name")).not.toHaveText(first!);
    }
  } finally {
    await laptop.close();
    await stopped(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
