// Browser tests of the grid at scale and on a phone (issue 18): Debian's Chromium driven by
// playwright-core against a real `charchive serve` over CARDS generated cards
// (bench/seed_archive). Run by tests/ui_grid_test.sh:
//   node grid.mjs PLAYWRIGHT_CORE_DIR BASE TOKEN SCREENSHOTS CARDS
// At 1280×800: the DOM holds a bounded number of tiles from the top of the grid to its end;
// the last card opens, has its URL and reopens after a reload; End, arrows, Space and Enter
// work on tiles fetched as they came into view. At 390×844 with touch: the filters are folded
// (the first card in the top half) and unfold; selection mode selects by tapping, with the
// bulk bar at the foot of the screen; the history table fits the width. Screenshots at both sizes.
import fs from 'node:fs';
import { apiAt, checks, launchChromium, pageErrorsOf } from './harness.mjs';

const [pwDir, BASE, TOKEN, SHOTS, CARDS] = process.argv.slice(2);
const N = Number(CARDS);
fs.mkdirSync(SHOTS, { recursive: true });
const { check, crashed, finish } = checks();
const api = apiAt(BASE, TOKEN);

// The order the grid shows (the default sort), from the API: the last two cards.
const lastPage = await api('GET', `/api/cards?page=${Math.ceil(N / 100)}&limit=100`);
const [beforeLast, last] = lastPage.items.slice(-2);

const browser = await launchChromium(pwDir);
const tiles = (page) => page.evaluate(() => document.querySelectorAll('.card-tile, .tile-placeholder').length);
const login = async (page) => {
  await page.goto(BASE);
  await page.fill('#token', TOKEN);
  await page.click('button[type=submit]');
  await page.waitForSelector('.card-tile');
};
const focusedIndex = (page) => page.evaluate(() => document.activeElement?.getAttribute('data-index'));

