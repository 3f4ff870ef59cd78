import { expect, test } from "@playwright/test";

// A resident's first visit: home → nominee list → a profile → live results.
// Runs once with JavaScript (the live results island hydrated)
// and once without (every page a plain server-rendered document).

test("a resident finds a nominee and the live results", async ({ page }, info) => {
  const withJs = info.project.name === "phone-js";

  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByTestId("campaign-title")).toContainText("十佳小巷总理");
  await expect(page.getByTestId("campaign-phase")).toHaveText("投票进行中");

  await page.getByTestId("cta-vote").click();
  await expect(page).toHaveURL(/\/nominees$/);
  // The demo's 30, and any an organizer added in an earlier test: the page says how many.
  const cards = await page.getByTestId("nominee-card").count();
  expect(cards).toBeGreaterThanOrEqual(30);
  await expect(page.getByTestId("nominee-count")).toContainText(String(cards));

  // Filter by street, then search by number: both plain GET forms.
  await page.getByTestId("street-filter").selectOption({ label: "定海路街道" });
  await page.getByTestId("search-submit").click();
  await expect(page).toHaveURL(/street=/);
  await expect(page.getByTestId("nominee-card")).toHaveCount(3);

  await page.goto("/nominees");
  await page.getByTestId("search-input").fill("12");
  await page.getByTestId("search-submit").click();
  await expect(page.getByTestId("nominee-card")).toHaveCount(1);
  await expect(page.getByTestId("nominee-number")).toHaveText("编号 012");

  await page.getByTestId("nominee-card").click();
  await expect(page).toHaveURL(/\/nominees\/12$/);
  await expect(page.getByTestId("profile-number")).toHaveText("编号 012");
  await expect(page.getByTestId("profile-story")).toContainText("事迹");
  const qr = page.getByTestId("profile-qr");
  await expect(qr).toBeVisible();
  expect(await qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

  await page.getByTestId("nav-results").click();
  await expect(page).toHaveURL(/\/results$/);
  await expect(page.getByTestId("result-row")).toHaveCount(cards);
  await expect(page.getByTestId("total-votes")).toHaveText(/^\d+$/);
  if (withJs) {
    // Hydrated: the page follows the live stream.
    await expect(page.getByTestId("live-status")).toHaveText("实时更新中");
  } else {
    await expect(page.getByTestId("live-status")).toHaveText("刷新页面查看最新结果");
  }
});

test("the language switch works and is remembered", async ({ page }) => {
  await page.goto("/nominees?q=1");
  await page.getByTestId("lang-switch").click();
  await expect(page).toHaveURL(/\/nominees\?q=1$/);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Nominees");
  await page.goto("/");
  await expect(page.getByTestId("campaign-phase")).toHaveText("Voting open");
  await page.getByTestId("lang-switch").click();
  await expect(page.getByTestId("campaign-phase")).toHaveText("投票进行中");
});

test("a missing nominee is a readable 404", async ({ page }) => {
  const response = await page.goto("/nominees/999");
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId("not-found")).toContainText("没有找到");
});
