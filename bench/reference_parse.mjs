// The reference parser (@character-foundry/character-foundry loader's parseCard) in the
// same harness as bench/parse_bench.cc: the same corpus held in memory, the Seraphina
// fixture parsed again and again from one buffer, single-threaded, best of ROUNDS.
// Prints one JSON object per case, as parse_bench does.
// usage: node reference_parse.mjs REFERENCE_DIR CORPUS_DIR FIXTURE_PNG [ROUNDS [FIXTURE_ITERATIONS]]
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const [referenceDir, corpusDir, fixture, roundsArg, iterationsArg] = process.argv.slice(2);
const rounds = Math.max(1, Number(roundsArg ?? 3));
const iterations = Math.max(1, Number(iterationsArg ?? 2000));
const require = createRequire(resolve(referenceDir, 'package.json'));
const { parseCard } = require('@character-foundry/character-foundry/loader');

// Everything is read before any clock starts.
const corpus = readdirSync(corpusDir)
  .filter((f) => f.startsWith('card') && statSync(`${corpusDir}/${f}`).isFile())
  .sort()
  .map((f) => new Uint8Array(readFileSync(`${corpusDir}/${f}`)));
const seraphinaBytes = new Uint8Array(readFileSync(fixture));
const seraphina = Array.from({ length: iterations }, () => seraphinaBytes);

function best(inputs) {
  let result = null;
  for (let r = 0; r < rounds; r++) {
    let failed = 0;
    let bytes = 0;
    const start = process.hrtime.bigint();
    for (const input of inputs) {
      try {
        const name = parseCard(input).card.data.name;
        if (typeof name !== 'string' || name === '') failed++;
      } catch {
        failed++;
      }
      bytes += input.length;
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (!result || seconds < result.seconds) result = { seconds, failed, bytes, cards: inputs.length };
  }
  return result;
}

for (const [name, inputs] of [['corpus parse', corpus], ['seraphina parse', seraphina]]) {
  const m = best(inputs);
  console.log(JSON.stringify({ impl: 'reference', case: name, cards: m.cards, failed: m.failed,
    seconds: Number(m.seconds.toFixed(4)), cards_per_s: m.cards / m.seconds, mb_per_s: m.bytes / m.seconds / 1e6 }));
}
