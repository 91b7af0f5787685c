// Accessibility checks of the web UI (issue 18): axe-core (ui/node_modules) run
// in Debian's Chromium, driven by playwright-core, against a real `charchive
// serve`. Run by tests/ui_a11y_test.sh:
//   node a11y.mjs PLAYWRIGHT_CORE_DIR BASE TOKEN FIXTURE AXE_SCRIPT
// The login, the grid, a card, the editor, the Federation modal, History, Tags,
// Statistics and Duplicates, in both themes, must have no serious or critical violation (WCAG 2.1 A and AA rules); each
// violation is printed with the elements it was found on.
import fs from 'node:fs';
import path from 'node:path';
import { checks, launchChromium } from './harness.mjs';

const [pwDir, BASE, TOKEN, FIXTURE, AXE] = process.argv.slice(2);
const { check, crashed, finish } = checks();

const form = new FormData();
form.append('file', new Blob([fs.readFileSync(FIXTURE)]), path.basename(FIXTURE));
await fetch(`${BASE}/api/cards`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` }, body: form });

const browser = await launchChromium(pwDir);
// axe is injected as a script, which the archive's CSP (script-src 'self') would refuse.
const page = await (await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } })).newPage();
page.setDefaultTimeout(15000);

// axe on the page as it is now; the serious and critical violations as text.
const audit = async (name) => {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id} (${v.help}): ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join(', ')}`);
  });
  check(`${name}: no serious or critical axe violation`, violations.length === 0, `\n  ${violations.join('\n  ')}`);
};

try {
  for (const theme of ['dark', 'light']) {
    await page.goto(BASE);
    await page.evaluate((t) => localStorage.setItem('theme', t), theme);
    await page.goto(BASE);
    // The app shows nothing until it knows whether its session is still good, then the login
    // or the grid: wait for one of them before asking which.
    await page.waitForSelector('#token, .card-tile');
    if (await page.$('#token')) {
      await audit(`login (${theme})`);
      await page.fill('#token', TOKEN);
      await page.click('button[type=submit]');
    }
    await page.waitForSelector('.card-tile img');
    await audit(`grid (${theme})`);
    await page.click('.card-tile');
    await page.waitForSelector('.card-modal .card-title');
    await audit(`card (${theme})`);
    await page.click('.card-modal button.edit');
    await page.waitForSelector('.card-editor');
    await audit(`editor (${theme})`);
    await page.click('.card-editor button >> text=Cancel');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('.card-modal'));
    await page.click('.federation-button');
    await page.waitForSelector('.federation-modal .platform-panel');
    await audit(`Federation (${theme})`);
    await page.keyboard.press('Escape');
    await page.click('.topbar button >> text=History');
    await page.waitForSelector('[role=dialog]');
    await audit(`History (${theme})`);
    await page.keyboard.press('Escape');
    for (const [button, dialog, name] of [['.tags-button', '.tag-manager .tag-table', 'Tags'],
      ['.stats-button', '.stats-page .chart', 'Statistics'], ['.duplicates-button', '.duplicates-page .state', 'Duplicates']]) {
      await page.click(button);
      await page.waitForSelector(dialog);
      await audit(`${name} (${theme})`);
      await page.keyboard.press('Escape');
    }
  }
} catch (e) {
  crashed(e);
} finally {
  await browser.close();
}
finish();
