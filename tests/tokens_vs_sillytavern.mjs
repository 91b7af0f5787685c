// Token counts of the UI (ui/src/tokens.tsx: cl100k_base from gpt-tokenizer, special-token text
// counted as plain text) against SillyTavern's own tokenizer endpoint for the same text
// (POST /api/tokenizers/openai/encode?model=gpt-4: tiktoken's cl100k_base, what SillyTavern
// counts with for OpenAI's GPT-4 and GPT-3.5). Run by tests/sillytavern_tokens_test.sh:
//   node tokens_vs_sillytavern.mjs UI_DIR BASE TOKEN ST_URL CARD_ID...
// For each card (read from the archive as the UI reads it), every field the UI counts and the
// UI's total and permanent counts must agree with SillyTavern's within 2 %. Prints each count.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [uiDir, BASE, TOKEN, ST, ...cards] = process.argv.slice(2);
// The module the UI imports, resolved from the UI's own dependencies.
const resolve = createRequire(path.join(uiDir, 'package.json')).resolve;
const { encode } = await import(pathToFileURL(resolve('gpt-tokenizer/encoding/cl100k_base')).href);
const ours = (text) => (text ? encode(text, { disallowedSpecial: new Set() }).length : 0);
const theirs = async (text) => {
  if (!text) return 0;
  const r = await fetch(`${ST}/api/tokenizers/openai/encode?model=gpt-4`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text }),
  });
  if (!r.ok) throw new Error(`SillyTavern answered ${r.status} to its tokenizer endpoint`);
  return (await r.json()).count;
};
// The fields the UI counts (ui/src/tokens.tsx COUNTED, then the character note), and whether permanent.
const COUNTED = [['name', true], ['description', true], ['personality', true], ['scenario', true], ['first_mes', false],
  ['mes_example', false], ['system_prompt', false], ['post_history_instructions', false]];
const within = (a, b) => Math.abs(a - b) <= Math.max(0, 0.02 * b);

let failed = 0;
const check = (label, a, b) => {
  const ok = within(a, b);
  if (!ok) failed++;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${label}: ours ${a}, SillyTavern ${b}`);
};
for (const id of cards) {
  const r = await fetch(`${BASE}/api/cards/${id}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  const { data } = await r.json();
  const fields = COUNTED.map(([f, p]) => [f, typeof data[f] === 'string' ? data[f] : '', p]);
  fields.push(['depth_prompt', data.extensions?.depth_prompt?.prompt ?? '', true]);
  const totals = { ours: 0, theirs: 0, oursPermanent: 0, theirsPermanent: 0 };
  for (const [field, text, permanent] of fields) {
    const [a, b] = [ours(text), await theirs(text)];
    if (text) check(`${data.name} ${field}`, a, b);
    totals.ours += a;
    totals.theirs += b;
    if (permanent) totals.oursPermanent += a, totals.theirsPermanent += b;
  }
  check(`${data.name} total`, totals.ours, totals.theirs);
  check(`${data.name} permanent`, totals.oursPermanent, totals.theirsPermanent);
  if (totals.theirs === 0) {
    failed++;
    console.log(`FAIL ${data.name}: nothing was counted`);
  }
}
console.log(failed ? `tokens_vs_sillytavern: ${failed} FAILED` : 'tokens_vs_sillytavern: all counts agree within 2 %');
process.exit(failed ? 1 : 0);
