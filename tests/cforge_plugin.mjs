// Client side of tests/cforge_plugin_test.sh: drives the CForge plugin inside a real
// SillyTavern started by the harness. usage: node cforge_plugin.mjs SCENARIO
// SCENARIO: csrf (everything, CSRF on, no token), token (token on, CSRF off),
// basic (Basic auth + token in X-CForge-Token + CSRF on).
// Environment: ST_URL, ST_ROOT, ST_CHARACTERS, ST_DIR (the install), FIXTURE (a card PNG),
// CFORGE_TOKEN (token/basic), ST_BASIC (user:password, basic).
// Prints `ok - ...` / `FAILED - ...` lines and exits 1 when anything failed.
import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import http from 'node:http';
import { pathToFileURL } from 'node:url';

const { ST_URL, ST_ROOT, ST_CHARACTERS, ST_DIR, FIXTURE, CFORGE_TOKEN, ST_BASIC } = process.env;
const PLUGIN = `${ST_URL}/api/plugins/cforge`;
const scenario = process.argv[2];
let passed = 0;
let failed = 0;

async function check(name, fn) {
    try {
        const note = await fn();
        passed++;
        console.log(`ok - ${name}${note ? ` (${note})` : ''}`);
    } catch (error) {
        failed++;
        console.log(`FAILED - ${name}: ${error.stack ?? error}`);
    }
}

/** An HTTP client as an external program must be: session cookies, CSRF token, credentials. */
class Client {
    constructor({ csrf = true, basic = null, token = null, tokenHeader = 'authorization' } = {}) {
        this.csrf = csrf;
        this.cookies = new Map();
        this.headers = {};
        if (basic) this.headers.authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
        if (token) {
            if (tokenHeader === 'authorization') this.headers.authorization = `Bearer ${token}`;
            else this.headers[tokenHeader] = token;
        }
    }

    async start() {
        if (!this.csrf) return this;
        const response = await this.request('GET', `${ST_URL}/csrf-token`);
        this.headers['x-csrf-token'] = response.json.token;
        return this;
    }

    async request(method, url, body, { headers = {}, raw = false } = {}) {
        const init = { method, headers: { ...this.headers, ...headers } };
        if (this.cookies.size) init.headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
        if (body !== undefined) {
            init.body = raw ? body : JSON.stringify(body);
            init.headers['content-type'] ??= 'application/json';
        }
        const response = await fetch(url, init);
        for (const cookie of response.headers.getSetCookie()) {
            const [pair] = cookie.split(';');
            const at = pair.indexOf('=');
            this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
        }
        const text = await response.text();
        let json = null;
        try {
            json = JSON.parse(text);
        } catch {
            // not JSON (SillyTavern's own errors are HTML or text)
        }
        return { status: response.status, headers: response.headers, text, json };
    }

    plugin(method, route, body, options) {
        return this.request(method, `${PLUGIN}${route}`, body, options);
    }

    async characters() {
        const response = await this.request('POST', `${ST_URL}/api/characters/all`, {});
        assert.equal(response.status, 200, response.text);
        return response.json;
    }
}

/** A request whose path is sent exactly as given (fetch would resolve `..` segments first). */
function rawRequest(method, rawPath, headers = {}) {
    const url = new URL(ST_URL);
    return new Promise((resolve, reject) => {
        const request = http.request({ host: url.hostname, port: url.port, method, path: rawPath, headers }, (response) => {
            response.resume();
            response.on('end', () => resolve(response.statusCode));
        });
        request.on('error', reject);
        request.end();
    });
}

function textChunks(png) {
    const texts = {};
    const types = [];
    for (let pos = 8; pos < png.length;) {
        const length = png.readUInt32BE(pos);
        const type = png.toString('latin1', pos + 4, pos + 8);
        types.push(type);
        if (type === 'tEXt') {
            const data = png.subarray(pos + 8, pos + 8 + length);
            const nul = data.indexOf(0);
            texts[data.toString('latin1', 0, nul).toLowerCase()] = Buffer.from(data.toString('latin1', nul + 1), 'base64').toString('utf8');
        }
        pos += 12 + length;
    }
    return { texts, types };
}

function filesUnder(root, skip) {
    const out = [];
    const walk = (dir) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const full = path.join(dir, entry.name);
            if (skip.some(s => full.startsWith(s))) continue;
            if (entry.isDirectory()) walk(full);
            else out.push(path.relative(root, full));
        }
    };
    walk(root);
    return out.sort();
}

