import { expect, test } from "@playwright/test";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { freePort, healthy, startServer, stopped } from "./own-server";

// The public notice on a phone, with and without JavaScript: the counts of
// objections, why stations are missing, signing in to object, someone
// else's phone number refused as contact in a sentence and one's own taken
// (to be texted the answer), and the resident's own objection listed.

test("a resident objects to the published results", async ({ page }, info) => {
  test.setTimeout(120_000);
  const port = freePort(info.project.name === "phone-js" ? 3600 : 3800);
  const base = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "alleyvote-notice-"));
  const server = startServer(port, dataDir, { ALLEYVOTE_DEMO_STAGE: "notice" });
  try {
    await healthy(base);
    await page.goto(`${base}/results`);
    // On notice: the banner first, the ten marked elected, a line after the tenth.
    await expect(page.getByTestId("notice-banner")).toContainText("结果公示中");
    await expect(page.getByTestId("elected")).toHaveCount(10);
    await expect(page.getByTestId("winners-line")).toContainText("以上 10 位当选");
    await expect(page.getByTestId("live-status")).toContainText("公示结果");
    // The stations' count says what it means: 1 of 6 reported in the demo.
    await expect(page.getByTestId("stations-progress")).toContainText("其余投票点的纸质选票还未计入总票数");
    // Published without five stations: the administrator's reason, at the top.
    await expect(page.getByTestId("unreported-reason")).toContainText("5 个投票点未报告");
    await expect(page.getByTestId("unreported-reason")).toContainText("两人核对中");
    await expect(page.getByTestId("results-state")).toHaveAttribute("data-state", "notice");
    await expect(page.getByTestId("objection-counts")).toContainText("已收到异议 2 条，已答复 1 条");

    // Signing in first, and back to the objections.
    await page.getByRole("link", { name: "登录后提出异议" }).click();
    const phone = info.project.name === "phone-js" ? "13600000021" : "13600000022";
    const masked = `${phone.slice(0, 3)}****${phone.slice(7)}`;
    await page.getByTestId("phone-input").fill(phone);
    await page.getByTestId("phone-submit").click();
    await expect(page.getByTestId("code-form")).toContainText(masked);
    const outbox = fs.readFileSync(path.join(dataDir, "sms-outbox.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const code = outbox.filter((m) => m.to === masked).pop().code;
    await page.getByTestId("code-input").fill(code);
    await page.getByTestId("code-submit").click();
    await expect(page.getByTestId("objection-form")).toBeVisible();

    const reason = "第二投票点的有效票数与公示的数字对不上，请核实。";
    const form = page.getByTestId("objection-form");
    await form.locator('textarea[name="reason"]').fill(reason);
    // Someone else's number is refused in a sentence; one's own is the contact.
    await form.locator('input[name="contact"]').fill("138 1234 5678");
    await form.getByRole("button").click();
    await expect(page.getByTestId("objection-outcome")).toContainText("只能填写您登录用的手机号");

    await page.getByTestId("objection-form").locator('textarea[name="reason"]').fill(reason);
    await page.getByTestId("objection-form").locator('input[name="contact"]').fill(phone);
    // The nominee is picked by number and name (with the place), not typed as a number.
    const pick = page.getByTestId("objection-nominee");
    const third = (await pick.locator("option").filter({ hasText: "003 " }).textContent())!;
    await pick.selectOption({ label: third });
    const name = third.split(" ")[1].split("（")[0];
    await page.getByTestId("objection-form").getByRole("button").click();
    await expect(page.getByTestId("objection-outcome")).toContainText("异议已提交");
    await expect(page.getByTestId("my-objection").filter({ hasText: reason })).toContainText(`003 ${name}`);
    await expect(page.getByTestId("my-objection").filter({ hasText: reason })).toContainText(`答复后将短信通知 ${masked}`);
    await expect(page.getByTestId("objection-counts")).toContainText("已收到异议 3 条");
    await page.goto(`${base}/results/notice`);
    await expect(page.getByTestId("printable-notice")).toBeVisible();
    // The notice for the community boards: thirty nominees on one A4 page.
    await expect(page.getByTestId("notice-row")).toHaveCount(30);
    await page.emulateMedia({ media: "print" });
    const pdf = (await page.pdf({ format: "A4" })).toString("latin1");
    expect(pdf.match(/\/Type\s*\/Page\b/g) ?? []).toHaveLength(1);
  } finally {
    await stopped(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
