import { Browser, expect, Page, test } from "@playwright/test";
import * as fs from "fs";
import * as path from "path";

// Pictures go to end2end/screenshots/ (ignored); scripts/screenshots.sh sends them to docs/.
const shots = path.resolve(process.env.ALLEYVOTE_SHOTS ?? path.join(__dirname, "../screenshots"));

// Paper ballots at a tablet (768 × 1024), with and without JavaScript: two
// operators key one sheet with one typo, the coordinator resolves it, and
// the public results show the paper count.

const TOTALS: [string, string][] = [
  ["received", "500"],
  ["unused", "180"],
  ["spoiled", "8"],
  ["in_box", "312"],
  ["valid", "300"],
  ["invalid", "8"],
  ["blank", "4"],
];

async function signIn(browser: Browser, username: string): Promise<Page> {
  const context = await browser.newContext({
    baseURL: test.info().project.use.baseURL,
    viewport: { width: 768, height: 1024 },
    javaScriptEnabled: test.info().project.name === "tablet-js",
    locale: "zh-CN",
  });
  const page = await context.newPage();
  await page.goto("/console/login");
  await page.getByTestId("console-username").fill(username);
  await page.getByTestId("console-password").fill("alleyvote-demo");
  await page.getByTestId("console-login-submit").click();
  await expect(page.getByTestId("console-who")).toBeVisible();
  return page;
}

/// Keys a whole sheet: the totals, then `first` marks for nominee 1 and 0 for the rest.
async function keySheet(page: Page, sheetUrl: string, first: string) {
  await page.goto(sheetUrl);
  const form = page.getByTestId("entry-form");
  await expect(form).toBeVisible();
  for (const [name, value] of TOTALS) {
    await form.locator(`input[name="${name}"]`).fill(value);
  }
  const marks = form.locator('input[name^="mark_"]');
  const count = await marks.count();
  for (let i = 0; i < count; i++) {
    const name = await marks.nth(i).getAttribute("name");
    await marks.nth(i).fill(name === "mark_1" ? first : "0");
  }
  await page.getByTestId("entry-finish").click();
}

// A real (tiny) PNG, as the photo of a signed sheet.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

async function paperOf(page: Page, number: number): Promise<number> {
  const response = await page.request.get("/api/v1/campaigns/yangpu-2026/results");
  const results = await response.json();
  const entry = results.entries.find((e: { number: number }) => e.number === number);
  return entry.paper as number;
}

test("two operators key a sheet with a typo, the coordinator resolves it, the results count it", async ({ browser }) => {
  test.setTimeout(120_000);
  const js = test.info().project.name === "tablet-js";
  const label = js ? "第2天（JS）" : "第2天（无JS）";
  // Each run keys its own numbers: the same numbers as a counted sheet
  // would (rightly) ask the operator to check the paper first.
  const right = js ? "123" : "124";
  const typo = js ? "132" : "142";

  // The coordinator adds a sheet to the first station.
  const admin = await signIn(browser, "admin");
  await admin.goto("/console/paper");
  await expect(admin.getByTestId("stations-reported")).toContainText("/ 6");
  // Each station is set up on its own page: place, operators, stock, sheets.
  await admin.getByTestId("board-station").first().getByTestId("station-setup-link").click();
  await expect(admin.getByTestId("station-operators-form")).toBeVisible();
  await expect(admin.getByTestId("stock-history")).toBeVisible();
  await admin.getByTestId("new-sheet-form").locator('input[name="label"]').fill(label);
  await admin.getByTestId("new-sheet-form").locator("button").click();
  await expect(admin.getByTestId("console-outcome")).toContainText("已保存");
  const link = admin.getByTestId("station-sheets").getByRole("link", { name: label });
  const sheetUrl = (await link.getAttribute("href"))!;
  if (js) {
    fs.mkdirSync(shots, { recursive: true });
    await admin.screenshot({ path: path.join(shots, "station-setup-768x1024.png"), fullPage: true });
    // The blank sheet to fill in at the station: the entry form's order, one A4 page.
    const print = await admin.context().newPage();
    await print.goto(`${sheetUrl}/print`);
    const rows = print.getByTestId("print-sheet").locator("tr[data-field]");
    await expect(rows.first()).toHaveAttribute("data-field", "received");
    await expect(rows.nth(7)).toHaveAttribute("data-field", "mark_1");
    await print.emulateMedia({ media: "print" });
    const pdf = (await print.pdf({ format: "A4" })).toString("latin1");
    expect(pdf.match(/\/Type\s*\/Page\b/g) ?? []).toHaveLength(1);
    await print.close();
  }
  const before = await paperOf(admin, 1);

  // The first operator keys it; with JavaScript, Enter moves on and the
  // checks follow the typing.
  const first = await signIn(browser, "luru1");
  if (js) {
    await first.goto(sheetUrl);
    const received = first.locator('input[name="received"]');
    await received.fill("500");
    await received.press("Enter");
    await expect(first.locator('input[name="unused"]')).toBeFocused();
    await first.locator('input[name="in_box"]').fill("299");
    await expect(first.getByTestId("sheet-sums")).toContainText("投票箱内 299");
    await first.locator('input[name="mark_1"]').fill("12a");
    await expect(first.locator('input[name="mark_1"]')).toHaveAttribute("aria-invalid", "true");
    // Named once, at the field and in the summary, in the same words.
    await expect(first.getByTestId("sheet-findings")).toContainText("请只填写数字");
    await expect(first.getByTestId("sheet-findings")).not.toContainText("请填写1 号");
    // What was typed is on the server before the operator moves on.
    await expect(first.getByTestId("entry-autosave")).toHaveAttribute("data-state", "saved");
  }
  await keySheet(first, sheetUrl, right);
  await expect(first.getByTestId("sheet-notice")).toHaveAttribute("data-notice", "first_done");

  // The second operator sees nothing of it, and swaps two digits.
  const second = await signIn(browser, "luru2");
  await second.goto(sheetUrl);
  await expect(second.getByTestId("entry-form")).toHaveAttribute("data-round", "2");
  await expect(second.locator('input[name="mark_1"]')).toHaveValue("");
  // The second entry is the last word: it waits for the photo of the signed sheet.
  await expect(second.getByTestId("photo-first")).toBeVisible();
  await keySheet(second, sheetUrl, typo);
  await expect(second.getByTestId("sheet-notice")).toHaveAttribute("data-notice", "photo_needed");
  await expect(second.locator('input[name="mark_1"]')).toHaveValue(typo);
  const upload = second.getByTestId("sheet-photo-form");
  await upload.locator('input[type="file"]').setInputFiles({ name: "sheet.png", mimeType: "image/png", buffer: PNG });
  await upload.locator("button").click();
  await expect(second.getByTestId("sheet-notice")).toHaveAttribute("data-notice", "photo_saved");
  await expect(second.getByTestId("sheet-photo")).toBeVisible();
  await keySheet(second, sheetUrl, typo);
  await expect(second.getByTestId("sheet-notice")).toHaveAttribute("data-notice", "different");

  // The coordinator sees both, the one difference marked, and keeps the first.
  await admin.goto(sheetUrl);
  const view = admin.getByTestId("resolve-view");
  await expect(view.locator('tr[data-differs="true"]')).toHaveCount(1);
  await expect(view.locator('tr[data-differs="true"]')).toContainText(right);
  await admin.getByTestId("keep-first").click();
  await expect(admin.getByTestId("sheet-notice")).toHaveAttribute("data-notice", "resolved");

  // The public results count it on the paper channel.
  await expect.poll(() => paperOf(admin, 1)).toBe(before + Number(right));
  await admin.goto("/results");
  await expect(admin.getByTestId("stations-progress")).toBeVisible();
});

