// Browser tests of the card editor and the collector's UI (issue 18): Debian's
// Chromium driven by playwright-core against a real `charchive serve` (its own
// data dir). Run by tests/ui_browser_test.sh:
//   node editor.mjs PLAYWRIGHT_CORE_DIR BASE TOKEN BIN FIXTURE WORK SCREENSHOTS
// Covers the file picker, the card route (reload, Back), dialog focus, the
// editor's fields, greetings, lorebook (unknown entry fields kept), extensions
// JSON, token counts, the name check, replace image, clone, create, the
// unsaved-changes guard, favorites, session expiry and the empty state; every change is
// checked in the API and in the downloaded PNG (`charchive info --json`).
// Screenshots at 1280×800 and 390×844 go to SCREENSHOTS.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { apiAt, pngCard, checks, launchChromium, pageErrorsOf, screenshotsOf } from './harness.mjs';

const [pwDir, BASE, TOKEN, BIN, FIXTURE, WORK, SHOTS] = process.argv.slice(2);
fs.mkdirSync(SHOTS, { recursive: true });
const { check, crashed, finish } = checks();
const api = apiAt(BASE, TOKEN);
const info = (file) => JSON.parse(execFileSync(BIN, ['info', '--json', file]).toString());
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

const browser = await launchChromium(pwDir);
const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 800 } });
const page = await context.newPage();
page.setDefaultTimeout(15000);
let answer = true; // what the next confirm() gets
const asked = [];
page.on('dialog', (d) => { asked.push(d.message()); answer ? d.accept() : d.dismiss(); });
const pageErrors = pageErrorsOf(page);
const shots = screenshotsOf(page, SHOTS);
const cardId = () => Number(/#\/cards\/(\d+)$/.exec(page.url())?.[1]);
const download = async (name) => {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click('a.download >> text=PNG')]);
  const file = path.join(WORK, name);
  await d.saveAs(file);
  return info(file);
};
const saveEdit = async () => {
  await page.click('.card-editor button.save');
  await page.waitForSelector('.card-modal .notice.ok >> text=Saved');
};
const inDialog = () => page.evaluate(() => !!document.activeElement?.closest('[role=dialog]'));

