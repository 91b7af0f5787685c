// Browser tests of the trash (issue 18): Debian's Chromium driven by playwright-core
// against a real `charchive serve`. Run by tests/ui_trash_test.sh:
//   node trash.mjs PLAYWRIGHT_CORE_DIR BASE TOKEN SCREENSHOTS
// Delete on a card moves it to the trash (out of the grid, the search and the
// statistics) with an Undo toast that brings it back; the bulk bar's Delete does
// the same for the selection; the Trash view lists trashed cards with Restore,
// and Empty trash asks first (Cancel keeps them), then deletes them for good.
// Each step is checked in the API too. Screenshots at 1280×800 and 390×844.
import fs from 'node:fs';
import path from 'node:path';
import { apiAt, pngCard, checks, launchChromium, pageErrorsOf, screenshotsOf } from './harness.mjs';

const [pwDir, BASE, TOKEN, SHOTS] = process.argv.slice(2);
fs.mkdirSync(SHOTS, { recursive: true });
const { check, crashed, finish } = checks();
const api = apiAt(BASE, TOKEN);
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

const ids = {};
for (const name of ['Ash', 'Elm', 'Oak', 'Yew']) {
  const form = new FormData();
  form.append('file', new Blob([pngCard(name, `${name} of the woods.`)]), `${name}.png`);
  const imported = await (await fetch(`${BASE}/api/cards`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` }, body: form })).json();
  ids[name] = imported.results[0].id;
}
const listed = async (q = '') => (await api('GET', `/api/cards?q=${q}`)).total;
const trashed = async () => (await api('GET', '/api/trash')).items.map((c) => c.id).sort((a, b) => a - b);
const tiles = () => page.$$eval('.card-tile', (ts) => ts.map((t) => Number(t.dataset.cardId)).sort((a, b) => a - b));
const tileCount = (n) => page.waitForFunction((k) => document.querySelectorAll('.card-tile').length === k, n);

const browser = await launchChromium(pwDir);
const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
page.setDefaultTimeout(15000);
const pageErrors = pageErrorsOf(page);
const shots = screenshotsOf(page, SHOTS);

try {
  await page.goto(BASE);
  await page.fill('#token', TOKEN);
  await page.click('button[type=submit]');
  await tileCount(4);

  // ---- One card: Delete, then Undo.
  await page.click(`.card-tile[data-card-id="${ids.Ash}"]`);
  await page.waitForSelector('.card-modal .card-title');
  await page.click('.card-modal button.delete');
  await page.waitForSelector('.undo-toast');
  await tileCount(3);
  check('Delete closes the card, the grid loses it, and a toast offers Undo',
    !(await page.$('.card-modal')) && (await page.textContent('.undo-toast')).includes('“Ash”') && !(await tiles()).includes(ids.Ash));
  check('the card is in the trash, out of lists, search and statistics, with its versions',
    same(await trashed(), [ids.Ash]) && (await listed()) === 3 && (await listed('Ash')) === 0 &&
    (await api('GET', '/api/stats')).cards === 3 && (await api('GET', `/api/cards/${ids.Ash}/versions`)).versions.length === 1);
  await shots('trash-undo-toast');
  await page.click('.undo-toast .undo');
  await tileCount(4);
  check('Undo brings it back into the grid and the search, and the toast goes',
    (await tiles()).includes(ids.Ash) && (await listed('Ash')) === 1 && same(await trashed(), []) && !(await page.$('.undo-toast')));

  // ---- The bulk bar: Delete the selection.
  await page.click(`.card-tile[data-card-id="${ids.Elm}"]`, { modifiers: ['Control'] });
  await page.click(`.card-tile[data-card-id="${ids.Oak}"]`, { modifiers: ['Control'] });
  await page.click('.bulk-bar .bulk-delete');
  await page.waitForSelector('.undo-toast');
  await tileCount(2);
  check('the bulk Delete trashes the selected cards only and clears the selection',
    same(await trashed(), [ids.Elm, ids.Oak].sort((a, b) => a - b)) && same(await tiles(), [ids.Ash, ids.Yew].sort((a, b) => a - b)) &&
    !(await page.$('.bulk-bar')) && (await page.textContent('.undo-toast')).includes('2 cards'));

  // ---- The Trash view: Restore one, Empty trash behind a confirmation.
  await page.click('.trash-button');
  await page.waitForSelector('.trash-page .trash-card');
  const inView = await page.$$eval('.trash-card', (cs) => cs.map((c) => Number(c.dataset.card)).sort((a, b) => a - b));
  check('the Trash view lists the trashed cards with their names',
    same(inView, [ids.Elm, ids.Oak].sort((a, b) => a - b)) && (await page.textContent('.trash-page')).includes('Elm') &&
    (await page.textContent('.trash-count')).includes('2 cards'));
  await shots('trash');
  await page.click(`.trash-card[data-card="${ids.Elm}"] .restore`);
  await page.waitForFunction(() => document.querySelectorAll('.trash-card').length === 1);
  check('Restore takes the card out of the trash, back into the archive',
    same(await trashed(), [ids.Oak]) && (await listed('Elm')) === 1 && (await page.textContent('.trash-notice')).includes('Elm'));
  await page.click('.trash-page .empty-trash');
  await page.waitForSelector('.confirm-dialog');
  check('Empty trash asks first, saying it cannot be undone', (await page.textContent('.confirm-dialog')).includes('cannot be undone'));
  await shots('trash-empty-confirm');
  await page.click('.confirm-dialog .cancel');
  await page.waitForFunction(() => !document.querySelector('.confirm-dialog'));
  check('Cancel keeps the trash as it was', same(await trashed(), [ids.Oak]) &&
    (await fetch(`${BASE}/api/cards/${ids.Oak}`, { headers: { Authorization: `Bearer ${TOKEN}` } })).status === 200);
  await page.click('.trash-page .empty-trash');
  await page.click('.confirm-dialog .confirm');
  await page.waitForSelector('.trash-page .state-empty');
  check('confirming deletes the trashed card for good; the others stay',
    (await fetch(`${BASE}/api/cards/${ids.Oak}`, { headers: { Authorization: `Bearer ${TOKEN}` } })).status === 404 &&
    same(await trashed(), []) && (await listed()) === 3);
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('.trash-page'));
  await tileCount(3);
  check('the grid shows the restored card after the Trash view closes', (await tiles()).includes(ids.Elm));
  check('no script errors on the page', pageErrors.length === 0, pageErrors.join('; '));
} catch (e) {
  crashed(e);
  await page.screenshot({ path: path.join(SHOTS, 'trash-failure.png') }).catch(() => {});
} finally {
  await browser.close();
}
finish();