try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.setDefaultTimeout(20000);
  const pageErrors = pageErrorsOf(page);
  await login(page);
  check(`the grid counts all ${N.toLocaleString('en-US')} cards`,
    (await page.textContent('.total')) === `${N.toLocaleString('en-US')} cards`, await page.textContent('.total'));
  await page.screenshot({ path: `${SHOTS}/grid-large-1280x800.png` });

  // ---- Scrolling from the top to the end: tiles are drawn and fetched as rows come into view.
  let most = await tiles(page);
  for (let step = 1; step <= 20; step++) {
    await page.evaluate((f) => window.scrollTo(0, f * (document.documentElement.scrollHeight - window.innerHeight)), step / 20);
    await page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => r(true))));
    most = Math.max(most, await tiles(page));
  }
  await page.waitForSelector(`.card-tile[data-index="${N - 1}"]`);
  most = Math.max(most, await tiles(page));
  check(`the DOM holds at most 120 tiles from the top to the end (at most ${most})`, most <= 120, String(most));
  check('the last tile is the last card of the list', Number(await page.getAttribute(`[data-index="${N - 1}"]`, 'data-card-id')) === last.id);
  await page.screenshot({ path: `${SHOTS}/grid-large-end-1280x800.png` });

  // ---- A card at the end opens, with its own URL, and again after a reload.
  await page.click(`.card-tile[data-index="${N - 1}"]`);
  await page.waitForSelector('.card-modal .card-title');
  check('the last card opens', (await page.textContent('.card-modal .card-title')).includes(last.name));
  check('... at its own URL', page.url().endsWith(`#/cards/${last.id}`), page.url());
  await page.reload();
  await page.waitForSelector('.card-modal .card-title');
  check('... which reopens it after a reload', (await page.textContent('.card-modal .card-title')).includes(last.name));
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('.card-modal'));

  // ---- Keys: End fetches and focuses the last tile; arrows, Space, Enter; Home goes back.
  await page.evaluate(() => window.scrollTo(0, 0)); // the reload kept the scroll position
  await page.focus('.card-tile[data-index="0"]');
  await page.keyboard.press('End');
  await page.waitForFunction((i) => document.activeElement?.getAttribute('data-index') === String(i), N - 1);
  check('End focuses the last card', true);
  await page.keyboard.press('ArrowLeft');
  check('ArrowLeft focuses the card before it', (await focusedIndex(page)) === String(N - 2));
  // End may focus the last tiles while their page is still loading (a loaded machine); Space
  // selects a card, so wait until the focused tile holds one.
  await page.waitForSelector(`.card-tile[data-index="${N - 2}"]`);
  await page.keyboard.press(' ');
  await page.waitForSelector('.selection-count');
  check('Space selects it', (await page.textContent('.selection-count')) === '1 selected' &&
    (await page.getAttribute(`[data-index="${N - 2}"]`, 'aria-selected')) === 'true');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.card-modal .card-title');
  check('Enter opens it', (await page.textContent('.card-modal .card-title')).includes(beforeLast.name));
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('.card-modal'));
  await page.click('.bulk-bar >> text=Clear');
  await page.focus(`.card-tile[data-index="${N - 2}"]`);
  await page.keyboard.press('Home');
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-index') === '0');
  check('Home goes back to the first card', await page.evaluate(() => window.scrollY < 400), String(await page.evaluate(() => window.scrollY)));
  check('no script errors at 1280×800', pageErrors.length === 0, pageErrors.join('; '));

  // ---- A phone: 390×844, touch.
  const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true })).newPage();
  phone.setDefaultTimeout(20000);
  const phoneErrors = pageErrorsOf(phone);
  await login(phone);
  check('on a phone the filters are folded behind "Filters"', !(await phone.isVisible('input[aria-label=Creator]')) &&
    (await phone.getAttribute('.filters-toggle', 'aria-expanded')) === 'false');
  const firstTop = (await phone.locator('.card-tile').first().boundingBox()).y;
  check(`... so the first card starts in the top half of the screen (at ${Math.round(firstTop)} px of 844)`, firstTop < 422);
  const fits = () => phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
  check('... and the page is no wider than the screen', await fits());
  await phone.screenshot({ path: `${SHOTS}/grid-large-390x844.png` });
  await phone.tap('.filters-toggle');
  check('"Filters" unfolds them', await phone.isVisible('input[aria-label=Creator]') &&
    (await phone.getAttribute('.filters-toggle', 'aria-expanded')) === 'true' && await fits());
  await phone.screenshot({ path: `${SHOTS}/filters-open-390x844.png` });
  await phone.tap('.filters-toggle');

  await phone.tap('.select-mode');
  await phone.tap('.card-tile[data-index="0"]');
  await phone.tap('.card-tile[data-index="1"]');
  check('in selection mode a tap selects a card instead of opening it', !(await phone.$('.card-modal')) &&
    (await phone.textContent('.selection-count')) === '2 selected' &&
    (await phone.getAttribute('.card-tile[data-index="1"]', 'aria-selected')) === 'true');
  const bar = async () => (await phone.locator('.bulk-bar').boundingBox());
  let box = await bar();
  check('the bulk bar sits at the foot of the screen', box.y > 422 && box.y + box.height <= 845, JSON.stringify(box));
  await phone.screenshot({ path: `${SHOTS}/select-mode-390x844.png` });
  await phone.evaluate(() => window.scrollTo(0, 5000));
  await phone.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => r(true))));
  box = await bar();
  check('... and stays there while the grid scrolls', box.y > 422 && box.y + box.height <= 845, JSON.stringify(box));
  await phone.evaluate(() => window.scrollTo(0, 0));
  await phone.tap('.card-tile[data-index="0"]');
  check('a second tap unselects', (await phone.textContent('.selection-count')) === '1 selected');
  await phone.tap('.select-mode');
  await phone.tap('.card-tile[data-index="2"]');
  await phone.waitForSelector('.card-modal .card-title');
  check('out of selection mode a tap opens the card', true);
  await phone.keyboard.press('Escape');
  await phone.waitForFunction(() => !document.querySelector('.card-modal'));

  // ---- The history table at phone width (a failed connection test is an event with a long message).
  await api('POST', '/api/federation/platforms/sillytavern', { base_url: 'http://127.0.0.1:9', enabled: true });
  await api('POST', '/api/federation/platforms/sillytavern/test');
  await phone.click('.topbar >> text=History');
  await phone.waitForSelector('.events tbody tr');
  const cut = await phone.evaluate(() => [...document.querySelectorAll('.events td')]
    .filter((td) => td.getBoundingClientRect().right > window.innerWidth + 1 || td.scrollWidth > td.clientWidth + 1)
    .map((td) => td.textContent));
  check('the history table fits a phone: no cell past the edge or cut off', cut.length === 0 && await fits(), JSON.stringify(cut));
  await phone.screenshot({ path: `${SHOTS}/history-390x844.png` });
  check('no script errors at 390×844', phoneErrors.length === 0, phoneErrors.join('; '));
} catch (e) {
  crashed(e);
} finally {
  await browser.close();
}
finish();
