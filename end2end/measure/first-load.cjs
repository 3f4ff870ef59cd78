// A phone's first load, and its second, of the pages residents open most:
// requests and bytes on the wire, as Chromium counts them (headers and the
// encoded bodies). Usage: node measure/first-load.cjs http://127.0.0.1:3000
// (scripts/first-load.sh starts the release build and calls this).
const { chromium, devices } = require("@playwright/test");

const base = process.argv[2] ?? "http://127.0.0.1:3000";
const pages = ["/", "/nominees", "/results"];

async function load(context, path) {
  const page = await context.newPage();
  const seen = [];
  page.on("requestfinished", async (request) => {
    const sizes = await request.sizes();
    seen.push({
      url: request.url().replace(base, ""),
      // Nothing on the wire for what the browser's cache answered.
      bytes: sizes.responseHeadersSize + sizes.responseBodySize,
    });
  });
  await page.goto(base + path, { waitUntil: "load" });
  // A page with the live results is loaded when its island follows the
  // stream (the stream itself never finishes, so it is not counted).
  const live = page.locator('[data-testid="live-status"]');
  if ((await live.count()) > 0) {
    await live.and(page.locator('[data-following="live"]')).waitFor();
  }
  await page.close();
  return seen;
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu"],
  });
  console.log("| page | first load: requests | first load: bytes | again: requests | again: bytes | files |");
  console.log("|---|---:|---:|---:|---:|---|");
  for (const path of pages) {
    // A fresh phone each page: nothing cached before the first load.
    const context = await browser.newContext({ ...devices["Pixel 5"], locale: "zh-CN" });
    const first = await load(context, path);
    // Only what went over the network the second time.
    const again = (await load(context, path)).filter((r) => r.bytes > 0);
    const sum = (list) => list.reduce((n, r) => n + r.bytes, 0);
    const files = first.map((r) => r.url.replace(/\?.*$/, "")).join(", ");
    console.log(`| \`${path}\` | ${first.length} | ${sum(first)} | ${again.length} | ${sum(again)} | ${files} |`);
    await context.close();
  }
  await browser.close();
})();
