// Browser tests of the web UI (issues 5, 6, 7, 9, 11, 16): Debian's Chromium driven by
// playwright-core against a real `charchive serve`, with a second archive (HUB) as
// a hub node, the fake Chub (CHUB) as a card source and the fake Character Architect
// (ARCHITECT, which rewrites lorebook entries as the real one does). Run by tests/ui_browser_test.sh:
//   node browser.mjs PLAYWRIGHT_CORE_DIR BASE TOKEN BIN FIXTURE FAKE_ST_URL WORK SCREENSHOTS HUB HUB_TOKEN CHUB ARCHITECT
// Screenshots of the grid, a card, the version diff, the uploads and the conflict view go
// to SCREENSHOTS (build/screenshots, not committed).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { apiAt, eventually, pngCard, checks, launchChromium, pageErrorsOf } from './harness.mjs';

const [pwDir, BASE, TOKEN, BIN, FIXTURE, ST, WORK, SHOTS, HUB, HUB_TOKEN, CHUB, ARCHITECT] = process.argv.slice(2);
fs.mkdirSync(SHOTS, { recursive: true });
const shot = (page, name) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
const { check, crashed, finish } = checks();
const api = apiAt(BASE, TOKEN);
const hubApi = apiAt(HUB, HUB_TOKEN);
const hashOf = (file) => JSON.parse(execFileSync(BIN, ['info', '--json', file]).toString()).content_hash;
const drop = (page, files) => page.evaluate(async (files) => {
  const dt = new DataTransfer();
  for (const f of files) dt.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name, { type: 'image/png' }));
  window.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
  window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
}, files.map(([name, buf]) => ({ name, b64: buf.toString('base64') })));
const closeModal = (page) => page.keyboard.press('Escape');
// Types a search and waits until the grid shows exactly these card names.
const search = async (page, text, names) => {
  await page.fill('.search', text);
  await page.waitForFunction((want) => [...document.querySelectorAll('.tile-name')].map((e) => e.textContent).sort().join('|') === want,
    [...names].sort().join('|'));
};