try {
  await page.goto(BASE);
  await page.fill('#token', TOKEN);
  await page.click('button[type=submit]');
  await page.waitForSelector('.state-empty');
  check('an empty archive says how to fill it', (await page.textContent('.state-empty')).includes('Upload'));

  // ---- The file picker: several files at once.
  const extra = path.join(WORK, 'picked.png');
  fs.writeFileSync(extra, pngCard('Picked', 'Chosen with the file picker.'));
  check('the picker takes several card files of the three formats',
    await page.getAttribute('.upload-picker', 'multiple') !== null &&
    (await page.getAttribute('.upload-picker', 'accept')).includes('.charx'));
  await page.setInputFiles('.upload-picker', [FIXTURE, extra]);
  await page.waitForFunction(() => document.querySelectorAll('.uploads .upload-ok').length === 2 &&
    document.querySelectorAll('.card-tile').length === 2);
  check('Upload imports the picked files', (await api('GET', '/api/cards')).total === 2);

  // ---- "/" focuses the search; a search without results offers to clear it.
  await page.click('.topbar h1');
  await page.keyboard.press('/');
  check('"/" focuses the search', await page.evaluate(() => document.activeElement?.classList.contains('search')));
  await page.keyboard.type('no such card anywhere');
  await page.waitForSelector('.state-empty .clear-filters');
  await shots('empty-search');
  await page.click('.clear-filters');
  await page.waitForFunction(() => document.querySelectorAll('.card-tile').length === 2);
  check('"clear filters" brings the cards back', (await page.inputValue('.search')) === '');

  // ---- The card route: a URL per card, kept by a reload, closed by Back; focus in the dialog.
  await page.click('.card-tile:has-text("Seraphina")');
  await page.waitForSelector('.card-modal .card-title');
  const id = cardId();
  check('an open card has its own URL', id > 0 && page.url().endsWith(`#/cards/${id}`));
  check('focus moves into the card dialog', await inDialog());
  for (let k = 0; k < 40; k++) await page.keyboard.press('Tab');
  check('Tab stays inside the dialog', await inDialog());
  await page.reload();
  await page.waitForSelector('.card-modal .card-title');
  check('the card route survives a reload', (await page.textContent('.card-title')) === 'Seraphina');
  await page.goBack();
  await page.waitForFunction(() => !document.querySelector('.card-modal'));
  check('Back closes the card', !page.url().includes('#/cards/'));
  await page.goForward();
  await page.waitForSelector('.card-modal .card-title');
  check('Forward opens it again', cardId() === id);
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('.card-modal'));
  await page.focus('.card-tile:has-text("Seraphina")');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.card-modal .card-title');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('.card-modal'));
  check('Escape closes it and focus returns to its tile',
    await page.evaluate(() => document.activeElement?.classList.contains('card-tile')));

  // A lorebook entry with fields the editor does not know, put there through the API.
  const before = await api('GET', `/api/cards/${id}`);
  const odd = { keys: ['glade'], content: 'The glade is warded.', enabled: true, insertion_order: 5, use_regex: false,
    extensions: { depth: 4, x_other_app: { keep: [1, 'two', null] } }, x_custom_field: { nested: ['a', { b: true }] }, id: 7 };
  await api('PATCH', `/api/cards/${id}`, { data: { character_book: { name: 'Eldoria', extensions: {}, entries: [odd] } } });

  // ---- The editor.
  await page.click('.card-tile:has-text("Seraphina")');
  await page.click('.card-modal button.edit');
  await page.waitForSelector('.card-editor .total-tokens');
  const total = Number(await page.textContent('.total-tokens'));
  const permanent = Number(await page.textContent('.permanent-tokens'));
  check('token counts: a total and the permanent part, with the tokenizer named',
    total > 100 && permanent > 0 && permanent < total && (await page.textContent('.token-totals')).includes('cl100k_base'));
  check('each field has its own count', (await page.$$('.card-editor .token-count')).length >= 7);
  await shots('editor-basics');

  await page.fill('input[name=name]', '   ');
  await page.waitForSelector('.name-error');
  check('an empty name is refused in the UI', await page.isDisabled('.card-editor button.save'));
  await page.fill('input[name=name]', 'Seraphina');
  await page.fill('input[name=nickname]', 'Sera');
  await page.fill('input[name=creator]', 'the editor test');
  await page.fill('input[name=character_version]', '2.1');
  await page.fill('.tag-chips input', 'guardian');
  await page.keyboard.press('Enter');
  await page.fill('.tag-chips input', 'forest,');
  await page.fill('textarea[name=personality]', 'Kind, watchful.');
  await page.click('.preview-toggle');
  check('creator notes have a Markdown preview', !!(await page.$('.notes-preview .markdown, .notes-preview .empty')));
  await page.click('.preview-toggle');

  await page.click('.card-editor .tab >> text=Greetings');
  const alternates = before.data.alternate_greetings?.length ?? 0;
  await page.click('.add-alternate_greetings');
  await page.fill(`textarea[name=alternate_greetings-${alternates}]`, 'Greeting A, added in the browser.');
  await page.click('.add-alternate_greetings');
  await page.fill(`textarea[name=alternate_greetings-${alternates + 1}]`, 'Greeting B, moved up.');
  await page.click(`[aria-label="Move alternate greetings ${alternates + 2} up"]`);
  await page.click('.add-group_only_greetings');
  await page.fill('textarea[name=group_only_greetings-0]', 'Hello, all of you.');
  await shots('editor-greetings');

  await page.click('.card-editor .tab >> text=Lorebook');
  await page.fill('textarea[name=content-0]', 'The glade is warded, edited in the browser.');
  await page.click('.add-entry');
  await page.fill('input[name=keys-1]', 'dragon, wyrm');
  await page.fill('textarea[name=content-1]', 'Dragons sleep under the hill.');
  await page.fill('input[name=probability-1]', '50');
  await page.check('input[name=constant-1]');
  await page.click('.add-entry');
  await page.fill('input[name=keys-2]', 'spare');
  await page.click('[aria-label="Move entry 2 up"]');
  await page.click('[aria-label="Delete entry 3"]');
  await shots('editor-lorebook');

  await page.click('.card-editor .tab >> text=Extensions');
  const extText = await page.inputValue('textarea[name=extensions]');
  await page.fill('textarea[name=extensions]', '{"broken": ');
  await page.waitForSelector('.json-error');
  check('invalid extensions JSON is shown and blocks saving', await page.isDisabled('.card-editor button.save'));
  await shots('editor-extensions-invalid');
  await page.fill('textarea[name=extensions]', JSON.stringify({ ...JSON.parse(extText), charchive_test: { edited: [1, 2] } }, null, 2));
  await page.waitForSelector('.json-ok');
  await page.click('.card-editor .tab >> text=Raw JSON');
  check('the raw JSON tab shows the draft', (await page.inputValue('textarea[name=raw]')).includes('Greeting B, moved up.'));
  await saveEdit();

  const edited = await api('GET', `/api/cards/${id}`);
  const d = edited.data;
  const entries = d.character_book?.entries ?? [];
  check('name, nickname, creator, version and tags are saved',
    d.name === 'Seraphina' && d.nickname === 'Sera' && d.creator === 'the editor test' && d.character_version === '2.1' &&
    d.tags.includes('guardian') && d.tags.includes('forest'), JSON.stringify([d.nickname, d.creator, d.tags]));
  check('greetings are added and reordered',
    same(d.alternate_greetings.slice(alternates), ['Greeting B, moved up.', 'Greeting A, added in the browser.']) &&
    same(d.group_only_greetings, ['Hello, all of you.']), JSON.stringify(d.alternate_greetings));
  check('lorebook entries are added, reordered and deleted',
    entries.length === 2 && same(entries[0].keys, ['dragon', 'wyrm']) && entries[0].constant === true &&
    entries[0].extensions?.probability === 50 && same(entries[1].keys, ['glade']), JSON.stringify(entries));
  const kept = entries[1] ?? {};
  check('unknown lorebook entry fields survive the edit',
    same(kept.x_custom_field, odd.x_custom_field) && same(kept.extensions, odd.extensions) && kept.id === 7 &&
    kept.content === 'The glade is warded, edited in the browser.', JSON.stringify(kept));
  check('extensions JSON is saved with the other keys kept',
    same(d.extensions.charchive_test, { edited: [1, 2] }) && same(Object.keys(before.data.extensions ?? {}).filter((k) => !(k in d.extensions)), []));
  const png = await download('edited.png');
  check('the downloaded PNG carries the edits', png.content_hash === edited.content_hash && png.name === 'Seraphina' &&
    png.lorebook_entries === 2 && png.greetings === alternates + 2, JSON.stringify(png));
  await page.waitForSelector('.field-greetings .alternate-greeting');
  check('the card view numbers the greetings', (await page.$$('.field-greetings li')).length === alternates + 3);

  // ---- Replace the image: the content stays, a new version.
  const versionsBefore = (await api('GET', `/api/cards/${id}/versions`)).versions.length;
  const newImage = path.join(WORK, 'new-image.png');
  fs.writeFileSync(newImage, pngCard('Not this card', 'Only its image is taken.'));
  await page.setInputFiles('input[aria-label="New image (PNG)"]', newImage);
  await page.waitForSelector('.notice.ok >> text=Image replaced');
  const replaced = await api('GET', `/api/cards/${id}`);
  const afterImage = await download('new-image-download.png');
  check('replacing the image keeps the content and makes a new version',
    replaced.content_hash === edited.content_hash && replaced.image_hash !== edited.image_hash &&
    (await api('GET', `/api/cards/${id}/versions`)).versions.length === versionsBefore + 1);
  check('the downloaded PNG has the new image and the same content',
    afterImage.image_hash === replaced.image_hash && afterImage.content_hash === edited.content_hash && afterImage.name === 'Seraphina');
  await page.waitForFunction((h) => document.querySelector('.card-image')?.getAttribute('src')?.endsWith(h) &&
    document.querySelector('.card-image').complete, replaced.image_hash);
  await shots('card-after-edit');

  // ---- Unsaved changes: closing asks; "no" keeps the editor.
  await page.click('.card-modal button.edit');
  await page.fill('textarea[name=description]', 'An edit that is not saved.');
  answer = false;
  await page.keyboard.press('Escape');
  check('closing with unsaved changes asks first', asked.some((m) => m.includes('unsaved')) && !!(await page.$('.card-editor')));
  answer = true;
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('.card-modal'));
  check('and agreeing drops the edit', (await api('GET', `/api/cards/${id}`)).data.description === edited.data.description);

  // ---- Clone.
  await page.click('.card-tile:has-text("Seraphina")');
  await page.click('.card-modal button.clone');
  await page.waitForSelector('.card-title >> text=Seraphina (copy)');
  const cloneId = cardId();
  const clone = await api('GET', `/api/cards/${cloneId}`);
  check('Clone makes a new card with the content and image, and opens it',
    cloneId !== id && same({ ...clone.data, name: 'Seraphina' }, edited.data) && clone.image_hash === replaced.image_hash);
  const clonePng = await download('clone.png');
  check('the clone\'s PNG is its own', clonePng.name === 'Seraphina (copy)' && clonePng.image_hash === replaced.image_hash);
  await page.keyboard.press('Escape');

  // ---- A new card.
  await page.click('.new-card-button');
  await page.waitForSelector('.new-card .card-editor');
  check('a new card needs a name', await page.isDisabled('.new-card button.save'));
  await page.fill('.new-card input[name=name]', 'Wren');
  await page.fill('.new-card textarea[name=description]', 'A courier who never reads the letters.');
  await page.click('.new-card .tab >> text=Greetings');
  await page.fill('.new-card textarea[name=first_mes]', 'Package for you.');
  await shots('new-card');
  await page.click('.new-card button.save');
  await page.waitForSelector('.card-title >> text=Wren');
  const wren = await api('GET', `/api/cards/${cardId()}`);
  check('Create card stores it and opens it', wren.name === 'Wren' && wren.data.first_mes === 'Package for you.' && wren.spec === 'v3');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.querySelectorAll('.card-tile').length === 4);

  // ---- Favorites: a star on each tile, and a filter.
  await page.click('.card-tile:has-text("Wren") .tile-star');
  await page.waitForSelector('.card-tile:has-text("Wren") .tile-star.on');
  check('a tile\'s star makes the card a favorite, without opening it',
    (await api('GET', `/api/cards/${wren.id}`)).favorite === true && !(await page.$('.card-modal')));
  await page.click('.favorites-filter');
  await page.waitForFunction(() => [...document.querySelectorAll('.tile-name')].map((e) => e.textContent).join() === 'Wren');
  check('the favorites filter shows only favorites, and is in the URL', new URL(page.url()).searchParams.get('favorite') === 'true');
  await page.click('.favorites-filter');
  await page.waitForFunction(() => document.querySelectorAll('.card-tile').length === 4);
  await page.waitForFunction(() => [...document.querySelectorAll('.card-tile img')].every((i) => i.complete));
  await shots('grid');

  // ---- The session ends: back to the login, then on where the user was.
  await page.click('.card-tile:has-text("Wren")');
  await page.waitForSelector('.card-title >> text=Wren');
  await context.clearCookies();
  await page.click('.card-modal .tab >> text=Versions');
  await page.click('.card-modal button.favorite');
  await page.waitForSelector('.login .session-expired');
  check('an expired session returns to the login screen', true);
  await shots('session-expired');
  await page.fill('#token', TOKEN);
  await page.click('button[type=submit]');
  await page.waitForSelector('.card-title >> text=Wren');
  check('logging in again returns to the open card', true);
  check('no script errors on the page', pageErrors.length === 0, pageErrors.join('; '));
} catch (e) {
  crashed(e);
  await page.screenshot({ path: path.join(SHOTS, 'editor-failure.png') }).catch(() => {});
} finally {
  await browser.close();
}
finish();
