// A stand-in for SillyTavern's push path (docs/peers.md "SillyTavern's native API"), for the
// browser tests: GET /version, GET /csrf-token (protection off), multipart
// POST /api/characters/import (field `avatar`, `preserved_name`), POST
// /api/characters/get {avatar_url} -> {json_data}, 404 for unknown names; plus
// POST /__edit {file, field, value}, which edits a stored card as a user of
// SillyTavern would. usage: node fake_sillytavern.mjs PORT_FILE
import http from 'node:http';
import fs from 'node:fs';

const cards = new Map(); // file name without .png -> card JSON text

function pngText(buf) {
  const texts = {};
  for (let at = 8; at + 12 <= buf.length; ) {
    const len = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    if (type === 'tEXt') {
      const body = buf.subarray(at + 8, at + 8 + len);
      const nul = body.indexOf(0);
      texts[body.toString('latin1', 0, nul).toLowerCase()] = body.toString('latin1', nul + 1);
    }
    at += 12 + len;
  }
  const b64 = texts.ccv3 ?? texts.chara;
  return b64 ? Buffer.from(b64, 'base64').toString('utf8') : null;
}

function multipart(req, body) {
  const boundary = /boundary=(.+)$/.exec(req.headers['content-type'] ?? '')?.[1];
  const parts = {};
  if (!boundary) return parts;
  const sep = Buffer.from(`--${boundary}`);
  let at = body.indexOf(sep);
  while (at >= 0) {
    const next = body.indexOf(sep, at + sep.length);
    if (next < 0) break;
    const part = body.subarray(at + sep.length + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    const head = part.toString('utf8', 0, split);
    const name = /name="([^"]+)"/.exec(head)?.[1];
    if (name) parts[name] = part.subarray(split + 4);
    at = next;
  }
  return parts;
}

const json = (res, status, value) => {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(value));
};

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    if (req.method === 'GET' && req.url === '/version') return json(res, 200, { agent: 'SillyTavern:1.19.0:Cohee#1207', pkgVersion: '1.19.0' });
    if (req.method === 'GET' && req.url === '/csrf-token') return json(res, 200, { token: 'disabled' });
    if (req.method === 'POST' && req.url === '/api/characters/import') {
      const parts = multipart(req, body);
      const text = parts.avatar && pngText(parts.avatar);
      if (!text) return json(res, 200, { error: true });
      let name = parts.preserved_name ? parts.preserved_name.toString('utf8').replace(/\.png$/, '') : JSON.parse(text).data?.name ?? 'card';
      if (!parts.preserved_name) while (cards.has(name)) name += '1';
      cards.set(name, text);
      return json(res, 200, { file_name: name });
    }
    if (req.method === 'POST' && req.url === '/api/characters/get') {
      const file = JSON.parse(body.toString('utf8')).avatar_url?.replace(/\.png$/, '');
      if (!cards.has(file)) { res.writeHead(404); return res.end('Not Found'); }
      return json(res, 200, { avatar: `${file}.png`, json_data: cards.get(file) });
    }
    if (req.method === 'POST' && req.url === '/api/characters/all') {
      return json(res, 200, [...cards].map(([name, text]) => ({ avatar: `${name}.png`, name, json_data: text })));
    }
    if (req.method === 'POST' && req.url === '/__add') {
      const text = body.toString('utf8');
      cards.set(JSON.parse(text).data.name, text);
      return json(res, 200, { ok: true });
    }
    if (req.method === 'GET' && req.url === '/__names') return json(res, 200, [...cards.keys()]);
    if (req.method === 'POST' && req.url === '/__edit') {
      const { file, field, value } = JSON.parse(body.toString('utf8'));
      const card = JSON.parse(cards.get(file));
      card.data[field] = value;
      cards.set(file, JSON.stringify(card));
      return json(res, 200, { ok: true });
    }
    res.writeHead(404);
    res.end('Not Found');
  });
});
// The port goes to PORT_FILE once listening, through a rename, so a reader never sees it half written.
server.listen(0, '127.0.0.1', () => {
  fs.writeFileSync(`${process.argv[2]}.tmp`, String(server.address().port));
  fs.renameSync(`${process.argv[2]}.tmp`, process.argv[2]);
});