test("typed numbers are never lost: not to a tap away, a lost network or a closed tab", async ({ browser }) => {
  test.setTimeout(120_000);
  const js = test.info().project.name === "tablet-js";
  const label = js ? "第3天（JS）" : "第3天（无JS）";
  const admin = await signIn(browser, "admin");
  await admin.goto("/console/paper");
  await admin.getByTestId("board-station").first().getByTestId("station-setup-link").click();
  await admin.getByTestId("new-sheet-form").locator('input[name="label"]').fill(label);
  await admin.getByTestId("new-sheet-form").locator("button").click();
  const sheetUrl = (await admin.getByTestId("station-sheets").getByRole("link", { name: label }).getAttribute("href"))!;

  const page = await signIn(browser, "luru1");
  await page.goto(sheetUrl);
  // A workplace: no residents' tabs to tap away, the first field ready.
  await expect(page.getByTestId("public-tabs")).toHaveCount(0);
  await expect(page.locator('input[name="received"]')).toBeFocused();

  if (!js) {
    // Enter before any script runs saves a draft and comes back at the next empty field.
    await page.keyboard.type("500");
    await page.locator('input[name="unused"]').fill("180");
    await page.locator('input[name="spoiled"]').fill("8");
    await page.locator('input[name="spoiled"]').press("Enter");
    await expect(page).toHaveURL(/notice=saved$/);
    await expect(page.locator('input[name="in_box"]')).toBeFocused();
    await expect(page.locator('input[name="spoiled"]')).toHaveValue("8");
    return;
  }

  // Typed numbers go to the server as a draft while typing.
  await page.keyboard.type("500");
  await page.keyboard.press("Enter");
  await page.keyboard.type("180");
  const autosave = page.getByTestId("entry-autosave");
  await expect(autosave).toHaveAttribute("data-state", "saved");

  // A tap away with numbers the server does not have yet asks first.
  await page.locator('input[name="spoiled"]').pressSequentially("8");
  const asked: string[] = [];
  page.once("dialog", async (dialog) => {
    asked.push(dialog.type());
    await dialog.dismiss();
  });
  await page.getByRole("link", { name: "后台首页" }).click();
  await expect.poll(() => asked).toEqual(["beforeunload"]);
  await expect(page).toHaveURL(new RegExp(`${sheetUrl}$`));
  await expect(autosave).toHaveAttribute("data-state", "saved");

  // The network goes: the numbers stay on the tablet, and it says so.
  await page.context().setOffline(true);
  await page.locator('input[name="in_box"]').pressSequentially("312");
  await expect(autosave).toHaveAttribute("data-state", "offline");
  await expect(autosave).toContainText("已暂存在本机");
  // The tab is closed anyway; opened again with the network back, they return and are saved.
  await page.close({ runBeforeUnload: false });
  const context = page.context();
  await context.setOffline(false);
  const again = await context.newPage();
  await again.goto(sheetUrl);
  await expect(again.locator('input[name="in_box"]')).toHaveValue("312");
  await expect(again.getByTestId("entry-autosave")).toHaveAttribute("data-state", "saved");
  // Now the server has them: a fresh look (nothing kept on the tablet) shows them too.
  await again.evaluate(() => window.localStorage.clear());
  await again.reload();
  await expect(again.locator('input[name="in_box"]')).toHaveValue("312");
  await expect(again.locator('input[name="spoiled"]')).toHaveValue("8");
  await again.screenshot({ path: path.join(shots, "operator-sheet-768x1024.png") });
});
