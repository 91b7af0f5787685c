// Browser tests of Test Connection on typed settings (issue 18): Debian's Chromium driven
// by playwright-core against a real `charchive serve` and the stand-in SillyTavern. Run by
// tests/ui_federation_settings_test.sh:
//   node federation_settings.mjs PLAYWRIGHT_CORE_DIR BASE TOKEN FAKE_ST_URL SCREENSHOTS
// In the SillyTavern panel a wrong URL typed fails the test and the right one passes, with
// nothing saved (the API's platform keeps its saved URL, never connected) until Save; with a
// key saved, a blank key field tests with the saved key, which the page never shows.
import fs from 'node:fs';
import path from 'node:path';
import { apiAt, checks, launchChromium, pageErrorsOf, screenshotsOf } from './harness.mjs';

const [pwDir, BASE, TOKEN, ST, SHOTS] = process.argv.slice(2);
fs.mkdirSync(SHOTS, { recursive: true });
const { check, crashed, finish } = checks();
const api = apiAt(BASE, TOKEN);
const saved = async () => (await api('GET', '/api/federation/platforms')).platforms.find((p) => p.platform === 'sillytavern');

const browser = await launchChromium(pwDir);
const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
page.setDefaultTimeout(15000);
const pageErrors = pageErrorsOf(page);
const shots = screenshotsOf(page, SHOTS);
const panel = '.platform-panel[data-platform=sillytavern]';
const test = async () => {
  await page.click(`${panel} .test-connection`);
  await page.waitForSelector(`${panel} .connection-status:not(.status-pending)`);
  return page.getAttribute(`${panel} .connection-status`, 'class');
};

try {
  await page.goto(BASE);
  await page.fill('#token', TOKEN);
  await page.click('button[type=submit]');
  await page.waitForSelector('.federation-button');
  await page.click('.federation-button');
  await page.waitForSelector(`${panel} .base-url`);

  await page.fill(`${panel} .base-url`, 'http://127.0.0.1:9');
  check('a wrong URL typed fails the test', (await test()).includes('status-error'),
    await page.textContent(`${panel} .connection-status`));
  await shots('federation-test-typed-wrong');
  await page.fill(`${panel} .base-url`, ST);
  check('the right URL typed passes it', (await test()).includes('status-ok') &&
    (await page.textContent(`${panel} .connection-status`)).includes('SillyTavern'));
  await shots('federation-test-typed-right');
  const before = await saved();
  check('nothing is saved by a test: no URL, never connected', before.base_url === '' && before.last_connected_at === null &&
    before.enabled === 0, JSON.stringify(before));

  await page.fill(`${panel} .api-key`, 'typed-secret-42');
  await page.click(`${panel} button.primary`);
  await page.waitForSelector(`${panel} .saved`);
  const after = await saved();
  check('Save stores what was typed', after.base_url === ST && after.api_key === '***configured***');
  await page.fill(`${panel} .base-url`, 'http://127.0.0.1:9');
  check('a wrong URL typed after saving fails again', (await test()).includes('status-error'));
  check('and leaves the saved URL', (await saved()).base_url === ST);
  await page.fill(`${panel} .base-url`, ST);
  check('a blank key field tests with the saved key (it passes), which never shows',
    (await test()).includes('status-ok') && (await page.inputValue(`${panel} .api-key`)) === '' &&
    !(await page.content()).includes('typed-secret-42'));
  check('no script errors on the page', pageErrors.length === 0, pageErrors.join('; '));
} catch (e) {
  crashed(e);
  await page.screenshot({ path: path.join(SHOTS, 'federation-settings-failure.png') }).catch(() => {});
} finally {
  await browser.close();
}
finish();
