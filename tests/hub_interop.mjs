// HTTP Signatures and ActivityPub interop between a running charchive hub node and the
// ecosystem's library, @character-foundry/federation (npm, installed by
// scripts/install-reference.sh). This script is a remote actor on loopback with a key,
// an actor document and an inbox of its own.
//
// usage: node hub_interop.mjs BASE TOKEN REFERENCE_DIR
// BASE is a `charchive serve --public-url BASE` with published cards. Prints one
// "ok - …" / "FAILED - …" line per check; exits 1 when one failed.
import crypto from 'node:crypto';
import http from 'node:http';

const [, , BASE, TOKEN, REF] = process.argv;
const fed = await import(`${REF}/node_modules/@character-foundry/federation/dist/index.js`);
process.env.FEDERATION_ENABLED = 'true';
fed.enableFederation();

let failed = 0;
function check(name, ok, detail = '') {
  console.log(`${ok ? 'ok' : 'FAILED'} - ${name}${ok || !detail ? '' : `: ${detail}`}`);
  if (!ok) failed++;
}

const keys = () => crypto.generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const mine = keys();
const stranger = keys();

// The remote actor: its document and an inbox that keeps what arrives.
const received = [];
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', () => {
    if (req.method === 'GET' && req.url === '/actor') {
      res.setHeader('Content-Type', 'application/activity+json');
      res.end(JSON.stringify(actorDoc));
      return;
    }
    if (req.method === 'POST' && req.url === '/inbox') {
      received.push({ headers: req.headers, body, path: req.url });
      res.statusCode = 202;
      res.end('{}');
      return;
    }
    res.statusCode = 404;
    res.end();
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const ME = `http://127.0.0.1:${server.address().port}`;
const actorDoc = {
  '@context': ['https://www.w3.org/ns/activitystreams', 'https://w3id.org/security/v1'],
  id: `${ME}/actor`, type: 'Person', preferredUsername: 'tester', inbox: `${ME}/inbox`,
  publicKey: { id: `${ME}/actor#main-key`, owner: `${ME}/actor`, publicKeyPem: mine.publicKey },
};

const host = new URL(BASE).host;
const api = async (path) => (await fetch(`${BASE}${path}`, { headers: { Authorization: `Bearer ${TOKEN}` } })).json();
const isFollower = async () => (await api('/api/hub')).followers.some((f) => f.actor === actorDoc.id);

// Our own signer, for requests the library will not make (an old Date, fewer headers,
// another Host, another key id).
function sign({ body, date = new Date().toUTCString(), key = mine.privateKey, headers = '(request-target) host date digest', digest, forHost = host, keyId = actorDoc.publicKey.id }) {
  const values = { '(request-target)': 'post /ap/inbox', host: forHost, date, digest: digest ?? `SHA-256=${crypto.createHash('sha256').update(body).digest('base64')}` };
  const signing = headers.split(' ').map((h) => `${h}: ${values[h]}`).join('\n');
  const signature = crypto.sign('sha256', Buffer.from(signing), key).toString('base64');
  return {
    Host: forHost, Date: date, Digest: values.digest, 'Content-Type': 'application/activity+json',
    Signature: `keyId="${keyId}",algorithm="rsa-sha256",headers="${headers}",signature="${signature}"`,
  };
}
const post = (body, headers) => fetch(`${BASE}/ap/inbox`, { method: 'POST', body, headers });
// A POST that carries exactly these headers, Host included (fetch sets its own Host).
const postAs = (body, headers) => new Promise((resolve, reject) => {
  const url = new URL(`${BASE}/ap/inbox`);
  const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { ...headers, 'Content-Length': Buffer.byteLength(body) } }, (res) => {
    let text = '';
    res.on('data', (c) => { text += c; });
    res.on('end', () => resolve({ status: res.statusCode, text }));
  });
  req.on('error', reject);
  req.end(body);
});
const followBody = () => JSON.stringify({
  '@context': 'https://www.w3.org/ns/activitystreams', id: `${ME}/follows/${crypto.randomUUID()}`,
  type: 'Follow', actor: actorDoc.id, object: `${BASE}/ap/actor`,
});

