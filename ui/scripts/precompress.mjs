// Writes NAME.br (brotli, quality 11) and NAME.gz (gzip, level 9) beside each
// text file of the built UI (run by `npm run build` after Vite), so the server
// sends compressed bytes without compressing on each request
// (src/api/static_assets.h). A compressed form that is not smaller is not
// written; the server then sends the file as it is.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const COMPRESSIBLE = /\.(html|js|mjs|css|svg|json|txt|map|webmanifest)$/;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (COMPRESSIBLE.test(name)) yield path;
  }
}

const dist = process.argv[2] ?? 'dist';
let raw = 0;
let br = 0;
for (const path of files(dist)) {
  const bytes = readFileSync(path);
  const forms = {
    br: brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      },
    }),
    gz: gzipSync(bytes, { level: 9 }),
  };
  raw += bytes.length;
  br += Math.min(forms.br.length, bytes.length);
  for (const [ext, packed] of Object.entries(forms)) {
    if (packed.length < bytes.length) writeFileSync(`${path}.${ext}`, packed);
  }
}
console.log(`precompress: ${(raw / 1024).toFixed(0)} KiB of text, ${(br / 1024).toFixed(0)} KiB as brotli`);
