// Browser tests of library management (issue 18): Debian's Chromium driven by
// playwright-core against a real `charchive serve`. Run by tests/ui_library_test.sh:
//   node library.mjs PLAYWRIGHT_CORE_DIR BASE TOKEN SCREENSHOTS WORK
// The tag manager: counts, rename, merge of several tags, delete behind a
// confirmation; the bulk bar: add and remove a tag on the selection, favorite
// and unfavorite it, export it as a zip. Every change is checked in the API (the cards' own tags
// and a new version for each changed card); the statistics page against GET
// /api/stats; the duplicates view (same name and creator, near-identical text) and a card's related cards; filters in the
// browser's history. Screenshots at 1280×800 and 390×844.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { apiAt, pngCard, checks, launchChromium, pageErrorsOf, screenshotsOf } from './harness.mjs';

const [pwDir, BASE, TOKEN, SHOTS, WORK] = process.argv.slice(2);
fs.mkdirSync(SHOTS, { recursive: true });
const { check, crashed, finish } = checks();
const api = apiAt(BASE, TOKEN);
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// Cards with tags, imported through the API.
const ids = {};
for (const [name, tags] of [['Alder', ['elf', 'quest']], ['Birch', ['Elf', 'scifi']], ['Cedar', ['sci-fi', 'quest']], ['Dogwood', ['draft']]]) {
  const form = new FormData();
  form.append('file', new Blob([pngCard(name, `${name} of the grove.`)]), `${name}.png`);
  const imported = await (await fetch(`${BASE}/api/cards`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` }, body: form })).json();
  ids[name] = imported.results[0].id;
  await api('PATCH', `/api/cards/${ids[name]}`, { data: { tags } });
}
const tagsOf = async (name) => (await api('GET', `/api/cards/${ids[name]}`)).tags;
const versions = async (name) => (await api('GET', `/api/cards/${ids[name]}/versions`)).versions.length;

const browser = await launchChromium(pwDir);
const page = await (await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 800 } })).newPage();
page.setDefaultTimeout(15000);
const pageErrors = pageErrorsOf(page);
const shots = screenshotsOf(page, SHOTS);
const row = (tag) => `.tag-table tr[data-tag="${tag}"]`;
const count = async (tag) => Number(await page.textContent(`${row(tag)} .tag-count`));

try {
  await page.goto(BASE);
  await page.fill('#token', TOKEN);
  await page.click('button[type=submit]');
  await page.waitForFunction(() => document.querySelectorAll('.card-tile').length === 4);

  // ---- The tag manager: counts.
  await page.click('.tags-button');
  await page.waitForSelector('.tag-manager .tag-table tbody tr[data-tag]');
  const listed = await page.$$eval('.tag-table tr[data-tag]', (rows) => rows.map((r) => r.dataset.tag));
  const elf = listed.find((t) => t.toLowerCase() === 'elf');
  check('the tag manager lists every tag with its card count (case folded)',
    listed.length === 5 && (await count(elf)) === 2 && (await count('quest')) === 2 && (await count('draft')) === 1, JSON.stringify(listed));
  await shots('tag-manager');

  // ---- Rename.
  await page.click(`${row(elf)} button.rename`);
  await page.fill('.rename-to', 'elves');
  await page.keyboard.press('Enter');
  await page.waitForSelector(row('elves'));
  check('Rename changes the tag on every card carrying it, keeping the others in order',
    same(await tagsOf('Alder'), ['elves', 'quest']) && same(await tagsOf('Birch'), ['elves', 'scifi']) && (await count('elves')) === 2,
    JSON.stringify([await tagsOf('Alder'), await tagsOf('Birch')]));
  check('each renamed card has a new version', (await versions('Alder')) === 3 && (await versions('Dogwood')) === 2);
  check('the manager says what changed', (await page.textContent('.tag-message')).includes('2 cards'));

  // ---- Merge.
  await page.check('input[aria-label="Select scifi"]');
  await page.check('input[aria-label="Select sci-fi"]');
  await page.fill('.merge-to', 'science fiction');
  await shots('tag-manager-merge');
  await page.click('.merge-bar button.merge');
  await page.waitForSelector(row('science fiction'));
  check('Merge makes several tags one', same(await tagsOf('Birch'), ['elves', 'science fiction']) &&
    same(await tagsOf('Cedar'), ['science fiction', 'quest']) && !(await page.$(row('scifi'))) && !(await page.$(row('sci-fi'))));

  // ---- Delete, behind a confirmation.
  await page.click(`${row('quest')} button.delete-tag`);
  await page.waitForSelector('.confirm-dialog');
  check('Delete asks first, saying how many cards', (await page.textContent('.confirm-dialog')).includes('2 cards'));
  await page.click('.confirm-dialog button.cancel');
  check('Cancel keeps the tag', !!(await page.$(row('quest'))) && (await tagsOf('Alder')).includes('quest'));
  await page.click(`${row('quest')} button.delete-tag`);
  await page.click('.confirm-dialog button.confirm');
  await page.waitForFunction((s) => !document.querySelector(s), row('quest'));
  check('confirming takes the tag off every card', same(await tagsOf('Alder'), ['elves']) && same(await tagsOf('Cedar'), ['science fiction']));
  await page.fill('.tag-filter', 'sci');
  check('the filter finds tags by part of their name',
    same(await page.$$eval('.tag-table tr[data-tag]', (rows) => rows.map((r) => r.dataset.tag)), ['science fiction']));
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('.tag-manager'));

  // ---- The bulk bar: tags and favorites on the selection.
  const tile = (name) => page.locator(`.card-tile:has-text("${name}")`);
  await tile('Alder').click({ modifiers: ['Control'] });
  await tile('Dogwood').click({ modifiers: ['Control'] });
  await page.waitForSelector('.bulk-bar .selection-count >> text=2 selected');
  await page.fill('.bulk-tag', 'shortlist');
  await page.click('.bulk-tag-add');
  await page.waitForSelector('.bulk-done');
  check('Add tag tags the selected cards only',
    same(await tagsOf('Alder'), ['elves', 'shortlist']) && same(await tagsOf('Dogwood'), ['draft', 'shortlist']) &&
    !(await tagsOf('Birch')).includes('shortlist'));
  await page.click('.bulk-favorite');
  await page.waitForSelector('.bulk-done >> text=favorites');
  await page.waitForSelector('.card-tile:has-text("Alder") .tile-star.on');
  check('Favorite marks the selection, and the tiles show it',
    (await api('GET', `/api/cards/${ids.Alder}`)).favorite && (await api('GET', `/api/cards/${ids.Dogwood}`)).favorite &&
    !(await api('GET', `/api/cards/${ids.Birch}`)).favorite);
  await shots('bulk-bar');
  await page.fill('.bulk-tag', 'draft');
  await page.click('.bulk-tag-remove');
  await page.waitForSelector('.bulk-done >> text=Untagged');
  check('Remove tag takes it off the selection', same(await tagsOf('Dogwood'), ['shortlist']));
  const [zip] = await Promise.all([page.waitForEvent('download'), page.click('.bulk-export')]);
  const zipFile = path.join(WORK, 'cards.zip');
  await zip.saveAs(zipFile);
  const entries = JSON.parse(execFileSync('python3', ['-c',
    'import json, sys, zipfile; print(json.dumps(sorted(zipfile.ZipFile(sys.argv[1]).namelist())))', zipFile]).toString());
  check('Export zip saves the selected cards as PNGs in one zip', zip.suggestedFilename() === 'cards.zip' &&
    same(entries, ['Alder.png', 'Dogwood.png']), JSON.stringify(entries));
  await page.click('.bulk-unfavorite');
  await page.waitForFunction(() => !document.querySelector('.card-tile .tile-star.on'));
  check('Unfavorite clears it', !(await api('GET', `/api/cards/${ids.Alder}`)).favorite);

  // ---- The statistics page: the same numbers as GET /api/stats, drawn.
  await page.click('.bulk-bar button >> text=Clear');
  await page.click('.stats-button');
  await page.waitForSelector('.stats-page .chart-sources .bar');
  const bars = (chart) => page.$$eval(`.stats-page .${chart} .bar`, (gs) => gs.map((g) => [g.dataset.label, Number(g.dataset.count)]));
  const stats = await api('GET', '/api/stats');
  check('the statistics page counts the cards', (await page.textContent('.stats-cards')) === '4' && stats.cards === 4);
  check('cards by source and by spec are charted', same(await bars('chart-sources'), [['import', 4]]) &&
    same(await bars('chart-specs'), stats.specs.map((b) => [b.label, b.count])));
  check('the top tags follow the tag edits', same(await bars('chart-tags'), stats.tags.map((b) => [b.label, b.count])) &&
    (await bars('chart-tags')).some(([l, c]) => l === 'elves' && c === 2), JSON.stringify(await bars('chart-tags')));
  const tokenBars = await bars('chart-tokens');
  check('the token distribution has every range and every card', tokenBars.length === 6 && tokenBars.reduce((n, [, c]) => n + c, 0) === 4);
  check('imports per month', same(await bars('chart-imports'), [[new Date().toISOString().slice(0, 7), 4]]), JSON.stringify(await bars('chart-imports')));
  await shots('statistics');
  await page.keyboard.press('Escape');

  // ---- Duplicates: a second Alder (same name and creator, other text).
  const again = new FormData();
  again.append('file', new Blob([pngCard('Alder', 'Alder, as another site has it.')]), 'Alder-2.png');
  const second = (await (await fetch(`${BASE}/api/cards`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` }, body: again })).json()).results[0].id;
  await page.click('.duplicates-button');
  await page.waitForSelector('.duplicates-page .duplicate-group');
  const groups = await page.$$eval('.duplicate-group', (gs) => gs.map((g) => [g.dataset.reason, [...g.querySelectorAll('.duplicate-card')].map((c) => Number(c.dataset.card))]));
  check('the duplicates view groups the two Alders by name and creator',
    same(groups, [['name_creator', [ids.Alder, second]]]), JSON.stringify(groups));
  await shots('duplicates');
  await page.keyboard.press('Escape');

  // ---- Near-identical text: the same card re-uploaded under another name with one word changed.
  const prose = 'Rowan keeps the ferry across the black river and asks every passenger for a story instead of a coin; ' +
    'she has heard ten thousand and remembers each one, softly repeating the best ones to the water.';
  const nearIds = [];
  for (const [name, text] of [['Rowan', prose], ['Rowan (reupload)', prose.replace('softly', 'quietly')]]) {
    const form = new FormData();
    form.append('file', new Blob([pngCard(name, text)]), `${name}.png`);
    nearIds.push((await (await fetch(`${BASE}/api/cards`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` }, body: form })).json()).results[0].id);
  }
  await page.click('.duplicates-button');
  await page.waitForSelector('.duplicates-page .duplicate-group[data-reason=near_text]');
  const near = await page.$eval('.duplicate-group[data-reason=near_text]', (g) =>
    [g.querySelector('h4').textContent, [...g.querySelectorAll('.duplicate-card')].map((c) => Number(c.dataset.card))]);
  check('the duplicates view groups a re-upload with one word changed as near-identical text',
    near[0].startsWith('Near-identical text') && same(near[1], nearIds), JSON.stringify(near));
  await shots('duplicates-near-text');
  await page.click(`.duplicate-card[data-card="${second}"] button`);
  await page.waitForSelector('.card-modal .card-title');
  check('a card in a group opens', page.url().endsWith(`#/cards/${second}`));
  await page.click('.card-modal .tab >> text=Related');
  await page.waitForSelector('.related-cards .duplicate-card');
  check('the card\'s Related tab names the other Alder and why',
    same(await page.$$eval('.related-cards .duplicate-card', (cs) => cs.map((c) => Number(c.dataset.card))), [ids.Alder]) &&
    (await page.textContent('.related-cards')).includes('Same name and creator'));
  await shots('card-related');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('.card-modal'));

  // ---- Filters are history entries; typing a search is not one per word.
  const params = () => new URL(page.url()).searchParams;
  const steps = await page.evaluate(() => window.history.length);
  await page.fill('.search', 'Alder');
  await page.waitForFunction(() => new URL(window.location.href).searchParams.get('q') === 'Alder');
  await page.waitForFunction(() => document.querySelectorAll('.card-tile').length === 2);
  check('a typed search replaces the history entry', (await page.evaluate(() => window.history.length)) === steps);
  await page.click('.favorites-filter');
  await page.waitForFunction(() => new URL(window.location.href).searchParams.get('favorite') === 'true');
  await page.waitForSelector('.state-empty');
  await page.goBack();
  await page.waitForFunction(() => document.querySelectorAll('.card-tile').length === 2);
  check('Back undoes a filter and keeps the search',
    params().get('favorite') === null && params().get('q') === 'Alder' && (await page.inputValue('.search')) === 'Alder' &&
    !(await page.$('.favorites-filter.on')));
  await page.goForward();
  await page.waitForSelector('.favorites-filter.on');
  check('Forward brings it back', params().get('favorite') === 'true');
  check('no script errors on the page', pageErrors.length === 0, pageErrors.join('; '));
} catch (e) {
  crashed(e);
  await page.screenshot({ path: path.join(SHOTS, 'library-failure.png') }).catch(() => {});
} finally {
  await browser.close();
}
finish();