// Refused: 401, and nothing stored. Each case: the headers for the body, and the body sent.
const tamper = (b) => b.replace('"type":"Follow"', '"type":"Follow","summary":"tampered"');
const sha = (b) => `SHA-256=${crypto.createHash('sha256').update(b).digest('base64')}`;
const refusals = [
  ['no signature', () => ({ 'Content-Type': 'application/activity+json', Date: new Date().toUTCString() })],
  ['signed with a key that is not the actor\'s', (b) => sign({ body: b, key: stranger.privateKey })],
  ['a tampered body (Digest mismatch)', (b) => sign({ body: b }), tamper],
  ['a tampered body with a matching Digest (signature mismatch)', (b) => ({ ...sign({ body: b }), Digest: sha(tamper(b)) }), tamper],
  ['a stale Date (10 minutes old)', (b) => sign({ body: b, date: new Date(Date.now() - 600e3).toUTCString() })],
  ['a signature that does not cover the Digest', (b) => sign({ body: b, headers: '(request-target) host date' })],
];
for (const [name, headersFor, bodyFor = (b) => b] of refusals) {
  const body = followBody();
  const res = await post(bodyFor(body), headersFor(body));
  const answer = await res.json().catch(() => ({}));
  check(`refused with 401: ${name}`, res.status === 401 && typeof answer.error === 'string', `HTTP ${res.status} ${JSON.stringify(answer)}`);
}
// Signed correctly, but for another node's Host: a request that node could replay to us.
{
  const b = followBody();
  const res = await postAs(b, sign({ body: b, forHost: 'other.example' }));
  check('refused with 401: a request signed for Host other.example', res.status === 401 && JSON.parse(res.text).kind === 'wrong_host', `HTTP ${res.status} ${res.text}`);
}
// The signer's key is on a host that does not answer: the sender is not told our fetch error.
{
  const gone = 'http://127.0.0.1:1/actor';
  const b = JSON.stringify({ ...JSON.parse(followBody()), actor: gone });
  const res = await post(b, sign({ body: b, keyId: `${gone}#main-key` }));
  const text = await res.text();
  check('a refusal tells the sender only that the signature was not verified, no address or error',
    res.status === 401 && JSON.parse(text).error === 'signature not verified' && !text.includes('127.0.0.1') && !/refused|connect/i.test(text),
    `HTTP ${res.status} ${text}`);
}
check('nothing was stored by the refused requests', !(await isFollower()));

// Accepted: a Follow signed by the library's own signer.
const body = followBody();
const digest = await fed.calculateDigest(body);
const signed = await fed.signRequest({ method: 'POST', path: '/ap/inbox', host, keyId: actorDoc.publicKey.id, privateKeyPem: mine.privateKey, digest });
const headers = { Host: host, Date: signed.date, Digest: digest, Signature: signed.signature, 'Content-Type': 'application/activity+json' };
const first = await post(body, headers);
const firstAnswer = await first.json().catch(() => ({}));
check('a Follow signed by @character-foundry/federation\'s signRequest is taken and held for the owner (auto-accept is off)',
  first.status === 202 && firstAnswer.status === 'pending', `HTTP ${first.status} ${JSON.stringify(firstAnswer)}`);
