// The built app's bytes: precompression and the size budget.
//
//   node scripts/assets.mjs compress <dir>  writes <file>.br and <file>.gz beside
//                                           every text and wasm asset, for the
//                                           server's precompressed serving
//   node scripts/assets.mjs sizes <dir>     prints the link page's critical path
//                                           (raw, gzip, Brotli) as JSON
//   node scripts/assets.mjs budget <dir>    fails when the critical path is over
//                                           the ceilings in perf-budget.json
//   node scripts/assets.mjs loader <dir>    makes trunk's loader fetch the wasm
//                                           with its integrity (see below)
//
// Brotli quality 11 and gzip level 9, the levels the precompressed files use,
// so the figures are the bytes a phone downloads. 1 KB = 1000 bytes.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { createHash } from 'node:crypto';
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

/** The files a link page of the build in `dir` needs before it can render, by kind. */
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

/**
 * Rewrites trunk's loader in `<dir>/index.html` so the wasm is checked.
 *
 * trunk puts the wasm's SRI hash on a `<link rel=preload as=fetch>`, where
 * Chromium ignores it (and says so in the console), then loads the wasm by
 * URL: nothing checks its bytes. Here the preload goes, and the loader
 * starts `fetch(wasm, { integrity })` itself, at once and in parallel with
 * the JS glue (which keeps its checked `modulepreload`); wasm-bindgen's init
 * takes that Response and compiles it with `instantiateStreaming`. A wasm
 * whose bytes do not match is refused by the fetch, and the page shows the
 * shell's load-failed notice (`[data-load-failed]` in index.html) instead of
 * running it or going blank. The CSP's script hash follows by itself:
 * link-server hashes the inline scripts of the HTML it serves.
 */
function loader(dir) {
  const file = join(dir, 'index.html');
  const html = readFileSync(file, 'utf8');
  const script = html.match(/<script type=["']?module["']?>([\s\S]*?)<\/script>/);
  const glue = script?.[1].match(/from\s*'([^']+\.js)'/)?.[1];
  const wasm = script?.[1].match(/module_or_path:\s*'([^']+\.wasm)'/)?.[1];
  const preload = html.match(/<link[^>]*rel=["']?preload["']?[^>]*>/g)?.find((t) => t.includes('.wasm'));
  if (!glue || !wasm || !preload) throw new Error(`${file}: trunk's loader is not in the expected form`);
  const bytes = readFileSync(join(dir, wasm.slice(wasm.lastIndexOf('/') + 1)));
  const integrity = `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
  const code = [
    `const wasm = fetch('${wasm}', { integrity: '${integrity}' });`,
    'try {',
    `  const bindings = await import('${glue}');`,
    '  const instance = await bindings.default({ module_or_path: wasm });',
    '  window.wasmBindings = bindings;',
    "  dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm: instance } }));",
    '} catch (e) {',
    // The browser's first language we speak, by its primary subtag (the
    // rule of core::Lang::from_browser); Spanish, the shell's, otherwise.
    "  const lang = (navigator.languages || []).map((l) => l.slice(0, 2).toLowerCase()).find((l) => l === 'es' || l === 'en') || 'es';",
    // The shell's skeleton, or the first screen link-server rendered
    // (dead without its code): the notice takes its place.
    "  document.querySelectorAll('[data-load-pending], #main > :not([data-load-failed])').forEach((el) => { el.hidden = true; });",
    "  document.querySelectorAll('[data-load-failed]').forEach((el) => { el.hidden = false; });",
    "  document.querySelectorAll('[data-load-failed] > [lang]').forEach((el) => { el.hidden = el.lang !== lang; });",
    "  document.documentElement.lang = lang === 'en' ? 'en-US' : 'es-CO';",
    "  document.getElementById('main')?.removeAttribute('aria-busy');",
    "  document.querySelectorAll('[data-reload]').forEach((b) => b.addEventListener('click', () => location.reload()));",
    '}',
  ].join('\n');
  const out = html.replace(script[0], `<script type=module>${code}</script>`).replace(preload, '');
  writeFileSync(file, out);
}

/** Each link page's build directory under a dist (scripts/build). */
export const PAGE_DIRS = { connect: '.', checkout: 'checkout' };

/** Fails (exit 1) when a page's Brotli figure is over its ceiling. */
function budget(dir) {
  const b = JSON.parse(readFileSync(join(ROOT, 'perf-budget.json'), 'utf8'));
  let failed = false;
  for (const [page, sub] of Object.entries(PAGE_DIRS)) {
    const s = sizes(join(dir, sub));
    const ceiling = b.ceiling[page];
    const target = b.issue12[page];
    const checks = [
      ['wasm', s.wasm.brotli, ceiling.wasm, target.wasm],
      ['critical path', s.total.brotli, ceiling.critical, target.critical],
    ];
    for (const [what, got, max, goal] of checks) {
      const over = got > max;
      failed ||= over;
      console.log(
        `${over ? 'OVER' : 'ok  '} ${page} ${what}: ${got} B Brotli; ceiling ${max} B` +
          ` (${got <= goal ? 'within' : `${got - goal} B over`} issue 12's ${goal} B)`,
      );
    }
  }
  if (failed) {
    console.error('A size regression: find it with twiggy (docs/performance.md), or raise the ceiling in perf-budget.json with a reason.');
    process.exit(1);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [cmd, dir] = process.argv.slice(2);
  if (!dir) {
    console.error('usage: node scripts/assets.mjs compress|sizes|budget|loader <dist dir>');
    process.exit(2);
  }
  if (cmd === 'compress') compress(dir);
  else if (cmd === 'sizes') console.log(JSON.stringify(sizes(dir), null, 2));
  else if (cmd === 'budget') budget(dir);
  else if (cmd === 'loader') loader(dir);
  else {
    console.error(`unknown command ${cmd}`);
    process.exit(2);
  }
}