const fixturePng = fs.readFileSync(FIXTURE);
const fixtureCard = JSON.parse(textChunks(fixturePng).texts.ccv3 ?? textChunks(fixturePng).texts.chara);
const smallCard = (name, extra = {}) => ({
    spec: 'chara_card_v3', spec_version: '3.0',
    data: { name, description: `about ${name}`, first_mes: 'Hello!', alternate_greetings: ['Hi', 'Hey'],
        group_only_greetings: [], tags: ['test'], extensions: { 'x-charchive': { id: name } }, ...extra },
});
const listed = (all, file) => all.filter(c => c.avatar === file);

async function csrfScenario() {
    const anonymous = new Client({ csrf: false });
    const client = await new Client().start();

    await check('probe answers a GET without cookies or token', async () => {
        const r = await anonymous.plugin('GET', '/probe');
        assert.equal(r.status, 200, r.text);
        assert.deepEqual(r.json, { ok: true, plugin: 'cforge', version: r.json.version, sillytavern: '1.19.0', user: 'default-user' });
        assert.match(r.json.version, /^\d+\.\d+\.\d+$/);
        return JSON.stringify(r.json);
    });

    await check('a POST without the CSRF token is refused by SillyTavern (403)', async () => {
        const r = await anonymous.plugin('POST', '/sync/import', { cardData: smallCard('NoCsrf') });
        assert.equal(r.status, 403);
        assert.equal(fs.existsSync(path.join(ST_CHARACTERS, 'NoCsrf.png')), false);
    });

    const body = { cardData: fixtureCard, filename: 'Seraphina', image: fixturePng.toString('base64'), overwrite: false, user: 'default' };
    await check('the fixture imports with its image as Seraphina.png', async () => {
        const r = await client.plugin('POST', '/sync/import', body);
        assert.equal(r.status, 200, r.text);
        assert.deepEqual(r.json, { success: true, filename: 'Seraphina.png', path: '/characters/Seraphina.png', overwritten: false });
    });

    await check('the file is byte for byte what SillyTavern\'s own write() makes of the same image and JSON', async () => {
        const { write } = await import(pathToFileURL(path.join(ST_DIR, 'src/character-card-parser.js')));
        const expected = write(fixturePng, JSON.stringify(fixtureCard));
        const stored = fs.readFileSync(path.join(ST_CHARACTERS, 'Seraphina.png'));
        assert.ok(stored.equals(expected), 'bytes differ');
        const { texts, types } = textChunks(stored);
        assert.deepEqual(types, ['IHDR', 'IDAT', 'tEXt', 'tEXt', 'IEND']);
        assert.equal(texts.chara, JSON.stringify(fixtureCard));
        assert.equal(JSON.parse(texts.ccv3).spec, 'chara_card_v3');
        return `${stored.length} bytes`;
    });

    await check('/api/characters/all lists it once with the same data', async () => {
        const all = await client.characters();
        assert.equal(all.length, 1);
        assert.deepEqual(listed(all, 'Seraphina.png')[0].data, fixtureCard.data);
    });

    await check('overwrite replaces the file in place (no duplicate)', async () => {
        const changed = structuredClone(fixtureCard);
        changed.data.description = 'Overwritten description';
        const r = await client.plugin('POST', '/sync/import', { ...body, cardData: changed, overwrite: true });
        assert.equal(r.status, 200, r.text);
        assert.deepEqual(r.json, { success: true, filename: 'Seraphina.png', path: '/characters/Seraphina.png', overwritten: true });
        assert.deepEqual(fs.readdirSync(ST_CHARACTERS).filter(f => f.endsWith('.png')), ['Seraphina.png']);
        const all = await client.characters();
        assert.equal(all.length, 1);
        assert.equal(all[0].data.description, 'Overwritten description');
    });

    await check('without overwrite a taken name gets <base>_1.png and the original is untouched', async () => {
        const before = fs.readFileSync(path.join(ST_CHARACTERS, 'Seraphina.png'));
        const r = await client.plugin('POST', '/sync/import', body);
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.filename, 'Seraphina_1.png');
        assert.equal(r.json.overwritten, false);
        assert.ok(fs.readFileSync(path.join(ST_CHARACTERS, 'Seraphina.png')).equals(before));
        const all = await client.characters();
        assert.equal(listed(all, 'Seraphina_1.png')[0].data.description, fixtureCard.data.description);
    });

    await check('a unicode name is kept (no filename: the card name is used; no image: the default avatar)', async () => {
        const name = 'Ünïcødé 角色 🐉';
        const r = await client.plugin('POST', '/sync/import', { cardData: smallCard(name) });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.filename, `${name}.png`);
        assert.equal(r.json.path, `/characters/${encodeURIComponent(`${name}.png`)}`);
        const all = await client.characters();
        assert.deepEqual(listed(all, `${name}.png`)[0].data, smallCard(name).data);
        const stored = fs.readFileSync(path.join(ST_CHARACTERS, `${name}.png`));
        assert.equal(stored.readUInt32BE(16), 512); // ai4.png, 512x768
        assert.equal(stored.readUInt32BE(20), 768);
        const served = await client.request('GET', `${ST_URL}${r.json.path}`);
        assert.equal(served.status, 200);
    });

    await check('names that collide after sanitizing get distinct files', async () => {
        const a = await client.plugin('POST', '/sync/import', { cardData: smallCard('Dr: Who?'), filename: 'Dr: Who?' });
        const b = await client.plugin('POST', '/sync/import', { cardData: smallCard('Dr Who'), filename: 'Dr Who' });
        const c = await client.plugin('POST', '/sync/import', { cardData: smallCard('Dr Who'), filename: 'sub/dir/Dr Who.PNG' });
        assert.deepEqual([a.json.filename, b.json.filename, c.json.filename], ['Dr Who.png', 'Dr Who_1.png', 'Dr Who_2.png']);
        const all = await client.characters();
        assert.equal(listed(all, 'Dr Who.png')[0].data.name, 'Dr: Who?');
        assert.equal(listed(all, 'Dr Who_1.png')[0].data.name, 'Dr Who');
    });

    await check('eight concurrent imports of one name make eight files', async () => {
        const results = await Promise.all(Array.from({ length: 8 }, (_, i) =>
            client.plugin('POST', '/sync/import', { cardData: smallCard('Racer', { description: `racer ${i}` }) })));
        const names = results.map(r => r.json.filename).sort();
        assert.deepEqual(names, ['Racer.png', ...Array.from({ length: 7 }, (_, i) => `Racer_${i + 1}.png`)].sort());
        const descriptions = new Set(results.map(r => JSON.parse(textChunks(fs.readFileSync(path.join(ST_CHARACTERS, r.json.filename))).texts.chara).data.description));
        assert.equal(descriptions.size, 8);
    });

    const outside = () => filesUnder(ST_ROOT, [ST_CHARACTERS, path.join(ST_ROOT, 'data/_cache'), path.join(ST_ROOT, 'server.log'),
        path.join(ST_ROOT, 'data/default-user/thumbnails')]);
    const before = outside();
    await check('path traversal in an import filename is refused with 400', async () => {
        for (const filename of ['../../evil', '..\\..\\evil', 'a/../../evil', '..', 'x\u0000evil', ' .. /evil']) {
            const r = await client.plugin('POST', '/sync/import', { cardData: smallCard('Evil'), filename });
            assert.equal(r.status, 400, `${JSON.stringify(filename)} -> ${r.status} ${r.text}`);
            assert.ok(r.json.error, r.text);
        }
    });
    await check('path traversal in a card route is refused with 400', async () => {
        const routes = ['/cards/..%2F..%2Fconfig.yaml', '/cards/%2e%2e%2fcookie-secret.txt', '/cards/..%5Cx.png',
            '/cards/%252e%252e%252fx.png', '/cards/x%00.png', '/cards/a/b.png'];
        for (const route of routes) {
            for (const method of ['GET', 'DELETE']) {
                const r = await client.plugin(method, route);
                assert.equal(r.status, 400, `${method} ${route} -> ${r.status} ${r.text}`);
            }
        }
        const notPng = await client.plugin('GET', '/cards/config.yaml');
        assert.equal(notPng.status, 400);
        const headers = { ...client.headers, cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
        for (const route of ['/cards/..', '/cards/.', '/cards/../../config.yaml', '/cards/%2e%2e', '/cards/..%2f..%2fconfig.yaml']) {
            for (const method of ['GET', 'DELETE']) {
                const status = await rawRequest(method, `/api/plugins/cforge${route}`, headers);
                assert.equal(status, 400, `raw ${method} ${route} -> ${status}`);
            }
        }
    });
    await check('nothing was written outside the characters folder', async () => {
        assert.deepEqual(outside(), before);
        assert.equal(filesUnder(ST_ROOT, []).some(f => f.includes('evil')), false);
        return `${before.length} files unchanged`;
    });

    await check('invalid requests get 400 (403 for another user) with a message', async () => {
        const cases = [
            [{ raw: 'not json', headers: { 'content-type': 'text/plain' } }, 400],
            [{ body: {} }, 400],
            [{ body: { cardData: 'text' } }, 400],
            [{ body: { cardData: { name: 'V1 only' } } }, 400],
            [{ body: { cardData: { spec: 'chara_card_v2', data: {} } } }, 400],
            [{ body: { cardData: { spec: 'chara_card_v2', data: { name: '   ' } } } }, 400],
            [{ body: { cardData: smallCard('Bad'), image: 'not base64!' } }, 400],
            [{ body: { cardData: smallCard('Bad'), image: Buffer.from('GIF89a').toString('base64') } }, 400],
            [{ body: { cardData: smallCard('Bad'), image: fixturePng.subarray(0, 5000).toString('base64') } }, 400],
            [{ body: { cardData: smallCard('Bad'), overwrite: 'yes' } }, 400],
            [{ body: { cardData: smallCard('Bad'), filename: 42 } }, 400],
            [{ body: { cardData: smallCard('Bad'), filename: 'CON' } }, 400],
            [{ body: { cardData: smallCard('Bad'), filename: '???' } }, 400],
            [{ body: { cardData: smallCard('Bad'), user: 'someone-else' } }, 403],
        ];
        for (const [request, status] of cases) {
            const r = request.raw
                ? await client.plugin('POST', '/sync/import', request.raw, { raw: true, headers: request.headers })
                : await client.plugin('POST', '/sync/import', request.body);
            assert.equal(r.status, status, `${JSON.stringify(request).slice(0, 120)} -> ${r.status} ${r.text}`);
            assert.equal(typeof r.json?.error, 'string', r.text);
        }
        assert.equal(fs.readdirSync(ST_CHARACTERS).some(f => f.startsWith('Bad') || f.startsWith('CON')), false);
    });

    await check('/cards lists every card once with the raw stored JSON SillyTavern reports', async () => {
        const r = await client.plugin('GET', '/cards');
        assert.equal(r.status, 200, r.text);
        const all = await client.characters();
        const files = fs.readdirSync(ST_CHARACTERS).filter(f => f.endsWith('.png')).sort();
        assert.deepEqual(r.json.cards.map(c => c.file), files);
        assert.deepEqual(r.json.skipped, []);
        for (const card of r.json.cards) {
            const st = listed(all, card.file);
            assert.equal(st.length, 1, card.file);
            assert.equal(card.json, st[0].json_data, card.file);
            assert.equal(card.name, st[0].data.name);
            const stat = fs.statSync(path.join(ST_CHARACTERS, card.file));
            assert.equal(card.size, stat.size);
            assert.equal(card.mtime, Math.trunc(stat.mtimeMs));
        }
        return `${r.json.cards.length} cards`;
    });

    await check('/cards reports a PNG without a card under skipped', async () => {
        fs.copyFileSync(path.join(ST_DIR, 'public/img/ai4.png'), path.join(ST_CHARACTERS, 'plain.png'));
        const r = await client.plugin('GET', '/cards');
        assert.deepEqual(r.json.skipped, [{ file: 'plain.png', error: 'no character card in this PNG' }]);
        fs.rmSync(path.join(ST_CHARACTERS, 'plain.png'));
    });

    await check('/cards/:file returns the stored bytes and JSON', async () => {
        const name = 'Ünïcødé 角色 🐉.png';
        const r = await client.plugin('GET', `/cards/${encodeURIComponent(name)}`);
        assert.equal(r.status, 200, r.text);
        const stored = fs.readFileSync(path.join(ST_CHARACTERS, name));
        assert.ok(Buffer.from(r.json.image, 'base64').equals(stored));
        assert.equal(r.json.file, name);
        assert.equal(r.json.json, textChunks(stored).texts.ccv3);
        assert.equal(r.json.mtime, Math.trunc(fs.statSync(path.join(ST_CHARACTERS, name)).mtimeMs));
        const missing = await client.plugin('GET', '/cards/Nobody.png');
        assert.equal(missing.status, 404);
    });

    await check('DELETE moves the card into the trash folder', async () => {
        const stored = fs.readFileSync(path.join(ST_CHARACTERS, 'Seraphina_1.png'));
        const r = await client.plugin('DELETE', '/cards/Seraphina_1.png');
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.success, true);
        assert.match(r.json.trashed, /^cforge-trash\/.+_Seraphina_1\.png$/);
        assert.equal(fs.existsSync(path.join(ST_CHARACTERS, 'Seraphina_1.png')), false);
        assert.ok(fs.readFileSync(path.join(ST_ROOT, 'data/default-user', r.json.trashed)).equals(stored));
        assert.equal(listed(await client.characters(), 'Seraphina_1.png').length, 0);
        const again = await client.plugin('DELETE', '/cards/Seraphina_1.png');
        assert.equal(again.status, 404);
    });

    await check('DELETE needs the CSRF token too', async () => {
        const r = await anonymous.plugin('DELETE', '/cards/Seraphina.png');
        assert.equal(r.status, 403);
        assert.ok(fs.existsSync(path.join(ST_CHARACTERS, 'Seraphina.png')));
    });
}