const browser = await launchChromium(pwDir);
const context = await browser.newContext({ acceptDownloads: true });
const page = await context.newPage();
page.setDefaultTimeout(15000);
let dialogs = 0;
page.on('dialog', (d) => { dialogs++; d.accept(); });
const external = [];  // requests that leave the archive's origin
page.on('request', (r) => { if (!r.url().startsWith(BASE)) external.push(r.url()); });
const pageErrors = pageErrorsOf(page);
try {
  // ---- Issue 5: log in, upload, search, open, edit, versions, diff, restore, download, delete.
  await page.goto(BASE);
  await page.fill('#token', 'wrong');
  await page.click('button[type=submit]');
  await page.waitForSelector('.login .error');
  check('a wrong token is refused', (await page.textContent('.login .error')).includes('wrong token'));
  await page.fill('#token', TOKEN);
  await page.click('button[type=submit]');
  await page.waitForSelector('.filters .search');
  check('log in shows the grid and its search', true);
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'charchive_session');
  check('the session cookie is HttpOnly and SameSite=Strict', session?.httpOnly && session?.sameSite === 'Strict');

  await drop(page, [['default_Seraphina.png', fs.readFileSync(FIXTURE)]]);
  await page.waitForSelector('.uploads .upload-ok .upload-result');
  check('drag and drop imports the fixture', (await page.textContent('.uploads')).includes('imported as #'));
  await shot(page, 'upload');
  await drop(page, [['xss.png', pngCard('Mallory', '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>\n\n**bold** ![remote](http://example.invalid/a.png) <a href="javascript:window.__xss=3">link</a>')],
                    ['b1.png', pngCard('Bulk One', 'one')], ['b2.png', pngCard('Bulk Two', 'two')]]);
  await page.waitForFunction(() => document.querySelectorAll('.uploads .upload-ok').length === 4 &&
    document.querySelectorAll('.card-tile').length === 4);

  await page.fill('.search', 'Eldoria');
  await page.waitForFunction(() => [...document.querySelectorAll('.tile-name')].map((e) => e.textContent).join() === 'Seraphina');
  check('searching a word of its description finds it', new URL(page.url()).searchParams.get('q') === 'Eldoria');
  await page.reload();
  await page.waitForSelector('.card-tile');
  check('the query survives a reload (it is in the URL)', (await page.inputValue('.search')) === 'Eldoria' && (await page.$$('.card-tile')).length === 1);

  await page.click('.card-tile');
  await page.waitForSelector('.card-modal .card-title');
  check('the card opens with its image and fields', (await page.textContent('.card-title')) === 'Seraphina' && !!(await page.$('.card-image')));
  await page.waitForFunction(() => document.querySelector('.card-image')?.complete);
  await shot(page, 'card');
  await page.click('.card-modal button.edit');
  await page.fill('textarea[name=description]', 'A guardian, edited in the browser.');
  await page.click('.card-modal button.save');
  await page.waitForFunction(() => document.querySelector('.field-description')?.textContent.includes('edited in the browser'));
  await page.click('.tab >> text=Versions');
  await page.waitForFunction(() => document.querySelectorAll('.version-list li').length === 2);
  check('saving made a new version', true);
  for (const box of await page.$$('.version-list input[type=checkbox]')) await box.check();
  await page.waitForSelector('.version-diff .diff-field[data-field=description] .diff-add');
  check('the diff of the two versions shows the description line by line',
    (await page.textContent('.version-diff .diff-add')).includes('edited in the browser'));
  await shot(page, 'version-diff');
  await page.click('.version-list li:last-child button.restore');
  await page.waitForFunction(() => document.querySelectorAll('.version-list li').length === 3);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('a.download >> text=PNG')]);
  const saved = path.join(WORK, 'downloaded.png');
  await download.saveAs(saved);
  check('after the restore the downloaded PNG has the fixture\'s content hash', hashOf(saved) === hashOf(FIXTURE));
  await closeModal(page);

  await search(page, '', ['Bulk One', 'Bulk Two', 'Mallory', 'Seraphina']);
  await page.waitForFunction(() => [...document.querySelectorAll('.card-tile img')].every((i) => i.complete));
  await shot(page, 'grid');

  // Untrusted text: no script runs, no dialog opens, no request leaves until the user agrees.
  const dialogsBefore = dialogs;
  await search(page, 'Mallory', ['Mallory']);
  await page.click('.card-tile');
  await page.waitForSelector('.field-description .markdown');
  await page.waitForTimeout(300);
  check('card HTML never runs (no onerror, no script)', (await page.evaluate(() => window.__xss)) === undefined &&
    !(await page.$('.field-description img[src="x"]')) && !(await page.$('.field-description script')));
  check('markdown is rendered', !!(await page.$('.field-description strong')));
  check('a javascript: link is dropped', (await page.$$('.field-description a[href^="javascript"]')).length === 0);
  check('no dialog opened and no request left the archive', dialogs === dialogsBefore && external.length === 0, external.join(' '));
  check('images are not loaded without consent', !!(await page.$('.field-description button >> text=/Load \\d+ remote image/')) &&
    (await page.$$('.field-description img[src]')).length === 0);
  await page.click('.field-description button >> text=/Load \\d+ remote image/');
  check('they are after consent', !!(await page.$('.field-description img[src="http://example.invalid/a.png"]')));
  await closeModal(page);

  // Keyboard: arrows move between tiles, Enter opens, Escape closes.
  await search(page, 'Bulk', ['Bulk One', 'Bulk Two']);
  await page.focus('.card-tile');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.card-modal');
  const second = await page.textContent('.card-title');
  check('arrow keys and Enter open the next card', ['Bulk One', 'Bulk Two'].includes(second) &&
    second === (await page.$$eval('.tile-name', (e) => e[1].textContent)));
  await page.keyboard.press('Escape');
  check('Escape closes the card', !(await page.$('.card-modal')));

  // ---- Issue 6: the Federation modal, test connection, push, badge; the key never shows.
  await page.click('.federation-button');
  const st = '.platform-panel[data-platform=sillytavern]';
  await page.check(`${st} input[type=checkbox] >> nth=0`);
  await page.fill(`${st} .base-url`, ST);
  await page.fill(`${st} .api-key`, 'very-secret-key-7');
  await page.click(`${st} button.primary`);
  await page.waitForSelector(`${st} .saved`);
  check('saving shows Saved!', (await page.textContent(`${st} .saved`)) === 'Saved!');
  await page.click(`${st} button >> text=Test Connection`);
  await page.waitForSelector(`${st} .status-ok`);
  check('test connection reports SillyTavern', (await page.textContent(`${st} .status-ok`)).includes('SillyTavern'));
  await page.reload();
  await page.click('.federation-button');
  await page.waitForSelector(`${st} .api-key`);
  check('the API key field never shows the stored key', (await page.inputValue(`${st} .api-key`)) === '' &&
    (await page.getAttribute(`${st} .api-key`, 'placeholder')) === 'Leave blank to keep existing' &&
    !(await page.content()).includes('very-secret-key-7'));
  await page.click('.federation-modal .close');

  await search(page, 'Bulk One', ['Bulk One']);
  const bulkOne = Number(await page.getAttribute('.card-tile', 'data-card-id'));
  await page.click('.card-tile');
  await page.click('.tab >> text=Sync');
  await page.click('.sync-row[data-platform=sillytavern] .sync-button');
  await page.waitForSelector('.sync-row[data-platform=sillytavern] .sync-ok');
  // The state is read again after the push answers: wait for it rather than race it.
  await page.waitForSelector('.sync-row[data-platform=sillytavern] .badge-synced');
  check('Sync to SillyTavern succeeds', (await page.textContent('.sync-row[data-platform=sillytavern] .badge')) === 'synced');
  await closeModal(page);
  await page.waitForSelector('.card-tile .badge-synced');
  check('the grid badge turns synced', true);

  // ---- Issue 7: a conflict resolved field by field; a bulk push from a selection.
  await api('PATCH', `/api/cards/${bulkOne}`, { data: { description: 'Edited in the archive.' } });
  await fetch(`${ST}/__edit`, { method: 'POST', body: JSON.stringify({ file: 'Bulk One', field: 'description', value: 'Edited in SillyTavern.' }) });
  await fetch(`${ST}/__edit`, { method: 'POST', body: JSON.stringify({ file: 'Bulk One', field: 'scenario', value: 'A new scenario from SillyTavern.' }) });
  const synced = await api('POST', `/api/federation/cards/${bulkOne}/sync/sillytavern`);
  check('both sides edited: conflict', synced.action === 'conflict', JSON.stringify(synced));
  await page.click('.card-tile');
  await page.click('.tab >> text=Sync');
  await page.click('text=Resolve conflict');
  await page.waitForSelector('.three-way tr[data-field=description].field-conflict');
  check('the conflict view shows base, archive and SillyTavern side by side',
    (await page.textContent('.three-way tr[data-field=description]')).includes('Edited in SillyTavern.'));
  check('apply waits for a choice on the conflicting field', await page.isDisabled('.apply-merge'));
  await page.check('.three-way tr[data-field=description] input[value=remote]');
  await shot(page, 'conflict');
  // At phone width each item is a block, each side labelled: nothing past the edge or cut off.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForFunction(() => getComputedStyle(document.querySelector('.three-way thead')).display === 'none');
  const cutCells = await page.evaluate(() => [...document.querySelectorAll('.three-way td, .three-way tbody th')]
    .filter((c) => c.getBoundingClientRect().right > window.innerWidth + 1 || c.scrollWidth > c.clientWidth + 1).length);
  check('the conflict view fits a phone: every side labelled, no cell past the edge or cut off', cutCells === 0 &&
    (await page.evaluate(() => getComputedStyle(document.querySelector('.three-way td[data-label]'), '::before').content)) !== 'none',
    String(cutCells));
  await shot(page, 'conflict-390x844');
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.click('.apply-merge');
  await page.waitForSelector('.sync-row[data-platform=sillytavern] .badge-synced');
  const merged = await api('GET', `/api/cards/${bulkOne}`);
  check('the merge took the chosen field and the other side\'s change',
    merged.data.description === 'Edited in SillyTavern.' && merged.data.scenario === 'A new scenario from SillyTavern.');
  await closeModal(page);

  await search(page, '', ['Bulk One', 'Bulk Two', 'Mallory', 'Seraphina']);
  const tiles = await page.$$('.card-tile');
  await tiles[0].click({ modifiers: ['Control'] });
  await tiles[2].click({ modifiers: ['Shift'] });
  check('ctrl-click and shift-click select a range', (await page.textContent('.selection-count')) === '3 selected');
  await page.click('.bulk-push');
  await page.waitForFunction(() => document.querySelector('.job-count')?.textContent === '3/3' &&
    document.querySelector('.job-progress')?.textContent.includes('done'));
  check('a bulk push from the selection reaches 100%', (await page.getAttribute('.job-progress progress', 'value')) === '3');

  // Phone width: nothing wider than the screen, in the grid and in a card.
  await page.setViewportSize({ width: 390, height: 844 });
  const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
  check('the grid fits a phone-width screen', await fits());
  await page.click('.card-tile');
  await page.waitForSelector('.card-modal .card-title');
  check('a card fits a phone-width screen', await fits());
  await shot(page, 'phone-card');
  await closeModal(page);
  await page.setViewportSize({ width: 1280, height: 720 });

  // ---- Issue 9: this archive as a hub node; following HUB; a follower answered by hand; publishing a
  // card; a card HUB unpublishes shows as deleted on the hub (the archive keeps it).
  await page.click('.federation-button');
  const node = '.hub-node';
  await page.check(`${node} .hub-enabled`);
  await page.fill(`${node} .hub-public-url`, BASE);
  await page.uncheck(`${node} .hub-auto-accept`);
  await page.click(`${node} .hub-save`);
  await page.waitForSelector(`${node} .hub-message.status-ok`);
  check('the hub node is enabled from the Federation modal',
    (await page.textContent(`${node} .muted`)).includes(`${BASE}/ap/actor`) && (await api('GET', '/api/hub')).enabled === true);
  const hubPlatform = '.platform-panel[data-platform=archive]';
  await page.check(`${hubPlatform} input[type=checkbox] >> nth=0`);
  await page.fill(`${hubPlatform} .base-url`, HUB);
  await page.click(`${hubPlatform} button.primary`);
  await page.waitForSelector(`${hubPlatform} .saved`);
  await page.click(`${hubPlatform} button >> text=Test Connection`);
  await page.waitForSelector(`${hubPlatform} .status-ok`);
  check('test connection reaches the other node', true);
  await page.click(`${node} .hub-follow`);
  // The other node's owner approves (auto-accept is off by default).
  await eventually(async () => (await hubApi('GET', '/api/hub')).followers.some((f) => f.actor === `${BASE}/ap/actor`));
  await hubApi('POST', '/api/hub/followers/accept', { actor: `${BASE}/ap/actor` });
  await page.waitForSelector(`${node} .hub-following li[data-actor="${HUB}/ap/actor"] .badge-accepted`);
  check('Follow the hub: the other node\'s owner accepts', (await hubApi('GET', '/api/hub')).followers.some((f) => f.actor === `${BASE}/ap/actor`));
  await hubApi('POST', '/api/federation/platforms/archive', { enabled: true, base_url: BASE });
  await hubApi('POST', '/api/hub/follow');
  const pending = `${node} .hub-followers li[data-actor="${HUB}/ap/actor"]`;
  await page.waitForSelector(`${pending} button.accept`);
  check('a follower waits for approval when auto-accept is off', (await page.textContent(`${pending} .badge`)) === 'pending');
  await shot(page, 'hub-node');
  await page.click(`${pending} button.accept`);
  await page.waitForSelector(`${pending} .badge-accepted`);
  check('Accept answers the follower', await eventually(async () =>
    (await hubApi('GET', '/api/hub')).following.some((f) => f.state === 'accepted')));
  await page.click('.federation-modal .close');

  await search(page, 'Bulk Two', ['Bulk Two']);
  await page.click('.card-tile');
  await page.click('.tab >> text=Sync');
  await page.check('.hub-published');
  await page.waitForFunction(() => document.querySelector('.hub-shared')?.textContent.startsWith('shared'));
  check('publishing a card from its Sync tab delivers it to the follower', await eventually(async () =>
    (await hubApi('GET', '/api/cards?q=Bulk')).total === 1));
  await closeModal(page);

  const form = new FormData();
  form.append('file', new Blob([pngCard('Hub Card', 'Published by the other node.')]), 'hub.png');
  const uploaded = await (await fetch(`${HUB}/api/cards`, { method: 'POST', headers: { Authorization: `Bearer ${HUB_TOKEN}` }, body: form })).json();
  const hubCard = uploaded.results[0].id;
  await hubApi('PUT', `/api/hub/cards/${hubCard}`, { published: true });
  check('a card the followed node publishes arrives', await eventually(async () => (await api('GET', '/api/cards?q=Hub')).total === 1));
  await hubApi('PUT', `/api/hub/cards/${hubCard}`, { published: false });
  check('its Delete marks the copy deleted on the hub', await eventually(async () =>
    (await api('GET', '/api/federation/platforms/archive/cards?status=remote_deleted')).count === 1));
  await page.selectOption('select[aria-label="Sync status"]', 'archive:remote_deleted');
  await page.waitForFunction(() => [...document.querySelectorAll('.tile-name')].map((e) => e.textContent).join() === 'Hub Card');
  await page.waitForSelector('.card-tile .badge-remote_deleted');
  check('the grid filters and badges cards deleted on the hub (the archive keeps them)',
    (await page.textContent('.card-tile .badge-remote_deleted')) === 'deleted on archive');
  await page.selectOption('select[aria-label="Sync status"]', '');

  // ---- Issue 11: a card source from the Sources modal: settings, Sync now with its report,
  // a conflict settled from the card, a deleted card blocked and unblocked.
  const chubCard = (slug, personality) => fetch(`${CHUB}/_control/cards`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ fullPath: `alice/${slug}`, topics: ['ROOT', 'Fantasy'], nTokens: 300,
      definition: { name: slug, personality, first_message: `Hello from ${slug}` } }),
  });
  for (const slug of ['Ivy', 'Juniper', 'Kestrel']) await chubCard(slug, `${slug} as first published.`);
  // The fake serves the images too; the default 1 s between requests is for real hubs.
  await api('PUT', '/api/sources/chub', { image_base_url: CHUB, request_interval_ms: 20 });
  const panel = '.source-panel[data-source=chub]';
  // Clicks a run button and waits for that new run (the first in the list) to finish.
  const runTo = async (button) => {
    const before = await page.getAttribute(`${panel} .source-run`, 'data-run').catch(() => null);
    await page.click(`${panel} ${button}`);
    await page.waitForFunction(([p, b]) => {
      const run = document.querySelector(`${p} .source-run`);
      return run && run.dataset.run !== b && run.classList.contains('run-done');
    }, [panel, before]);
  };
  const syncNow = async (want) => {
    await runTo('.source-sync');
    const counts = await page.textContent(`${panel} .source-run`);
    if (!counts.includes(want)) console.log(`# run: ${counts}`);
    return counts.includes(want);
  };
  await page.click('.sources-button');
  await page.fill(`${panel} .base-url`, CHUB);
  await page.fill(`${panel} .api-key`, 'chub-key-never-shown');
  await page.click(`${panel} .source-save`);
  await page.waitForSelector(`${panel} .source-message.status-ok`);
  check('a source is configured from the Sources modal; its key is not shown again',
    (await api('GET', '/api/sources/chub')).base_url === CHUB && !(await page.content()).includes('chub-key-never-shown'));
  check('Sync now runs and reports 3 new cards', await syncNow('3 new'));
  await shot(page, 'sources');
  await closeModal(page);
  await search(page, 'Ivy', ['Ivy']);
  const ivy = Number(await page.getAttribute('.card-tile', 'data-card-id'));
  await api('PATCH', `/api/cards/${ivy}`, { data: { description: 'Ivy as edited here.' } });
  await chubCard('Ivy', 'Ivy as changed on Chub.');
  await page.click('.sources-button');
  check('a source change on a card edited here is reported as a conflict', await syncNow('1 conflicts'));
  await closeModal(page);
  await page.click('.card-tile');
  await page.click('.tab >> text=Sync');
  await page.waitForSelector('.source-state[data-status=conflict]');
  await page.click('.source-state .keep-source');
  await page.waitForSelector('.source-state[data-status=synced]');
  check('the conflict is settled from the card: the source\'s content is taken, a new version',
    (await api('GET', `/api/cards/${ivy}`)).data.description === 'Ivy as changed on Chub.');
  await closeModal(page);
  await api('DELETE', `/api/cards/${ivy}`);
  await api('DELETE', '/api/trash');
  await page.click('.sources-button');
  await page.waitForSelector(`${panel} .source-blocked li[data-source-id="alice/Ivy"]`);
  check('a card deleted here is listed as blocked', true);
  await page.click(`${panel} .source-blocked li[data-source-id="alice/Ivy"] .unblock`);
  await page.waitForFunction((p) => !document.querySelector(`${p} .source-blocked li[data-source-id="alice/Ivy"]`), panel);
  check('Unblock, then a full resync brings it back', await (async () => {
    await runTo('.source-full');
    return (await api('GET', '/api/cards?q=Ivy')).total === 1;
  })());
  await closeModal(page);

  // ---- Issue 16: what Architect changed on import, in the Sync tab; a conflict on two
  // lorebook entries and two greetings resolved item by item.
  const entry = (id, keys, content) => ({ id, keys, content, enabled: true, insertion_order: id, position: '', probability: 50, extensions: {} });
  const lore = { spec: 'chara_card_v2', spec_version: '2.0', data: {
    name: 'Lore Keeper', description: 'Keeps the lore.', first_mes: 'Hi.', alternate_greetings: ['Hello one.', 'Hello two.'],
    extensions: {}, character_book: { name: 'Lore', extensions: {}, entries: [entry(1, ['gate'], 'The gate is old.'), entry(2, ['tower'], 'The tower is tall.')] } } };
  const loreForm = new FormData();
  loreForm.append('file', new Blob([JSON.stringify(lore)], { type: 'application/json' }), 'lore.json');
  const loreId = (await (await fetch(`${BASE}/api/cards`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` }, body: loreForm })).json()).results[0].id;
  await api('POST', '/api/federation/platforms/architect', { base_url: ARCHITECT, enabled: true });
  const remoteId = (await api('POST', `/api/federation/cards/${loreId}/push/architect`, { overwrite: false })).remoteId;
  check('pushed to the fake Architect', typeof remoteId === 'string', String(remoteId));
  await search(page, 'Lore Keeper', ['Lore Keeper']);
  await page.click('.card-tile');
  await page.click('.tab >> text=Sync');
  await page.click('.sync-row[data-platform=architect] .import-rewrites summary');
  const rewrites = await page.textContent('.sync-row[data-platform=architect] .import-rewrites');
  check('the Sync tab says what Architect changed on import',
    rewrites.includes('Character Architect dropped probability from lorebook entry 1') &&
    rewrites.includes("Character Architect stored position of lorebook entry 2 as 'after_char'"), rewrites);
  await closeModal(page);
  const here = (await api('GET', `/api/cards/${loreId}`)).data;
  here.character_book.entries[0].content = 'The gate, as the archive has it.';
  here.character_book.entries[1].content = 'The tower, as the archive has it.';
  await api('PATCH', `/api/cards/${loreId}`, { data: { character_book: here.character_book, alternate_greetings: ['Hello one, archive.', 'Hello two, archive.'] } });
  const thereDoc = (await (await fetch(`${ARCHITECT}/api/cards/${remoteId}`)).json()).data;
  thereDoc.data.character_book.entries[0].content = 'The gate, as Architect has it.';
  thereDoc.data.character_book.entries[1].content = 'The tower, as Architect has it.';
  thereDoc.data.alternate_greetings = ['Hello one, Architect.', 'Hello two, Architect.'];
  await fetch(`${ARCHITECT}/api/cards/${remoteId}`, { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ data: thereDoc }) });
  const loreSync = await api('POST', `/api/federation/cards/${loreId}/sync/architect`);
  check('both sides edited both entries and both greetings: conflict', loreSync.action === 'conflict', JSON.stringify(loreSync));
  await page.click('.card-tile');
  await page.click('.tab >> text=Sync');
  await page.click('.sync-row[data-platform=architect] >> text=Resolve conflict');
  const row = (item) => `.three-way tr[data-item="${item}"]`;
  const e1 = 'character_book.entries[id:1].content', e2 = 'character_book.entries[id:2].content';
  const g1 = 'alternate_greetings[0]', g2 = 'alternate_greetings[1]';
  await page.waitForSelector(`${row(e1)}.field-conflict`);
  check('each entry and each greeting is a conflict of its own',
    (await Promise.all([e2, g1, g2].map((i) => page.$(`${row(i)}.field-conflict`)))).every(Boolean));
  check('the entry rows show both sides', (await page.textContent(row(e2))).includes('The tower, as Architect has it.') &&
    (await page.textContent(row(e2))).includes('The tower, as the archive has it.'));
  await page.check(`${row(e1)} input[value=local]`);
  await page.check(`${row(e2)} input[value=remote]`);
  await page.check(`${row(g1)} input[value=remote]`);
  check('apply waits for a choice on every conflicting item', await page.isDisabled('.apply-merge'));
  await page.check(`${row(g2)} input[value=local]`);
  await shot(page, 'conflict-items');
  await page.click('.apply-merge');
  await page.waitForSelector('.sync-row[data-platform=architect] .badge-synced');
  const mergedLore = (await api('GET', `/api/cards/${loreId}`)).data;
  const architectLore = (await (await fetch(`${ARCHITECT}/api/cards/${remoteId}`)).json()).data.data;
  for (const [side, d] of [['archive', mergedLore], ['Architect', architectLore]]) {
    check(`the merged card on the ${side} has the archive's entry 1 and Architect's entry 2`,
      d.character_book.entries[0].content === 'The gate, as the archive has it.' &&
      d.character_book.entries[1].content === 'The tower, as Architect has it.', JSON.stringify(d.character_book.entries));
    check(`the merged card on the ${side} has Architect's greeting 1 and the archive's greeting 2`,
      JSON.stringify(d.alternate_greetings) === JSON.stringify(['Hello one, Architect.', 'Hello two, archive.']), JSON.stringify(d.alternate_greetings));
  }
  check('the archive keeps its own lorebook fields (probability)', mergedLore.character_book.entries[1].probability === 50);
  await closeModal(page);

  // Delete, with confirmation.
  await search(page, 'Seraphina', ['Seraphina']);
  await page.click('.card-tile');
  await page.click('.card-modal button.delete');
  await page.waitForFunction(() => !document.querySelector('.card-modal') && document.querySelectorAll('.card-tile').length === 0);
  check('delete (confirmed) removes the card', (await api('GET', '/api/cards?q=Seraphina')).total === 0);
  check('no script errors on the page', pageErrors.length === 0, pageErrors.join('; '));
} catch (e) {
  crashed(e);
  await page.screenshot({ path: path.join(WORK, 'failure.png') }).catch(() => {});
} finally {
  await browser.close();
}
finish();
