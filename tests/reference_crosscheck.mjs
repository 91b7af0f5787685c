// Cross-check: for each card file given, the reference parser
// (@character-foundry/character-foundry loader's parseCard) and `charchive info --json`
// must agree on the name and the main text fields. Prints one line per file and
// a closing "N passed, N failed" line; exits 1 on any disagreement. A file only
// we can read (the reference ignores zTXt) is noted, not counted.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const [binary, referenceDir, ...files] = process.argv.slice(2);
const require = createRequire(resolve(referenceDir, 'package.json'));
const { parseCard } = require('@character-foundry/character-foundry/loader');

const TEXT_FIELDS = ['name', 'description', 'personality', 'scenario', 'first_mes', 'mes_example',
  'creator_notes', 'system_prompt', 'post_history_instructions'];

let passed = 0;
let failed = 0;
for (const file of files) {
  const ours = JSON.parse(execFileSync(binary, ['info', file, '--json'], { encoding: 'utf8' }));
  let ref;
  try {
    ref = parseCard(new Uint8Array(readFileSync(file))).card.data;
  } catch (e) {
    // A card only we can read is not a disagreement; say so and go on.
    console.log(`note - reference cannot read ${file} (${e.message}); ours reads "${ours.name}"`);
    continue;
  }
  const problems = [];
  for (const field of TEXT_FIELDS) {
    const mine = field === 'name' ? ours.name : (ours.fields[field] ?? '');
    const theirs = ref[field] ?? '';
    if (mine !== theirs) problems.push(`${field}: ours ${JSON.stringify(mine).slice(0, 60)} vs reference ${JSON.stringify(theirs).slice(0, 60)}`);
  }
  const refGreetings = (ref.alternate_greetings ?? []).length;
  if (ours.greetings !== refGreetings) problems.push(`alternate greetings: ours ${ours.greetings} vs reference ${refGreetings}`);
  const refEntries = (ref.character_book?.entries ?? []).length;
  if (ours.lorebook_entries !== refEntries) problems.push(`lorebook entries: ours ${ours.lorebook_entries} vs reference ${refEntries}`);
  if (problems.length === 0) {
    passed++;
    console.log(`ok - ${file}`);
  } else {
    failed++;
    console.log(`FAILED - ${file}\n  ${problems.join('\n  ')}`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
