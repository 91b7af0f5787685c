// Unit tests of the CForge plugin's modules (no SillyTavern needed): node --test this file.
import test from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const plugin = new URL('../integrations/sillytavern-cforge/', import.meta.url);
const png = await import(new URL('png.mjs', plugin));
const names = await import(new URL('names.mjs', plugin));

function tinyPng(...extra) {
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(1, 0);
    ihdr.writeUInt32BE(1, 4);
    ihdr[8] = 8;
    return png.encodeChunks([{ type: 'IHDR', data: ihdr }, ...extra,
        { type: 'IDAT', data: zlib.deflateSync(Buffer.from([0, 0])) }, { type: 'IEND', data: Buffer.alloc(0) }]);
}

test('the table CRC-32 equals zlib\'s', () => {
    for (const text of ['', 'IEND', 'The quick brown fox', 'ü'.repeat(1000)]) {
        const bytes = Buffer.from(text);
        assert.equal(png.crc32Fallback(bytes), zlib.crc32 ? zlib.crc32(bytes) : png.crc32(bytes));
        assert.equal(png.crc32Fallback(bytes.subarray(2), png.crc32Fallback(bytes.subarray(0, 2))), png.crc32Fallback(bytes));
    }
});

test('embedCard replaces every chara/ccv3 chunk, keeps the rest, and is idempotent', () => {
    const source = tinyPng(png.textChunk('Chara', 'old'), png.textChunk('Comment', 'keep me'), png.textChunk('CCV3', 'old'));
    const json = JSON.stringify({ spec: 'chara_card_v2', spec_version: '2.0', data: { name: 'Ünï 🐉' } });
    const once = png.embedCard(source, json);
    const chunks = png.parseChunks(once);
    assert.deepEqual(chunks.map(c => c.type), ['IHDR', 'tEXt', 'IDAT', 'tEXt', 'tEXt', 'IEND']);
    assert.equal(chunks[1].data.toString('latin1'), 'Comment\0keep me');
    assert.equal(png.cardText(chunks), JSON.stringify({ spec: 'chara_card_v3', spec_version: '3.0', data: { name: 'Ünï 🐉' } }));
    assert.ok(png.embedCard(once, json).equals(once));
    assert.equal(png.cardTextOfBytes(once), png.cardText(chunks));
});

test('parseChunks refuses what is not a sound PNG', () => {
    const good = tinyPng();
    assert.throws(() => png.parseChunks(Buffer.from('GIF89a')), png.PngError);
    assert.throws(() => png.parseChunks(good.subarray(0, good.length - 6)), png.PngError);
    const badCrc = Buffer.from(good);
    badCrc[30] ^= 1;
    assert.throws(() => png.parseChunks(badCrc), /CRC/);
});

test('readCardFile reads the card of a file and null for a PNG without one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cforge-unit-'));
    try {
        fs.writeFileSync(path.join(dir, 'a.png'), png.embedCard(tinyPng(), '{"spec":"chara_card_v2","data":{"name":"A"}}'));
        fs.writeFileSync(path.join(dir, 'b.png'), tinyPng());
        fs.writeFileSync(path.join(dir, 'c.png'), 'not a png');
        assert.match(await png.readCardFile(path.join(dir, 'a.png')), /"chara_card_v3"/);
        assert.equal(await png.readCardFile(path.join(dir, 'b.png')), null);
        await assert.rejects(png.readCardFile(path.join(dir, 'c.png')), png.PngError);
    } finally {
        fs.rmSync(dir, { recursive: true });
    }
});

test('import names are sanitized the way SillyTavern sanitizes names', () => {
    const cases = {
        'Alice': 'Alice', 'Alice.png': 'Alice', 'Alice.PNG': 'Alice', 'sub/dir/Alice': 'Alice', 'C:\\x\\Alice': 'Alice',
        'A:B?C*<x>| "q".': 'ABCx q', 'Ünïcødé 角色 🐉': 'Ünïcødé 角色 🐉', 'tab\there': 'tabhere',
        'trailing. . ': 'trailing', '.hidden': '.hidden', 'CONSOLE': 'CONSOLE', 'com10': 'com10',
    };
    for (const [input, expected] of Object.entries(cases)) assert.equal(names.importBaseName(input), expected, input);
    for (const bad of ['..', '../x', 'a/../b', '..\\x', 'x\0y', '', '...', 'CON', 'lpt1.png', 'nul.txt', 'con.txt.bak', '???', '/']) {
        assert.throws(() => names.importBaseName(bad), names.NameError, JSON.stringify(bad));
    }
    const long = names.importBaseName('🐉'.repeat(100));
    assert.equal(Buffer.byteLength(long), 240);
    assert.equal(long, '🐉'.repeat(60));
});

// The same rules as SillyTavern's sanitize-filename, checked against it when it is installed.
const sanitizeModule = path.join(process.env.CHARCHIVE_BUILD_DIR ?? 'build', 'sillytavern/st/node_modules/sanitize-filename/index.js');
test('sanitizeName agrees with SillyTavern\'s sanitize-filename', { skip: !fs.existsSync(sanitizeModule) && 'SillyTavern not installed' }, async () => {
    const { createRequire } = await import('node:module');
    const sanitize = createRequire(import.meta.url)(path.resolve(sanitizeModule));
    const samples = ['Alice', 'A/B:C?*<x>| "q".', 'Ünïcødé 角色 🐉', '..', '.', '...', ' . ', 'CON', 'con.txt', 'Com1', 'LPT9.x',
        'CONSOLE', 'a\u0001b\u0085c\u009fd', 'x\ty\nz', 'dots...', 'space  ', ' lead', '%2e%2e', 'emoji 🐉🐉', 'tab\t.',
        'a:b', 'pipe|', 'quote"', '<>', 'ok-_.,;=+!@#$%^&()[]{}~`\'', '\u00a0nbsp\u00a0', 'zero\u200bwidth'];
    for (let code = 0; code < 0x250; code++) samples.push(`x${String.fromCharCode(code)}y`, String.fromCharCode(code));
    for (const sample of samples) assert.equal(names.sanitizeName(sample), sanitize(sample), JSON.stringify(sample));
});

test('stored names must be plain .png names', () => {
    assert.equal(names.storedCardPath('/data/characters', 'Ünï 角色.png'), '/data/characters/Ünï 角色.png');
    assert.equal(names.storedCardPath('/data/characters', '100%.png'), '/data/characters/100%.png');
    assert.equal(names.storedCardPath('/data/characters', 'a..b.png'), '/data/characters/a..b.png');
    for (const bad of ['', '.', '..', '../x.png', 'a/b.png', 'a\\b.png', 'x\0.png', '%2e%2e', '..%2fx.png', '%5cx.png',
        'x.txt', 'x.png.txt', `${'a'.repeat(252)}.png`]) {
        assert.throws(() => names.storedCardPath('/data/characters', bad), names.NameError, JSON.stringify(bad));
    }
});
