// The built app's bytes: precompression and the size budget.
//
//   node scripts/assets.mjs compress <dir>  writes <file>.br and <file>.gz beside
//                                           every text and wasm asset, for the
//                                           server's precompressed serving
//   node scripts/assets.mjs sizes <dir>     prints the link page's critical path
//                                           (raw, gzip, Brotli) as JSON
//   node scripts/assets.mjs budget <dir>    fails when the critical path is over
//                                           the ceilings in perf-budget.json
//
// Brotli quality 11 and gzip level 9, the levels the precompressed files use,
// so the figures are the bytes a phone downloads. 1 KB = 1000 bytes.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const COMPRESSIBLE = /\.(wasm|js|css|html|svg|json)$/;

/** Brotli at quality 11 (what the server serves from `.br`). */
export function brotli(buf) {
  return brotliCompressSync(buf, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: buf.length,
    },
  });
}

/** gzip at level 9 (what the server serves from `.gz`). */
export function gzip(buf) {
  return gzipSync(buf, { level: 9 });
}

/** Every file under `dir`, recursively. */
function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

/** Writes `.br` and `.gz` beside each compressible asset of `dir`. */
function compress(dir) {
  for (const f of files(dir)) {
    // index.html is served by the app route (with its CSP), not from disk.
    if (!COMPRESSIBLE.test(f) || f.endsWith('index.html')) continue;
    const buf = readFileSync(f);
    writeFileSync(`${f}.br`, brotli(buf));
    writeFileSync(`${f}.gz`, gzip(buf));
  }
}

/** The files a connect link page needs before it can render, by kind. */
export function criticalPath(dir) {
  const names = readdirSync(dir);
  const pick = (re) => {
    const n = names.find((x) => re.test(x));
    if (!n) throw new Error(`${dir}: no file matches ${re}; run scripts/build first`);
    return { file: n, buf: readFileSync(join(dir, n)) };
  };
  return {
    html: pick(/^index\.html$/),
    css: pick(/\.css$/),
    js: pick(/^druo-link-[0-9a-f]+\.js$/),
    wasm: pick(/_bg\.wasm$/),
  };
}

/** Raw, gzip and Brotli bytes of each critical asset and their total. */
export function sizes(dir) {
  const out = {};
  const total = { raw: 0, gzip: 0, brotli: 0 };
  for (const [kind, { file, buf }] of Object.entries(criticalPath(dir))) {
    const row = { file, raw: buf.length, gzip: gzip(buf).length, brotli: brotli(buf).length };
    out[kind] = row;
    for (const k of Object.keys(total)) total[k] += row[k];
  }
  out.total = total;
  return out;
}

/** Fails (exit 1) when a Brotli figure is over its ceiling. */
function budget(dir) {
  const b = JSON.parse(readFileSync(join(ROOT, 'perf-budget.json'), 'utf8'));
  const s = sizes(dir);
  const checks = [
    ['wasm', s.wasm.brotli, b.ceiling.wasm, b.issue7.wasm],
    ['critical path', s.total.brotli, b.ceiling.critical, b.issue7.critical],
  ];
  let failed = false;
  for (const [what, got, ceiling, target] of checks) {
    const over = got > ceiling;
    failed ||= over;
    console.log(
      `${over ? 'OVER' : 'ok  '} ${what}: ${got} B Brotli; ceiling ${ceiling} B` +
        ` (${got <= target ? 'within' : `${got - target} B over`} issue 7's ${target} B)`,
    );
  }
  if (failed) {
    console.error('A size regression: find it with twiggy (docs/performance.md), or raise the ceiling in perf-budget.json with a reason.');
    process.exit(1);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [cmd, dir] = process.argv.slice(2);
  if (!dir) {
    console.error('usage: node scripts/assets.mjs compress|sizes|budget <dist dir>');
    process.exit(2);
  }
  if (cmd === 'compress') compress(dir);
  else if (cmd === 'sizes') console.log(JSON.stringify(sizes(dir), null, 2));
  else if (cmd === 'budget') budget(dir);
  else {
    console.error(`unknown command ${cmd}`);
    process.exit(2);
  }
}
