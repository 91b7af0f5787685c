// What the browser suites in tests/ui/ share: the
// checks and their count, Debian's Chromium launched headless, the API as a
// bearer-token client, polling, and a minimal card PNG made in memory.
import { createRequire } from 'node:module';
import path from 'node:path';

// check(name, ok, detail) prints "ok - NAME" or "FAILED - NAME DETAIL"; crashed(error)
// counts a scenario that threw; finish() prints the counts and exits non-zero on a failure.
export const checks = () => {
  let passed = 0;
  let failed = 0;
  return {
    check: (name, ok, detail = '') => {
      if (ok) { passed++; console.log(`ok - ${name}`); } else { failed++; console.log(`FAILED - ${name} ${detail}`); }
    },
    crashed: (error) => { failed++; console.log(`FAILED - ${error.stack ?? error}`); },
    finish: () => { console.log(`${passed} passed, ${failed} failed`); process.exit(failed ? 1 : 0); },
  };
};

// Debian's chromium through the playwright-core installed in pwDir; each launch has a
// fresh profile.
export const launchChromium = (pwDir) => {
  const { chromium } = createRequire(path.join(pwDir, 'package.json'))('playwright-core');
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
};

// shots(name) screenshots the page at 1280×800 and at 390×844 into dir, leaving it at 1280×800.
export const screenshotsOf = (page, dir) => async (name) => {
  await page.screenshot({ path: path.join(dir, `${name}-1280x800.png`) });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(150); // one layout after the resize
  await page.screenshot({ path: path.join(dir, `${name}-390x844.png`) });
  await page.setViewportSize({ width: 1280, height: 800 });
};

// The page's uncaught script errors, collected as they happen.
export const pageErrorsOf = (page) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
};

export const apiAt = (base, token) => async (method, p, body) => {
  const res = await fetch(base + p, {
    method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? (method === 'GET' ? undefined : '{}') : JSON.stringify(body),
  });
  return res.json();
};

// Polls an async predicate (server-side state that background deliveries change).
export const eventually = async (predicate, ms = 15000) => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 200))) {
    if (await predicate()) return true;
  }
  return false;
};

export const pngCard = (name, description) => {
  // A minimal PNG with a chara chunk (the UI only moves the bytes).
  const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
  const crc = (buf) => { let c = 0xffffffff; for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const chunk = (type, data) => { const t = Buffer.from(type, 'latin1'); const len = Buffer.alloc(4); len.writeUInt32BE(data.length); const c = Buffer.alloc(4); c.writeUInt32BE(crc(Buffer.concat([t, data]))); return Buffer.concat([len, t, data, c]); };
  const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(1, 0); ihdr.writeUInt32BE(1, 4); ihdr[8] = 8; ihdr[9] = 0;
  const card = { spec: 'chara_card_v2', spec_version: '2.0', data: { name, description, first_mes: 'Hi.', extensions: {} } };
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01])),
    chunk('tEXt', Buffer.concat([Buffer.from('chara\0', 'latin1'), Buffer.from(Buffer.from(JSON.stringify(card)).toString('base64'))])),
    chunk('IEND', Buffer.alloc(0))]);
};
