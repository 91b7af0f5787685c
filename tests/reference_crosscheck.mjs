// Cross-check: for each card file given, the reference parser
// (@character-foundry/character-foundry loader's parseCard) and `charchive info --json`
// must agree on the name, creator, the main text fields, the number of alternate
// greetings and of lorebook entries. Prints one line per file and a closing
// "N passed, N failed" line; exits 1 on any disagreement or on a file either side
// cannot read.
//
// usage: node reference_crosscheck.mjs CHARCHIVE REFERENCE_DIR FILE[=PROXY]...
// With FILE=PROXY the reference reads PROXY (the same card in a form it can read) when,
// and only when, it cannot read FILE; the line says so.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const [binary, referenceDir, ...args] = process.argv.slice(2);
const require = createRequire(resolve(referenceDir, 'package.json'));
const { parseCard } = require('@character-foundry/character-foundry/loader');

const TEXT_FIELDS = ['description', 'personality', 'scenario', 'first_mes', 'mes_example',
  'creator_notes', 'system_prompt', 'post_history_instructions'];

function ours(file) {
  return JSON.parse(execFileSync(binary, ['info', file, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
}

function reference(file) {
  return parseCard(new Uint8Array(readFileSync(file))).card.data;
}

const show = (v) => JSON.stringify(v).slice(0, 70);

let passed = 0;
let failed = 0;
for (const arg of args) {
  const [file, proxy] = arg.split('=');
  let mine;
  try {
    mine = ours(file);
  } catch (e) {
    failed++;
    console.log(`FAILED - ${file}: charchive info failed: ${(e.stderr || e.message).toString().trim()}`);
    continue;
  }
  let theirs;
  let via = '';
  try {
    theirs = reference(file);
  } catch (e) {
    if (!proxy) {
      failed++;
      console.log(`FAILED - ${file}: the reference cannot read it (${e.message})`);
      continue;
    }
    try {
      theirs = reference(proxy);
      via = ` (the reference cannot read it: "${e.message}"; compared with its reading of ${proxy})`;
    } catch (e2) {
      failed++;
      console.log(`FAILED - ${file}: the reference reads neither it nor ${proxy} (${e2.message})`);
      continue;
    }
  }
  const problems = [];
  const compare = (what, a, b) => {
    if (a !== b) problems.push(`${what}: ours ${show(a)} vs reference ${show(b)}`);
  };
  compare('name', mine.name, theirs.name ?? '');
  compare('fields.name', mine.fields.name ?? '', theirs.name ?? '');
  compare('creator', mine.creator, theirs.creator ?? '');
  for (const field of TEXT_FIELDS) compare(field, mine.fields[field] ?? '', theirs[field] ?? '');
  compare('alternate greetings', mine.greetings, (theirs.alternate_greetings ?? []).length);
  compare('lorebook entries', mine.lorebook_entries, (theirs.character_book?.entries ?? []).length);
  if (problems.length === 0) {
    passed++;
    console.log(`ok - ${file}${via}`);
  } else {
    failed++;
    console.log(`FAILED - ${file}${via}\n  ${problems.join('\n  ')}`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