check('the follower is stored, pending', (await api('/api/hub')).followers.some((f) => f.actor === actorDoc.id && f.state === 'pending'));
const replay = await post(body, headers);
check('the same signed request again is a replay: 401', replay.status === 401, `HTTP ${replay.status}`);
// The owner accepts us; the node publishes its cards now: its followers (us) get them as Creates.
const apiSend = (method, path, payload) => fetch(`${BASE}${path}`, { method, headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' }, body: payload === undefined ? undefined : JSON.stringify(payload) });
const accepted0 = await apiSend('POST', '/api/hub/followers/accept', { actor: actorDoc.id });
check('the owner accepts the follower', accepted0.status === 200 && (await api('/api/hub')).followers.some((f) => f.actor === actorDoc.id && f.state === 'accepted'));
await fetch(`${BASE}/api/hub`, { method: 'PUT', headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' }, body: '{"publish_all": true}' });

// What the node sends us, verified by the library in strict mode.
const fetchActor = async (id) => (await fetch(id, { headers: { Accept: 'application/activity+json' } })).json();
const deadline = Date.now() + 15000;
while (Date.now() < deadline && !(received.some((r) => JSON.parse(r.body).type === 'Accept') && received.some((r) => JSON.parse(r.body).type === 'Create'))) {
  await new Promise((r) => setTimeout(r, 200));
}
const accept = received.find((r) => JSON.parse(r.body).type === 'Accept');
check('the node delivers a signed Accept of the Follow', !!accept);
if (accept) {
  const activity = JSON.parse(accept.body);
  const verdict = await fed.validateHttpSignature(activity, new Headers(accept.headers),
    { strictMode: true, fetchActor, method: 'POST', path: accept.path });
  check('validateHttpSignature (strict) verifies the node\'s signature', verdict.valid === true, JSON.stringify(verdict));
}
const creates = received.filter((r) => JSON.parse(r.body).type === 'Create');
check('the node delivers its published cards to the new follower as Creates', creates.length >= 3, `${creates.length} Creates`);
let accepted = 0;
const cards = [];
for (const r of creates) {
  const result = await fed.handleInbox(JSON.parse(r.body), new Headers(r.headers), {
    strictMode: true, fetchActor, rawBody: r.body, method: 'POST', path: r.path,
    onCreate: async (a) => { cards.push(fed.cardFromActivityPub(a.object)); },
  });
  if (result.accepted) accepted++;
  else console.log(`  handleInbox: ${result.error}`);
}
check('handleInbox (strict) accepts every delivered Create', accepted === creates.length && accepted > 0, `${accepted}/${creates.length}`);
check('cardFromActivityPub reads each delivered card as CCv3', cards.length === accepted && cards.length > 0 && cards.every((c) => c.spec === 'chara_card_v3' && c.data.name));

// The outbox, the actor and WebFinger through the library's parsers and handlers.
const outbox = await fetchActor(`${BASE}/ap/outbox?page=1`);
let parsed = 0;
for (const item of outbox.orderedItems) {
  const activity = fed.parseActivity(item);
  const card = fed.cardFromActivityPub(activity.object);
  if (card.data.name === activity.object.name && activity.actor === `${BASE}/ap/actor`) parsed++;
}
check('parseActivity + cardFromActivityPub read every outbox item', parsed === outbox.orderedItems.length && parsed >= 3, `${parsed}/${outbox.orderedItems.length}`);
const actor = await fetchActor(`${BASE}/ap/actor`);
const handled = fed.handleActor({ actor });
check('handleActor serves our actor with its key', handled.id === actor.id && handled.publicKey.publicKeyPem === actor.publicKey.publicKeyPem);
const finger = fed.handleWebFinger(`acct:archive@${host}`, { actor });
const ours = await (await fetch(`${BASE}/.well-known/webfinger?resource=acct:archive@${host}`)).json();
check('handleWebFinger and our WebFinger agree', finger && finger.subject === ours.subject && finger.links[0].href === ours.links[0].href);

// An Install notification is counted for the card.
const cardUrl = outbox.orderedItems[0].object.id;
const cardId = cardUrl.split('/').pop();
const install = JSON.stringify({ '@context': 'https://www.w3.org/ns/activitystreams', id: `${ME}/installs/${crypto.randomUUID()}`, type: 'Install', actor: actorDoc.id, object: cardUrl });
const installed = await post(install, sign({ body: install }));
check('a signed Install is accepted and counted', installed.status === 202 && (await api(`/api/hub/cards/${cardId}`)).installs === 1);

// A follower writes: an Update of the node's own card is kept as a suggestion, never applied.
const ourNote = outbox.orderedItems[0].object;
const before = await api(`/api/cards/${cardId}`);
const versionsBefore = (await api(`/api/cards/${cardId}/versions`)).versions.length;
const edited = JSON.parse(ourNote.content);
edited.data.description = 'rewritten by a follower';
const update = JSON.stringify({ '@context': 'https://www.w3.org/ns/activitystreams', id: `${ME}/updates/${crypto.randomUUID()}`, type: 'Update', actor: actorDoc.id, object: { ...ourNote, content: JSON.stringify(edited) } });
const updated = await post(update, sign({ body: update }));
const updatedAnswer = await updated.json().catch(() => ({}));
const after = await api(`/api/cards/${cardId}`);
check('a follower\'s Update of the node\'s card is taken as a suggestion', updated.status === 202 && updatedAnswer.status === 'suggested', `HTTP ${updated.status} ${JSON.stringify(updatedAnswer)}`);
check('the card is unchanged: same content, no new version', after.content_hash === before.content_hash && after.data.description !== 'rewritten by a follower' &&
  (await api(`/api/cards/${cardId}/versions`)).versions.length === versionsBefore);
const suggestions = (await api(`/api/hub/suggestions?card=${cardId}`)).suggestions;
check('the owner sees the suggestion with its content and actor', suggestions.length === 1 && suggestions[0].actor === actorDoc.id && suggestions[0].card.data.description === 'rewritten by a follower', JSON.stringify(suggestions));
if (suggestions.length === 1) {
  const dismissed = await apiSend('DELETE', `/api/hub/suggestions/${suggestions[0].id}`);
  check('the owner dismisses it', dismissed.status === 200 && (await api('/api/hub/suggestions')).suggestions.length === 0);
}
// A follower the node does not follow cannot make it import a card.
const total = (await api('/api/cards')).total;
const create = JSON.stringify({ '@context': 'https://www.w3.org/ns/activitystreams', id: `${ME}/creates/${crypto.randomUUID()}`, type: 'Create', actor: actorDoc.id, object: { ...ourNote, id: `${ME}/cards/1`, attributedTo: actorDoc.id } });
const created = await post(create, sign({ body: create }));
const createdAnswer = await created.json().catch(() => ({}));
check('a Create from a follower the node does not follow is refused (403 not_followed), nothing imported',
  created.status === 403 && createdAnswer.kind === 'not_followed' && (await api('/api/cards')).total === total, `HTTP ${created.status} ${JSON.stringify(createdAnswer)}`);

server.close();
process.exit(failed ? 1 : 0);
