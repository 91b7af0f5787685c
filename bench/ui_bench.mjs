// The web UI benchmark (bench/ui_bench.sh): Debian's Chromium driven by playwright-core
// against a real `charchive serve` over CARDS generated cards.
//   node ui_bench.mjs PLAYWRIGHT_CORE_DIR BASE TOKEN CARDS
// - first load of / (the login screen) in a fresh browser profile (cold: nothing cached)
//   and again in a profile that loaded it before (warm: index.html revalidated, the hashed
//   assets from the cache), 5 times each: the median time to the login form, and each
//   request's status and bytes (over the network, encoded, decoded);
// - the grid: time from a keystroke in the search box to the grid showing that search's
//   results (the box waits 250 ms after the last key before it asks), p50/p99 over 50
//   keystrokes, each waiting for the last one's results.
// Prints one line per measurement and one JSON line (`ui: {...}`).
import { launchChromium } from '../tests/ui/harness.mjs';

const [pwDir, BASE, TOKEN, CARDS] = process.argv.slice(2);
const browser = await launchChromium(pwDir);
const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

// Loads / in `page` and reports, from the page's Navigation and Resource Timing, the time
// to the login form and each request: its status (304: revalidated), its encoded and
// decoded body and the bytes that crossed the network (0: served from the cache).
async function load(page) {
  let acceptEncoding = '';
  page.once('request', async (r) => {
    acceptEncoding = (await r.allHeaders())['accept-encoding'];
  });
  await page.goto(BASE);
  await page.waitForSelector('#token');
  const ms = await page.evaluate(() => performance.now()); // since the navigation started
  await page.waitForLoadState('load');
  const requests = await page.evaluate(() => [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
    .map((e) => ({ url: new URL(e.name).pathname, status: e.responseStatus, network_bytes: e.transferSize,
                   encoded_bytes: e.encodedBodySize, decoded_bytes: e.decodedBodySize })));
  return { ms: Math.round(ms), bytes: requests.reduce((n, r) => n + r.network_bytes, 0), requests, acceptEncoding };
}

try {
  // Each 5 times: cold in a fresh profile each time, warm in one profile that loaded / before.
  const median = (runs) => ({ ...runs[runs.length - 1], ms: percentile(runs.map((r) => r.ms), 0.5), all_ms: runs.map((r) => r.ms) });
  const coldRuns = [];
  for (let i = 0; i < 5; i++) {
    const fresh = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    coldRuns.push(await load(await fresh.newPage()));
    await fresh.close();
  }
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await load(await context.newPage());
  const warmRuns = [];
  for (let i = 0; i < 5; i++) warmRuns.push(await load(await context.newPage()));
  const cold = median(coldRuns);
  const warm = median(warmRuns);

  // ---- Keystroke to grid update.
  const page = await context.newPage();
  await page.goto(BASE);
  await page.fill('#token', TOKEN);
  await page.click('button[type=submit]');
  await page.waitForSelector('.card-tile');
  await page.fill('.search', 'w1');
  await page.waitForFunction(() => document.querySelector('.total')?.textContent !== 'Loading…' && new URLSearchParams(location.search).get('q') === 'w1');
  // The moment the results of a new search are on screen: the count stops saying
  // "Loading…" (it and the tiles change in one render).
  await page.evaluate(() => {
    window.__updates = [];
    new MutationObserver(() => {
      const text = document.querySelector('.total')?.textContent;
      if (text && text !== 'Loading…') window.__updates.push({ at: performance.now(), text, q: new URLSearchParams(location.search).get('q') });
    }).observe(document.querySelector('.chips'), { subtree: true, childList: true, characterData: true });
  });
  const times = [];
  for (let k = 0; k < 50; k++) {
    const key = k % 2 === 0 ? String((k / 2) % 10) : 'Backspace';
    const expect = k % 2 === 0 ? `w1${(k / 2) % 10}` : 'w1';
    const pressedAt = await page.evaluate(() => {
      window.__updates = [];
      return performance.now();
    });
    await page.keyboard.press(key);
    await page.waitForFunction((q) => window.__updates.some((u) => u.q === q), expect, { timeout: 30000 });
    const update = await page.evaluate((q) => window.__updates.find((u) => u.q === q), expect);
    times.push(update.at - pressedAt);
  }

  const result = {
    cards: Number(CARDS),
    cold_load_ms: cold.ms, cold_load_all_ms: cold.all_ms, cold_bytes: cold.bytes, cold_requests: cold.requests,
    warm_load_ms: warm.ms, warm_load_all_ms: warm.all_ms, warm_bytes: warm.bytes, warm_requests: warm.requests,
    keystroke_p50_ms: Math.round(percentile(times, 0.5)), keystroke_p99_ms: Math.round(percentile(times, 0.99)),
    keystroke_min_ms: Math.round(Math.min(...times)), debounce_ms: 250, accept_encoding: cold.acceptEncoding,
  };
  const kb = (b) => `${(b / 1024).toFixed(1)} KiB`;
  const list = (rs) => rs.map((r) => `${r.url} ${r.status}, ${kb(r.network_bytes)} over the network, ` +
    `${kb(r.encoded_bytes)} encoded, ${kb(r.decoded_bytes)} decoded`).join('; ');
  console.log(`ui: Chromium sent Accept-Encoding: ${cold.acceptEncoding}`);
  console.log(`ui: first load of / cold: login form at ${cold.ms} ms (median of ${cold.all_ms.join(', ')}), ${kb(cold.bytes)} over the network (${list(cold.requests)})`);
  console.log(`ui: first load of / warm: login form at ${warm.ms} ms (median of ${warm.all_ms.join(', ')}), ${kb(warm.bytes)} over the network (${list(warm.requests)})`);
  console.log(`ui: keystroke to grid update at ${Number(CARDS).toLocaleString('en-US')} cards: p50 ${result.keystroke_p50_ms} ms, ` +
    `p99 ${result.keystroke_p99_ms} ms, min ${result.keystroke_min_ms} ms (50 keystrokes; 250 ms of it is the search box's wait)`);
  console.log(`ui: ${JSON.stringify(result)}`);
} finally {
  await browser.close();
}
