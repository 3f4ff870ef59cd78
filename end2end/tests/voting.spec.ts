import { expect, test } from "@playwright/test";
import * as fs from "fs";
import * as path from "path";

// Pictures go to end2end/screenshots/ (ignored); scripts/screenshots.sh sends them to docs/.
const shots = path.resolve(process.env.ALLEYVOTE_SHOTS ?? path.join(__dirname, "../screenshots"));

// The `log` SMS sender appends each message to the outbox: that is our phone.
function latestCode(masked: string): string {
  const outbox = path.join(process.env.E2E_DATA_DIR!, "sms-outbox.jsonl");
  const lines = fs.readFileSync(outbox, "utf8").trim().split("\n").map((l) => JSON.parse(l));
  const mine = lines.filter((m) => m.to === masked);
  expect(mine.length).toBeGreaterThan(0);
  return mine[mine.length - 1].code;
}

async function signIn(page: import("@playwright/test").Page, phone: string) {
  const masked = `${phone.slice(0, 3)}****${phone.slice(7)}`;
  await page.getByTestId("phone-input").fill(phone);
  await page.getByTestId("phone-submit").click();
  await expect(page.getByTestId("code-form")).toContainText(masked);
  return masked;
}

test("a resident signs in with a text-message code and votes", async ({ page }, info) => {
  // One number per project: each signs in afresh.
  const phone = info.project.name === "phone-js" ? "13600000011" : "13600000012";

  await page.goto("/nominees/7");
  const name = (await page.getByTestId("profile-name").textContent())!.trim();
  await page.getByTestId("vote-button").click();
  await expect(page).toHaveURL(/\/login\?next=/);

  const masked = await signIn(page, phone);
  await page.getByTestId("code-input").fill("000000" === latestCode(masked) ? "111111" : "000000");
  await page.getByTestId("code-submit").click();
  await expect(page.getByTestId("login-problem")).toContainText("验证码不正确");

  // Signing in keeps the vote she asked for: the nominee, named, and one button.
  await page.getByTestId("code-input").fill(latestCode(masked));
  await page.getByTestId("code-submit").click();
  await expect(page).toHaveURL(/\/nominees\/7\?confirm=1/);
  await expect(page.getByTestId("confirm-who")).toHaveText(`007 号 ${name}`);
  await expect(page.getByTestId("signed-in")).toHaveCount(0);
  await expect(page.getByTestId("vote-button")).toHaveCount(0);
  await page.getByTestId("confirm-vote-button").click();

  await expect(page.getByTestId("vote-ok")).toContainText(`您已为 007 号 ${name} 投出一票，今天还可以投 9 票`);
  await expect(page.getByTestId("voted-tag")).toHaveText("✓ 今天已投");
  // One vote a nominee a day: no button that could only be refused.
  await expect(page.getByTestId("vote-button")).toHaveCount(0);

  // Voting from the list comes back to the same card, marked.
  await page.goto("/nominees?q=8");
  await expect(page.getByTestId("votes-left")).toHaveText("您今天还可以投 9 票。");
  await page.getByTestId("vote-button").click();
  await expect(page).toHaveURL(/\/nominees\?street=&q=8&voted=8&left=8#nominee-008$/);
  await expect(page.getByTestId("vote-ok")).toContainText("今天还可以投 8 票");
  await expect(page.locator("#nominee-008").getByTestId("voted-tag")).toBeVisible();
  await expect(page.locator("#nominee-008").getByTestId("vote-button")).toHaveCount(0);
});

test("a vote tapped on the list before signing in is cast after it, back at the card", async ({ page }, info) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const phone = info.project.name === "phone-js" ? "13600000021" : "13600000022";

  await page.goto("/nominees");
  const card = page.locator("#nominee-005");
  const name = (await card.getByTestId("nominee-name").textContent())!.trim();
  await card.getByTestId("vote-button").click();
  const masked = await signIn(page, phone);
  await page.getByTestId("code-input").fill(latestCode(masked));
  await page.getByTestId("code-submit").click();

  await expect(page.getByTestId("confirm-who")).toHaveText(`005 号 ${name}`);
  // The one button is on the first screen of a phone.
  await expect(page.getByTestId("confirm-vote-button")).toBeInViewport();
  await page.getByTestId("confirm-vote-button").click();

  await expect(page).toHaveURL(/\/nominees\?voted=5&left=9#nominee-005$/);
  await expect(page.getByTestId("vote-ok")).toContainText(`005 号 ${name}`);
  await expect(page.locator("#nominee-005").getByTestId("voted-tag")).toBeInViewport();
  if (info.project.name === "phone-js") await page.screenshot({ path: path.join(shots, "resident-voted-390x844.png") });
});

test("the code step keeps the number in sight and offers a new code below the field", async ({ page }, info) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const phone = info.project.name === "phone-js" ? "13600000031" : "13600000032";
  await page.goto("/login?next=%2Fnominees");
  const masked = await signIn(page, phone);

  // The masked number, with a way to change it; the phone field is gone.
  await expect(page.getByTestId("sent-to")).toHaveText(masked);
  await expect(page.getByTestId("phone-form")).toHaveCount(0);
  const code = page.getByTestId("code-input");
  await expect(code).toHaveAttribute("autocomplete", "one-time-code");
  await expect(code).toHaveAttribute("inputmode", "numeric");

  // "Send a new code" stands below the code field, with the seconds to wait.
  const seconds = Number(await page.locator(".countdown").getAttribute("data-seconds"));
  expect(seconds).toBeGreaterThan(0);
  expect(seconds).toBeLessThanOrEqual(60);
  const field = (await code.boundingBox())!;
  const resend = (await page.getByTestId("resend").boundingBox())!;
  expect(resend.y).toBeGreaterThan(field.y + field.height);

  // Asking again too soon keeps the code step and the same number.
  await page.getByTestId("resend").click();
  await expect(page.getByTestId("sent-to")).toHaveText(masked);
  await expect(page.getByTestId("resend-wait")).toBeVisible();

  // Another number: back to the phone field, the vote's way back kept.
  await page.getByTestId("change-number").click();
  await expect(page).toHaveURL(/\/login\?next=%2Fnominees$/);
  await expect(page.getByTestId("phone-input")).toBeVisible();

  await page.goto(`/login?sent=1&to=${encodeURIComponent(masked)}&wait=60&next=%2Fnominees`);
  await page.getByTestId("code-input").fill(latestCode(masked));
  await page.getByTestId("code-submit").click();
  await expect(page).toHaveURL(/\/nominees\?signed_in=1$/);
  if (info.project.name === "phone-js") await page.screenshot({ path: path.join(shots, "resident-signed-in-390x844.png") });
});

