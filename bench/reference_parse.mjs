// The reference parser (@character-foundry/character-foundry loader's parseCard)
// on the same corpus, in memory, single-threaded, best of ROUNDS: the same
// measurements as parse_bench.cc, as JSON lines.
// usage: node reference_parse.mjs REFERENCE_DIR CORPUS_DIR FIXTURE_PNG [ROUNDS]
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const [referenceDir, corpusDir, fixture, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 3);
const require = createRequire(resolve(referenceDir, 'package.json'));
const { parseCard } = require('@character-foundry/character-foundry/loader');

const corpus = readdirSync(corpusDir).filter((f) => f.startsWith('card')).sort().map((f) => new Uint8Array(readFileSync(`${corpusDir}/${f}`)));
const seraphinaBytes = new Uint8Array(readFileSync(fixture));
const seraphina = Array.from({ length: 2000 }, () => seraphinaBytes);

function best(files) {
  let result = null;
  for (let r = 0; r < rounds; r++) {
    let failed = 0;
    let bytes = 0;
    const start = process.hrtime.bigint();
    for (const f of files) {
      try {
        if (typeof parseCard(f).card.data.name !== 'string') failed++;
      } catch {
        failed++;
      }
      bytes += f.length;
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (!result || seconds < result.seconds) result = { seconds, failed, bytes, cards: files.length };
  }
  return result;
}

for (const [name, files] of [['corpus parse', corpus], ['seraphina parse', seraphina]]) {
  const m = best(files);
  console.log(JSON.stringify({ impl: 'reference', case: name, cards: m.cards, failed: m.failed,
    seconds: m.seconds, cards_per_s: m.cards / m.seconds, mb_per_s: m.bytes / m.seconds / 1e6 }));
}
