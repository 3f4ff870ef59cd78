import { expect, test } from "@playwright/test";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { castVote } from "./own-server";

// A real (tiny) PNG, as an organizer's photo.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

test("an organizer signs in, adds a nominee with a photo, and residents see it", async ({ page }, info) => {
  // One number per project: each adds its own nominee.
  const number = info.project.name === "phone-js" ? "41" : "42";
  const name = info.project.name === "phone-js" ? "测试阿姨" : "测试叔叔";
  const photo = path.join(os.tmpdir(), `alleyvote-e2e-photo-${number}.png`);
  fs.writeFileSync(photo, PNG);

  // The console needs a session: it sends us to sign in first.
  await page.goto("/console/nominees");
  await expect(page).toHaveURL(/\/console\/login/);
  await page.getByTestId("console-username").fill("admin");
  await page.getByTestId("console-password").fill("wrong password!");
  await page.getByTestId("console-login-submit").click();
  await expect(page.getByTestId("console-login-problem")).toContainText("用户名或密码不正确");

  await page.getByTestId("console-username").fill("admin");
  await page.getByTestId("console-password").fill("alleyvote-demo");
  await page.getByTestId("console-login-submit").click();
  await expect(page.getByTestId("console-who")).toContainText("管理员");

  await page.goto("/console/nominees");
  const form = page.getByTestId("new-nominee");
  await form.getByTestId("nominee-number").fill(number);
  await form.getByTestId("nominee-name").fill(name);
  // The last community (another test counts the first street's nominees).
  const communities = form.getByTestId("nominee-community").locator("option");
  await form.getByTestId("nominee-community").selectOption({ index: (await communities.count()) - 1 });
  await form.getByTestId("nominee-story").fill("热心肠，**二十年**如一日。\n<script>alert(1)</script>");
  await form.getByTestId("nominee-photo").setInputFiles(photo);
  await form.getByTestId("nominee-save").click();
  await expect(page.getByTestId("console-outcome")).toContainText("候选人已添加");
  await expect(page.getByTestId(`admin-nominee-${number}`)).toContainText(name);

  // Residents find the nominee on the public list, with the photo.
  await page.goto(`/nominees?q=${number}`);
  const card = page.getByTestId("nominee-card");
  await expect(card).toContainText(name);
  const img = card.locator("img");
  await expect(img).toHaveAttribute("src", /\/photos\/\d+\/card\.jpg/);
  const src = await img.getAttribute("src");
  const response = await page.request.get(src!);
  expect(response.headers()["content-type"]).toBe("image/jpeg");

  // The story's markup is text, its emphasis bold.
  await page.goto(`/nominees/${number}`);
  await expect(page.locator(".story strong")).toHaveText("二十年");
  await expect(page.locator(".story")).toContainText("<script>alert(1)</script>");
});

test("the console's first page is the week at a glance, on a laptop", async ({ browser }, info) => {
  const js = info.project.name === "phone-js";
  const context = await browser.newContext({
    baseURL: info.project.use.baseURL,
    viewport: { width: 1366, height: 768 },
    javaScriptEnabled: js,
    locale: "zh-CN",
  });
  const page = await context.newPage();
  await page.goto("/console/login");
  await page.getByTestId("console-username").fill("admin");
  await page.getByTestId("console-password").fill("alleyvote-demo");
  await page.getByTestId("console-login-submit").click();
  await expect(page).toHaveURL(/\/console$/);

  const dashboard = page.getByTestId("dashboard");
  await expect(dashboard).toBeVisible();
  // The phase and the next, today's votes against yesterday's, the chart.
  await expect(page.getByTestId("dash-phase")).toContainText("当前阶段：投票进行中");
  await expect(page.getByTestId("dash-today")).toContainText("今天已收到");
  await expect(page.getByTestId("hourly-chart")).toBeVisible();
  // The demo's stations: some still to report, a sheet waiting for a coordinator.
  await expect(page.getByTestId("dash-stations")).toContainText("投票点已报告");
  await expect(page.getByTestId("dash-sheets").getByRole("link").first()).toBeVisible();
  // The sign-in texts the gateway could not deliver today: none in the demo.
  await expect(page.getByTestId("dash-sms")).toHaveAttribute("data-failed", "0");
  await expect(page.getByTestId("dash-sms")).toContainText("短信验证码发送失败 0 次");
  // A workplace of its own: no residents' tabs, the menu a column beside the work.
  await expect(page.getByTestId("public-tabs")).toHaveCount(0);
  const menu = (await page.locator("nav.console-nav").boundingBox())!;
  const work = (await dashboard.boundingBox())!;
  expect(menu.x + menu.width).toBeLessThanOrEqual(work.x);
  await expect(page.locator('nav.console-nav a[aria-current="page"]')).toHaveText("后台首页");
  if (js) {
    const shots = path.resolve(process.env.ALLEYVOTE_SHOTS ?? path.join(__dirname, "../screenshots"));
    fs.mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, "console-dashboard-1366x768.png") });
    // Left open, it reads itself again without a reload: a new vote shows.
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    const before = Number(await page.getByTestId("dash-today").getAttribute("data-today"));
    await castVote(info.project.use.baseURL!, process.env.E2E_DATA_DIR!, "13900007701", 5);
    await expect(page.getByTestId("dash-refresh")).toHaveAttribute("data-live", "true");
    await page.getByTestId("dash-refresh-now").click();
    await expect(page.getByTestId("dash-refresh")).toHaveAttribute("data-updated", "true");
    await expect(page.getByTestId("dash-today")).toHaveAttribute("data-today", String(before + 1));
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  } else {
    // Without a script the browser reloads it every minute.
    await expect(page.locator('meta[http-equiv="refresh"]')).toHaveCount(1);
  }

  // The audit log reads in words, filtered by kind.
  await page.goto("/console/audit?action=organizer.");
  await expect(page.getByTestId("audit-sentence").filter({ hasText: "admin 登录了管理后台" }).first()).toBeVisible();
  await context.close();
});