test("the tabs mark the section a page is in", async ({ page }) => {
  await page.goto("/nominees/7");
  await expect(page.getByTestId("nav-nominees")).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("nav-home")).not.toHaveAttribute("aria-current", /.*/);
  await page.goto("/results");
  await expect(page.getByTestId("nav-results")).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("nav-nominees")).not.toHaveAttribute("aria-current", /.*/);
});

test("outside its phase, /nominate says when nominations closed instead of rows of zeros", async ({ page }) => {
  // The demo is voting: nominations are over.
  await page.goto("/nominate");
  await expect(page.getByTestId("nominate-state")).toContainText("推荐已于");
  await expect(page.getByTestId("nominate-state")).toContainText("现在：投票进行中");
  await expect(page.getByTestId("nominate-form")).toHaveCount(0);
  // The voting demo took no nominations: a sentence, not a row of zeros per street.
  await expect(page.getByTestId("nominations-total")).toHaveText("0");
  await expect(page.getByTestId("street-count")).toHaveCount(0);
});

test("大字 makes every page's text larger, and is remembered", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/nominees");
  const size = async () =>
    page.evaluate(() => parseFloat(getComputedStyle(document.querySelector("[data-testid=nominee-name]")!).fontSize));
  const before = await size();
  await page.getByTestId("text-size-switch").click();
  await expect(page).toHaveURL(/\/nominees$/);
  await expect(page.locator("html")).toHaveClass(/large-text/);
  expect(await size()).toBeGreaterThan(before * 1.2);
  // Remembered on the next page; the switch says how to go back.
  await page.goto("/results");
  await expect(page.locator("html")).toHaveClass(/large-text/);
  await expect(page.getByTestId("text-size-switch")).toHaveText("标准字");
  // Nothing spills sideways on a phone.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.getByTestId("text-size-switch").click();
  await expect(page.locator("html")).not.toHaveClass(/large-text/);
});

test("a profile shared in a chat shows who it is: title, description and a picture", async ({ page }) => {
  await page.goto("/nominees/7");
  const title = await page.locator('meta[property="og:title"]').getAttribute("content");
  expect(title).toContain("十佳小巷总理候选人");
  await expect(page.locator('meta[property="og:description"]')).toHaveAttribute("content", /编号 007/);
  // The demo's nominees have no photo: the picture is a card drawn with the number.
  const image = (await page.locator('meta[property="og:image"]').getAttribute("content"))!;
  expect(image).toMatch(/^http:\/\/.+\/nominees\/7\/card\.png$/);
  const response = await page.request.get(image);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("image/png");
  // A PNG of 1200 × 630: the size chat apps show.
  const png = await response.body();
  expect(png.readUInt32BE(16)).toBe(1200);
  expect(png.readUInt32BE(20)).toBe(630);
});