async function tokenScenario() {
    await check('without the token every route answers 401 with WWW-Authenticate', async () => {
        const anonymous = new Client({ csrf: false });
        for (const [method, route] of [['GET', '/probe'], ['GET', '/cards'], ['GET', '/cards/x.png'], ['POST', '/sync/import'], ['DELETE', '/cards/x.png']]) {
            const r = await anonymous.plugin(method, route, method === 'POST' ? { cardData: smallCard('NoToken') } : undefined);
            assert.equal(r.status, 401, `${method} ${route} -> ${r.status}`);
            assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="cforge"');
            assert.equal(typeof r.json.error, 'string');
        }
        assert.equal(fs.existsSync(path.join(ST_CHARACTERS, 'NoToken.png')), false);
    });
    await check('a wrong token: 401', async () => {
        const r = await new Client({ csrf: false, token: `${CFORGE_TOKEN}x` }).plugin('GET', '/probe');
        assert.equal(r.status, 401);
    });
    const client = new Client({ csrf: false, token: CFORGE_TOKEN });
    await check('with the bearer token (and CSRF off) probe, import and list work', async () => {
        assert.equal((await client.plugin('GET', '/probe')).status, 200);
        const r = await client.plugin('POST', '/sync/import', { cardData: smallCard('Tokened') });
        assert.equal(r.status, 200, r.text);
        const cards = await client.plugin('GET', '/cards');
        assert.deepEqual(cards.json.cards.map(c => c.file), ['Tokened.png']);
        assert.equal(listed(await client.characters(), 'Tokened.png').length, 1);
    });
    await check('the token also works as X-CForge-Token', async () => {
        const r = await new Client({ csrf: false, token: CFORGE_TOKEN, tokenHeader: 'x-cforge-token' }).plugin('GET', '/probe');
        assert.equal(r.status, 200);
    });
}

