// Browser tests of CardsHub in the web UI (issue 21): Debian's Chromium driven by
// playwright-core against a real `charchive serve` and the fake CardsHub. Run by
// tests/ui_cardshub_test.sh:
//   node cardshub.mjs PLAYWRIGHT_CORE_DIR BASE TOKEN HUB SCREENSHOTS
// The Federation modal's CardsHub panel (URL, username, password "leave blank to
// keep", Test, Save; a wrong password said so), then a card's Sync tab: the first
// push, the copy's slug, visibility, downloads and favorites as the hub has them,
// Visibility, a refused later push with CardsHub's message, "Publish as new card",
// and Unpublish behind its confirmation. After each step the fake's own state
// (GET /_control/cards) is checked. Screenshots at 1280×800 and 390×844.
import fs from 'node:fs';
import path from 'node:path';
import { apiAt, eventually, pngCard, checks, launchChromium, pageErrorsOf, screenshotsOf } from './harness.mjs';

const [pwDir, BASE, TOKEN, HUB, SHOTS] = process.argv.slice(2);
fs.mkdirSync(SHOTS, { recursive: true });
const { check, crashed, finish } = checks();
const api = apiAt(BASE, TOKEN);
const control = async (route, body) => {
  const res = await fetch(`${HUB}/_control/${route}`, {
    method: body === undefined ? 'GET' : 'POST', headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json();
};
const hubCards = () => control('cards');
const PASSWORD = 'pw-archivist-4711';
await control('users', { username: 'archivist', password: PASSWORD });

const form = new FormData();
form.append('file', new Blob([pngCard('Juniper', 'A cartographer of rivers.')]), 'Juniper.png');
const uploaded = await (await fetch(`${BASE}/api/cards`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` }, body: form })).json();
const cardId = uploaded.results[0].id;

const browser = await launchChromium(pwDir);
const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
page.setDefaultTimeout(15000);
const pageErrors = pageErrorsOf(page);
const shots = screenshotsOf(page, SHOTS);
const panel = '.federation-modal .platform-panel[data-platform=hub]';
const copy = '.sync-row[data-platform=hub] .cardshub-copy';
const text = (selector) => page.textContent(selector).then((t) => t.trim());
// The card's route, loaded afresh (a goto that changes only the hash would not reload).
const openSyncTab = async () => {
  await page.goto(`${BASE}/#/cards/${cardId}`);
  await page.reload();
  await page.waitForSelector('.card-modal .card-title');
  await page.click('.card-modal .tab >> text=Sync');
  await page.waitForSelector('.sync-row[data-platform=hub]');
};

try {
  await page.goto(BASE);
  await page.fill('#token', TOKEN);
  await page.click('button[type=submit]');
  await page.waitForSelector('.card-tile');

  // ---- The Federation modal's CardsHub panel.
  await page.click('.federation-button');
  await page.waitForSelector(panel);
  check('the CardsHub panel asks for a URL, a username and a password, and no auth kind',
    !!(await page.$(`${panel} input.base-url`)) && !!(await page.$(`${panel} input.username`)) &&
    (await page.getAttribute(`${panel} input.api-key`, 'type')) === 'password' && !(await page.$(`${panel} select:not(.hub-visibility)`)) &&
    (await text(`${panel} h3`)) === 'CardsHub');
  await page.check(`${panel} header input[type=checkbox]`);
  await page.fill(`${panel} input.base-url`, HUB);
  await page.fill(`${panel} input.username`, 'archivist');
  await page.fill(`${panel} input.api-key`, 'not-the-password');
  await page.selectOption(`${panel} select.hub-visibility`, 'unlisted');
  await page.click(`${panel} button.primary >> text=Save`);
  await page.waitForSelector(`${panel} .saved`);
  await page.click(`${panel} button >> text=Test Connection`);
  await page.waitForSelector(`${panel} .connection-status.status-error`);
  check('a wrong password: Test says CardsHub refused the login',
    (await text(`${panel} .connection-status`)).includes('refused the login'), await text(`${panel} .connection-status`));
  check('nothing is on the hub after a refused login', (await hubCards()).length === 0);

  await page.fill(`${panel} input.api-key`, PASSWORD);
  await page.click(`${panel} button.primary >> text=Save`);
  await page.waitForSelector(`${panel} .saved`);
  check('the password field is emptied after Save and says a blank one keeps it',
    (await page.inputValue(`${panel} input.api-key`)) === '' &&
    (await page.getAttribute(`${panel} input.api-key`, 'placeholder')) === 'Leave blank to keep');
  const saved = (await api('GET', '/api/federation/platforms')).platforms.find((p) => p.platform === 'hub');
  check('Save stores URL, username, login auth and first-push visibility; the password is never shown',
    saved.base_url === HUB && saved.username === 'archivist' && saved.auth_kind === 'login' && saved.enabled === 1 &&
    saved.options.visibility === 'unlisted' && !JSON.stringify(saved).includes(PASSWORD), JSON.stringify(saved));
  await page.click(`${panel} button.primary >> text=Save`); // a blank password keeps the stored one
  await page.waitForSelector(`${panel} .saved`);
  await page.click(`${panel} button >> text=Test Connection`);
  await page.waitForSelector(`${panel} .connection-status.status-ok`);
  check('Test says who we are on CardsHub (the password kept by a blank Save)',
    (await text(`${panel} .connection-status`)).includes('logged in to CardsHub as archivist'), await text(`${panel} .connection-status`));
  await page.locator(panel).scrollIntoViewIfNeeded();
  await shots('federation-cardshub');
  await page.click('.federation-modal .close');

  // ---- The first push, and the copy as the hub has it.
  await openSyncTab();
  await page.click('.sync-row[data-platform=hub] .sync-button');
  await page.waitForSelector(`${copy} .remote-slug`);
  let cards = await hubCards();
  const first = cards[0]?.slug;
  check('"Sync to CardsHub" uploads the card once, unlisted', cards.length === 1 && cards[0].visibility === 'unlisted', JSON.stringify(cards));
  check('the Sync tab shows the slug, visibility, downloads and favorites the hub has',
    (await text(`${copy} .remote-slug`)) === first && (await text(`${copy} .remote-visibility`)) === 'unlisted' &&
    Number(await text(`${copy} .remote-downloads`)) === cards[0].downloadsCount &&
    Number(await text(`${copy} .remote-favorites`)) === 0);

  await control('favorite', { slug: first });
  await control('favorite', { slug: first });
  const downloadsBefore = (await hubCards())[0].downloadsCount;
  await openSyncTab();
  await page.waitForFunction((s) => document.querySelector(s)?.textContent === '2', `${copy} .remote-favorites`);
  check('favorites made on the hub show in the Sync tab', true);
  check('showing the counts downloads nothing from the hub', (await hubCards())[0].downloadsCount === downloadsBefore);

  // ---- Visibility.
  await page.selectOption(`${copy} select.visibility-choice`, 'public');
  await page.click(`${copy} button.set-visibility`);
  await page.waitForFunction((s) => document.querySelector(s)?.textContent === 'public', `${copy} .remote-visibility`);
  cards = await hubCards();
  check('Visibility sets it on the hub', cards.length === 1 && cards[0].visibility === 'public', JSON.stringify(cards));
  await shots('card-sync-cardshub');

  // ---- A later push is refused with CardsHub's message; "Publish as new card".
  await api('PATCH', `/api/cards/${cardId}`, { data: { description: 'A cartographer of rivers, and of their floods.' } });
  await openSyncTab();
  await page.click('.sync-row[data-platform=hub] .sync-button');
  await page.waitForSelector('.sync-row[data-platform=hub] .sync-button.sync-error');
  const refusal = await text('.sync-row[data-platform=hub] .sync-message');
  check('a push of the edited card is refused with CardsHub\'s message',
    refusal.includes('CardsHub cannot update a published card; publish as a new card, or keep the archive version local'), refusal);
  check('the refusal offers "Publish as new card" first', !!(await page.$(`${copy} button.publish-as-new.primary`)));
  check('the refused push uploaded nothing', (await hubCards()).length === 1);
  await shots('card-sync-cardshub-refused');
  await page.click(`${copy} button.publish-as-new`);
  await page.waitForSelector(`${copy} .cardshub-message.status-ok`);
  cards = await hubCards();
  const second = cards.find((c) => c.slug !== first)?.slug;
  await page.waitForFunction(([s, slug]) => document.querySelector(s)?.textContent === slug, [`${copy} .remote-slug`, second]);
  check('"Publish as new card" makes a second card and the old one stays',
    cards.length === 2 && cards.some((c) => c.slug === first) && !!second, JSON.stringify(cards));
  check('the Sync tab now shows the new card, and the refusal is gone',
    (await text(`${copy} .remote-slug`)) === second && !(await page.$('.sync-row[data-platform=hub] .sync-message')));
  const history = (await api('GET', `/api/federation/events?card=${cardId}&platform=hub`)).events;
  check('the history names the old card', history.some((e) => (e.message ?? '').includes(first)), JSON.stringify(history.map((e) => e.message)));

  // ---- Unpublish, behind a confirmation.
  await page.click(`${copy} button.unpublish`);
  await page.waitForSelector('.confirm-dialog');
  check('Unpublish asks first, naming the card and the slug, with Cancel focused',
    (await text('.confirm-dialog .confirm-body')).includes(second) &&
    await page.evaluate(() => document.activeElement?.classList.contains('cancel')));
  await shots('cardshub-unpublish-confirm');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('.confirm-dialog'));
  check('Escape cancels: both cards stay on the hub', (await hubCards()).length === 2 && !!(await page.$('.card-modal')));
  await page.click(`${copy} button.unpublish`);
  await page.click('.confirm-dialog button.confirm');
  await page.waitForFunction(() => !document.querySelector('.cardshub-copy'));
  cards = await hubCards();
  check('confirming deletes the card on the hub (the first one stays)',
    cards.length === 1 && cards[0].slug === first, JSON.stringify(cards));
  const states = (await api('GET', `/api/federation/cards/${cardId}/sync`)).syncStates;
  check('the link is gone, the archive keeps its card',
    !states.some((s) => s.platform === 'hub') && (await api('GET', `/api/cards/${cardId}`)).name === 'Juniper');
  check('the history shows the unpublish',
    await eventually(async () => page.$$eval('.timeline li', (li) => li.some((l) => l.textContent.includes('unpublish')))));
  check('no script errors on the page', pageErrors.length === 0, pageErrors.join('; '));
} catch (e) {
  crashed(e);
  await page.screenshot({ path: path.join(SHOTS, 'cardshub-failure.png') }).catch(() => {});
} finally {
  await browser.close();
}
finish();
