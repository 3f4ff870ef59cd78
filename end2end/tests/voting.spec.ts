import { expect, test } from "@playwright/test";
import * as fs from "fs";
import * as path from "path";

// The `log` SMS sender appends each message to the outbox: that is our phone.
function latestCode(masked: string): string {
  const outbox = path.join(process.env.E2E_DATA_DIR!, "sms-outbox.jsonl");
  const lines = fs.readFileSync(outbox, "utf8").trim().split("\n").map((l) => JSON.parse(l));
  const mine = lines.filter((m) => m.to === masked);
  expect(mine.length).toBeGreaterThan(0);
  return mine[mine.length - 1].code;
}

test("a resident signs in with a text-message code and votes", async ({ page }, info) => {
  // One number per project: each signs in afresh.
  const phone = info.project.name === "phone-js" ? "13600000011" : "13600000012";
  const masked = `${phone.slice(0, 3)}****${phone.slice(7)}`;

  await page.goto("/nominees/7");
  await page.getByTestId("vote-button").click();
  await expect(page).toHaveURL(/\/login\?next=/);

  await page.getByTestId("phone-input").fill(phone);
  await page.getByTestId("phone-submit").click();
  await expect(page.getByTestId("code-form")).toContainText(masked);

  await page.getByTestId("code-input").fill("000000" === latestCode(masked) ? "111111" : "000000");
  await page.getByTestId("code-submit").click();
  await expect(page.getByTestId("login-problem")).toContainText("验证码不正确");

  await page.getByTestId("code-input").fill(latestCode(masked));
  await page.getByTestId("code-submit").click();
  await expect(page).toHaveURL(/\/nominees\/7\?signed_in=1$/);
  await expect(page.getByTestId("signed-in")).toBeVisible();

  await page.getByTestId("vote-button").click();
  await expect(page.getByTestId("vote-ok")).toContainText("今天还可以投 9 票");

  // The same nominee again today: refused, in a sentence.
  await page.getByTestId("vote-button").click();
  await expect(page.getByTestId("vote-refused")).toContainText("已经为这位候选人投过票");

  // Voting from the list works the same way and comes back to the list.
  await page.goto("/nominees?q=8");
  await expect(page.getByTestId("votes-left")).toHaveText("您今天还可以投 9 票。");
  await page.getByTestId("vote-button").click();
  await expect(page).toHaveURL(/\/nominees\?street=&q=8&voted=8&left=8$/);
  await expect(page.getByTestId("vote-ok")).toContainText("今天还可以投 8 票");
});