async function basicScenario() {
    await check('without Basic credentials SillyTavern answers 401 before the plugin', async () => {
        const r = await new Client({ csrf: false, token: CFORGE_TOKEN, tokenHeader: 'x-cforge-token' }).plugin('GET', '/probe');
        assert.equal(r.status, 401);
        assert.match(r.headers.get('www-authenticate'), /^Basic/);
    });
    await check('Basic credentials without the plugin token: 401 from the plugin', async () => {
        const r = await new Client({ csrf: false, basic: ST_BASIC }).plugin('GET', '/probe');
        assert.equal(r.status, 401);
        assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="cforge"');
    });
    await check('Basic credentials + X-CForge-Token + CSRF token: import works', async () => {
        const client = await new Client({ basic: ST_BASIC, token: CFORGE_TOKEN, tokenHeader: 'x-cforge-token' }).start();
        const r = await client.plugin('POST', '/sync/import', { cardData: smallCard('Basic Bob'), overwrite: true });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.filename, 'Basic Bob.png');
        assert.equal(listed(await client.characters(), 'Basic Bob.png').length, 1);
    });
}

const scenarios = { csrf: csrfScenario, token: tokenScenario, basic: basicScenario };
if (!scenarios[scenario]) {
    console.error(`usage: node cforge_plugin.mjs ${Object.keys(scenarios).join('|')}`);
    process.exit(2);
}
await scenarios[scenario]();
console.log(`# ${scenario}: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
