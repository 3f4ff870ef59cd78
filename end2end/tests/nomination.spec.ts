import { expect, test } from "@playwright/test";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { freePort, healthy, startServer, stopped } from "./own-server";

// A real (tiny) PNG, as a nominator's photo.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

// Nominations on a phone, with and without JavaScript: the counts per street
// for everyone, signing in to nominate, the form, "my nominations" right
// after; then a reviewer declines it in the console with a reason, and the
// resident sees the decision and the reason.

test("a resident nominates and later sees the decision", async ({ page, browser }, info) => {
  test.setTimeout(120_000);
  const js = info.project.name === "phone-js";
  const port = freePort(js ? 4000 : 4200);
  const base = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "alleyvote-nomination-"));
  const server = startServer(port, dataDir, { ALLEYVOTE_DEMO_STAGE: "nomination" });
  try {
    await healthy(base);
    await page.goto(`${base}/`);
    await page.getByTestId("cta-nominate").click();
    await expect(page).toHaveURL(/\/nominate$/);
    await expect(page.getByTestId("nominate-state")).toContainText("推荐进行中");
    // The demo's seven, counted per street; no names.
    await expect(page.getByTestId("nominations-total")).toHaveText("7");

    await page.getByTestId("nominate-sign-in").click();
    // The sign-in page is named for what the resident came to do.
    await expect(page.getByTestId("login-heading")).toHaveText("登录后推荐");
    await expect(page).toHaveTitle(/登录后推荐/);
    const phone = js ? "13600000031" : "13600000032";
    const masked = `${phone.slice(0, 3)}****${phone.slice(7)}`;
    await page.getByTestId("phone-input").fill(phone);
    await page.getByTestId("phone-submit").click();
    await expect(page.getByTestId("code-form")).toContainText(masked);
    const outbox = fs.readFileSync(path.join(dataDir, "sms-outbox.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    await page.getByTestId("code-input").fill(outbox.filter((m) => m.to === masked).pop().code);
    await page.getByTestId("code-submit").click();
    await expect(page).toHaveURL(/\/nominate\?signed_in=1$/);

    const name = js ? "王秀兰" : "孙桂芳";
    const form = page.getByTestId("nominate-form");
    // Nothing wider than the phone: the page does not scroll sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    // Each choice has its circle on the left and its words beside it, on one row.
    const choice = form.locator("label.choice").first();
    const circle = (await choice.locator('input[type="radio"]').boundingBox())!;
    const row = (await choice.boundingBox())!;
    expect(circle.width).toBeLessThan(40);
    expect(circle.x - row.x).toBeLessThan(30);
    expect(row.height).toBeLessThan(80);
    await form.locator('select[name="community"]').selectOption({ index: 1 });
    if (js) {
      // While typing: the demo's 张伟 and 张玮 in that community.
      await form.locator('input[name="name"]').fill("张伟");
      await expect(page.getByTestId("similar-live-list")).toContainText("张伟（同名）");
      await expect(page.getByTestId("similar-live-list")).toContainText("张玮（读音相近）");
      // Right under the name, not a screen further down.
      const typed = (await form.locator('input[name="name"]').boundingBox())!;
      const hint = (await page.getByTestId("similar-live-list").boundingBox())!;
      expect(hint.y - (typed.y + typed.height)).toBeLessThan(60);
    }
    await form.locator('input[name="name"]').fill(name);
    await form.getByLabel("楼组长").check();
    await form.locator('input[name="years"]').fill("6");
    const story = "六年来每天清晨打扫楼道，帮楼里的老人代买药品，谁家水管坏了她第一个上门。";
    await form.locator('textarea[name="story"]').fill(story);
    if (js) {
      // The count as typed, and the photo before sending.
      await expect(page.getByTestId("story-count")).toContainText(`已写 ${[...story].length} 字`);
      await form.getByTestId("photo").setInputFiles({ name: "photo.png", mimeType: "image/png", buffer: PNG });
      await expect(page.getByTestId("photo-preview")).toBeVisible();
    } else {
      await expect(page.getByTestId("story-count")).toContainText("30 到 800 字");
    }
    await form.getByLabel("邻居").check();
    // The nominee's mobile: the consent text goes there.
    const nominee = js ? "13900000041" : "13900000042";
    await form.locator('input[name="nominee_phone"]').fill(nominee);
    await page.getByTestId("nominate-submit").click();
    await expect(page).toHaveURL(/\/my\/nominations/);
    await expect(page.getByTestId("mine-outcome")).toContainText("推荐已提交");
    const mine = page.getByTestId("my-nomination").filter({ hasText: name });
    await expect(mine.getByTestId("my-nomination-state")).toHaveText("已提交，等待审核");

    // The nominee's text: signed like the sign-in code, a short link, the
    // organisers' number; the page asks twice before a decline and, opened
    // again, says what was answered.
    const texts = fs.readFileSync(path.join(dataDir, "sms-outbox.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const consentText: string = texts.filter((m) => m.to === `${nominee.slice(0, 3)}****${nominee.slice(7)}`).pop().text;
    expect(consentText.startsWith("【十佳小巷总理】")).toBe(true);
    expect(texts.filter((m) => m.to === masked).pop().text.startsWith("【十佳小巷总理】")).toBe(true);
    expect(consentText).toContain("021-5555 0100");
    const link = consentText.match(/https?:\/\/\S+\/consent\/([0-9A-Z]{10})/)!;
    expect(link).not.toBeNull();
    const nomineePhone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, javaScriptEnabled: js, locale: "zh-CN" });
    const asked = await nomineePhone.newPage();
    await asked.goto(`${base}/consent/${link[1]}`);
    await expect(asked.getByTestId("consent-hotline")).toContainText("021-5555 0100");
    await asked.getByTestId("consent-decline").click();
    await expect(asked.getByTestId("consent-confirm-decline")).toContainText("您确定要婉拒推荐吗");
    await asked.getByRole("link", { name: "返回，不婉拒" }).click();
    await asked.getByTestId("consent-agree").click();
    await expect(asked.getByTestId("consent-outcome")).toContainText("您已同意被推荐");
    await asked.goto(`${base}/consent/${link[1]}`);
    await expect(asked.getByTestId("consent-used")).toContainText("同意被推荐");
    if (js) await asked.screenshot({ path: path.resolve(process.env.ALLEYVOTE_SHOTS ?? path.join(__dirname, "../screenshots"), "consent-390x844.png") });
    await nomineePhone.close();

    // The demo reviewer declines it, with a reason the resident will read.
    const console = await browser.newContext({ javaScriptEnabled: js, locale: "zh-CN" });
    const desk = await console.newPage();
    await desk.goto(`${base}/console/nominations`);
    await desk.getByTestId("console-username").fill("shenhe");
    await desk.getByTestId("console-password").fill("alleyvote-demo");
    await desk.getByTestId("console-login-submit").click();
    await expect(desk.getByTestId("queue")).toBeVisible();
    await desk.getByTestId("queue-row").filter({ hasText: name }).getByTestId("queue-open").click();
    const decline = desk.getByTestId("ineligible-form");
    await decline.locator('select[name="reason"]').selectOption("too_short_service");
    await decline.locator('textarea[name="note"]').fill("本次评选要求任职满八年。");
    await decline.getByRole("button").click();
    await expect(desk.getByTestId("review-done")).toContainText("已记录");
    await expect(desk.getByTestId("review-state")).toHaveAttribute("data-state", "ineligible");
    await console.close();

    await page.goto(`${base}/my/nominations`);
    const decided = page.getByTestId("my-nomination").filter({ hasText: name });
    await expect(decided.getByTestId("my-nomination-state")).toHaveText("未通过资格审核");
    await expect(decided.getByTestId("my-nomination-reason")).toContainText("服务年限不足");
    await expect(decided.getByTestId("my-nomination-reason")).toContainText("任职满八年");

    // A look-alike of the demo's 张伟: offered until answered, with what
    // tells them apart; "someone else" keeps hers and ends the offer.
    await page.goto(`${base}/nominate`);
    const again = page.getByTestId("nominate-form");
    await again.locator('select[name="community"]').selectOption({ index: 1 });
    await again.locator('input[name="name"]').fill("张伟");
    await again.getByLabel("志愿者").check();
    await again.locator('input[name="years"]').fill("3");
    await again.locator('textarea[name="story"]').fill("张伟是小区的志愿者，三年来每个周末带着孩子们清理绿地，还组织了旧物交换集市。");
    await again.getByLabel("邻居").check();
    await page.getByTestId("nominate-submit").click();
    await expect(page).toHaveURL(/\/my\/nominations/);
    await page.goto(`${base}/my/nominations`);
    const offer = page.getByTestId("similar-box");
    await expect(offer).toBeVisible();
    await expect(offer.getByTestId("similar-about").first()).toContainText("任职 12 年");
    await offer.getByTestId("keep-mine").click();
    await expect(page.getByTestId("mine-outcome")).toContainText("保留您的推荐");
    await expect(page.getByTestId("similar-box")).toHaveCount(0);
  } finally {
    await stopped(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
