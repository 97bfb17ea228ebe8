// The built app's bytes: the JS glue minified, the loader, precompression,
// the inventory of inline scripts and the size budget. scripts/build runs
// minify, loader, compress, then inventory.
//
//   node scripts/assets.mjs minify <dir>    minifies the JS glue in place with
//                                           terser and updates its SRI hash in
//                                           index.html (trunk's minifier fails on
//                                           the glue, which it ships as is)
//   node scripts/assets.mjs loader <dir>    rewrites trunk's loader: the wasm is
//                                           fetched with its integrity, and the
//                                           wasm and the glue only after the
//                                           first paint (see loader below)
//   node scripts/assets.mjs compress <dir>  writes <file>.br and <file>.gz beside
//                                           every text and wasm asset, for the
//                                           server's precompressed serving
//   node scripts/assets.mjs inventory <dir> lists index.html's inline scripts,
//                                           each a reviewed entry of
//                                           INLINE_SCRIPTS or the build fails,
//                                           by hash in <dir>/.script-inventory.json
//                                           (link-server's CSP allows those)
//   node scripts/assets.mjs sizes <dir>     prints the link page's critical path
//                                           (raw, gzip, Brotli) as JSON
//   node scripts/assets.mjs budget <dir>    fails when the critical path is over
//                                           the ceilings in perf-budget.json
//
// minify, loader and inventory take one page build's directory (dist/, dist/checkout/,
// dist/preview/); compress walks a whole dist.
// Brotli quality 11 and gzip level 9, the levels the precompressed files use,
// so the figures are the bytes a phone downloads. 1 KB = 1000 bytes.
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
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

/** `sha384-…`, the Subresource Integrity value of `buf`. */
function sri(buf) {
  return `sha384-${createHash('sha384').update(buf).digest('base64')}`;
}

/** The file name of the JS glue of the build in `dir` (druo-link-<hash>.js). */
function glueName(dir) {
  const names = readdirSync(dir).filter((n) => /^druo-link-[0-9a-f]+\.js$/.test(n));
  if (names.length !== 1) throw new Error(`${dir}: ${names.length} JS glue files; run scripts/build first`);
  return names[0];
}

/**
 * Minifies the JS glue of the build in `dir` in place (trunk's own
 * minifier fails on it and ships it as wasm-bindgen wrote it), then puts
 * its new SRI hash wherever `index.html` had the old one.
 *
 * terser, pinned exactly in package.json: the file keeps trunk's name,
 * which hashes cargo's wasm, not the glue, and is served `immutable`, so
 * the same input must always give the same bytes. Upgrading terser alone
 * would put new bytes under a name browsers may hold cached (their SRI
 * check then fails): ship such an upgrade with a change to the app's
 * code, which renames both files. As an ES module (`module: true`), so
 * only names the module does not export are shortened; what the loader
 * uses (`default`, i.e. `__wbg_init`, and `window.wasmBindings`' exports)
 * is checked to be the same set after as before by importing both. ES2020 is the floor already
 * (the loader uses `?.`). Run it before `loader` and `compress`; stale
 * `.br`/`.gz` copies beside the glue are rewritten all the same.
 */
async function minifyGlue(dir) {
  const { minify } = await import('terser');
  const name = glueName(dir);
  const file = join(dir, name);
  const before = readFileSync(file);
  const { code } = await minify(before.toString('utf8'), {
    module: true,
    ecma: 2020,
    format: { comments: false },
  });
  const after = Buffer.from(code);
  const exports = async (buf) =>
    Object.keys(await import(`data:text/javascript;base64,${buf.toString('base64')}`)).sort().join(' ');
  const [was, is] = [await exports(before), await exports(after)];
  if (!was.includes('default') || was !== is) throw new Error(`${file}: the exports changed from [${was}] to [${is}]`);
  const page = join(dir, 'index.html');
  const html = readFileSync(page, 'utf8');
  const refs = html.split(sri(before)).length - 1;
  if (refs === 0) throw new Error(`${page}: no integrity refers to ${name} (sha384 of its current bytes)`);
  writeFileSync(file, after);
  writeFileSync(page, html.replaceAll(sri(before), sri(after)));
  for (const [ext, pack] of [['.br', brotli], ['.gz', gzip]]) {
    if (existsSync(file + ext)) writeFileSync(file + ext, pack(after));
  }
  console.log(
    `${file}: ${before.length} → ${after.length} B raw, ${brotli(before).length} → ${brotli(after).length} B Brotli;` +
      ` ${refs} integrity value${refs === 1 ? '' : 's'} updated`,
  );
}

/**
 * Rewrites trunk's loader in `<dir>/index.html`: the wasm is checked, and
 * neither it nor the JS glue is requested before the first paint.
 *
 * trunk puts the wasm's SRI hash on a `<link rel=preload as=fetch>`, where
 * Chromium ignores it (and says so in the console), then loads the wasm by
 * URL: nothing checks its bytes. And its preloads start both downloads
 * while the page has not painted yet, competing with the render-blocking
 * CSS. Here the wasm's preload goes, and the glue's checked
 * `<link rel=modulepreload integrity>` moves into a `<template>` (inert:
 * nothing is fetched from it) that the loader brings to life. The loader:
 *
 *   1. waits for the first paint: the browser's own paint timing (the
 *      first-contentful-paint entry, seen by a PerformanceObserver), what
 *      Lighthouse's trace counts (a bare first-paint can come before it);
 *      `requestAnimationFrame` then `setTimeout(…, 0)` (the frame has been
 *      produced, but its presentation, the paint entry's time, can still
 *      be later) started the wasm before that in 5 of 8 loads measured
 *      (headless Chromium, docs/performance.md). Without paint timing, rAF + setTimeout(0) is the signal; with
 *      it, the same plus 1 s is a backstop should no entry ever come. A
 *      page hidden at the start (background tab, prerender) or before it
 *      paints starts at once: it paints nothing, and rAF would hold it;
 *   2. then starts `fetch(wasm, { integrity })` and, in parallel, appends
 *      the template's modulepreload: the browser fetches the glue, checks
 *      its integrity and puts it in the module map, which the `import()`
 *      that follows its `load` event reads (a refused glue fires `error`).
 *      A browser without modulepreload imports it unchecked, as it would
 *      have with trunk's static link;
 *   3. hands the fetch's Response to wasm-bindgen's init (`default`), which
 *      compiles it with `instantiateStreaming`, sets `window.wasmBindings`
 *      and fires `TrunkApplicationStarted`, as trunk's loader does.
 *
 * A wasm or glue whose bytes do not match (or that does not arrive) is
 * refused. A page link-server rendered then stays as it is: it works as
 * HTML (its links and forms are real; a wait reloads itself). The static
 * shell shows its load-failed notice (`[data-load-failed]` in index.html)
 * instead of going blank. The server's first screen does not wait for any
 * of it: a tap before the app is live does what the HTML says. The CSP
 * allows this script by its hash, which `inventory` records last (after
 * every rewrite of index.html) for link-server to read.
 */
function loader(dir) {
  const file = join(dir, 'index.html');
  const html = readFileSync(file, 'utf8');
  const script = html.match(/<script type=["']?module["']?>([\s\S]*?)<\/script>/);
  const glue = script?.[1].match(/from\s*'([^']+\.js)'/)?.[1];
  const wasm = script?.[1].match(/module_or_path:\s*'([^']+\.wasm)'/)?.[1];
  const links = html.match(/<link[^>]*>/g) ?? [];
  const rel = (tag, r) => new RegExp(`\\brel=["']?${r}["'\\s>]`).test(tag);
  const preload = links.find((t) => rel(t, 'preload') && t.includes('.wasm'));
  const modulepreload = links.find((t) => rel(t, 'modulepreload') && t.includes(glue));
  if (!glue || !wasm || !preload || !modulepreload) throw new Error(`${file}: trunk's loader is not in the expected form`);
  const base = (p) => p.slice(p.lastIndexOf('/') + 1);
  const integrity = sri(readFileSync(join(dir, base(wasm))));
  // trunk's hash of the glue, checked against the bytes beside it (after
  // `minify`, which updates it).
  if (!modulepreload.includes(sri(readFileSync(join(dir, base(glue)))))) {
    throw new Error(`${file}: the glue's modulepreload integrity does not match ${base(glue)}`);
  }
  if (links.some((t) => t !== preload && t !== modulepreload && /\brel=["']?(preload|modulepreload)\b/.test(t) && /\.(wasm|js)\b/.test(t))) {
    throw new Error(`${file}: another preload of the wasm or the glue`);
  }
  const code = loaderCode({ wasm, glue, integrity });
  const out = html
    .replace(script[0], `<script type=module>${code}</script>`)
    .replace(preload, '')
    .replace(modulepreload, `<template id=wasm-glue>${modulepreload}</template>`);
  writeFileSync(file, out);
}

/**
 * The loader's code (see `loader`) for the wasm at URL `wasm`, checked
 * against `integrity`, and the glue at URL `glue`. One function, so the
 * inventory can tell the loader it wrote from any other script: a script
 * is the loader only if it is exactly this text for the files beside it.
 */
function loaderCode({ wasm, glue, integrity }) {
  return [
    'const start = async () => {',
    `  const wasm = fetch('${wasm}', { integrity: '${integrity}' });`,
    // Handled below, through init; this only keeps a refusal that comes
    // while the glue loads from being reported as unhandled.
    '  wasm.catch(() => {});',
    '  try {',
    "    const link = document.importNode(document.getElementById('wasm-glue').content.firstElementChild, false);",
    "    if (link.relList.supports('modulepreload')) {",
    '      await new Promise((ok, fail) => {',
    '        link.onload = ok;',
    "        link.onerror = () => fail(new Error('the glue was refused'));",
    '        document.head.append(link);',
    '      });',
    '    }',
    `    const bindings = await import('${glue}');`,
    '    const instance = await bindings.default({ module_or_path: wasm });',
    '    window.wasmBindings = bindings;',
    "    dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm: instance } }));",
    '  } catch (e) {',
    // A page link-server rendered works without its code (issue 24): it
    // stays as it is, its links and forms lead on, and a wait for the
    // institution checks by reloading itself, as it does with JavaScript
    // off. Only the static shell, which has nothing to show without the
    // app, gives way to the notice.
    "    if (document.getElementById('druo-link-data')) {",
    "      if (document.querySelector('.check-now')) setTimeout(() => location.replace(location.href), 5000);",
    '      return;',
    '    }',
    // The browser's first language we speak, by its primary subtag (the
    // rule of core::Lang::from_browser); Spanish, the shell's, otherwise.
    "    const lang = (navigator.languages || []).map((l) => l.slice(0, 2).toLowerCase()).find((l) => l === 'es' || l === 'en') || 'es';",
    // The shell's skeleton: the notice takes its place.
    "    document.querySelectorAll('[data-load-pending], #main > :not([data-load-failed])').forEach((el) => { el.hidden = true; });",
    "    document.querySelectorAll('[data-load-failed]').forEach((el) => { el.hidden = false; });",
    "    document.querySelectorAll('[data-load-failed] > [lang]').forEach((el) => { el.hidden = el.lang !== lang; });",
    "    document.documentElement.lang = lang === 'en' ? 'en-US' : 'es-CO';",
    "    document.getElementById('main')?.removeAttribute('aria-busy');",
    "    document.querySelectorAll('[data-reload]').forEach((b) => b.addEventListener('click', () => location.reload()));",
    '  }',
    '};',
    // After the first paint (see above), once.
    'let started = false;',
    'const go = () => { if (!started) { started = true; start(); } };',
    "const paint = window.PerformanceObserver?.supportedEntryTypes?.includes('paint');",
    "if (document.visibilityState === 'hidden') go();",
    'else {',
    "  addEventListener('visibilitychange', go, { once: true });",
    "  if (paint) new PerformanceObserver((l) => { if (l.getEntriesByName('first-contentful-paint').length) go(); }).observe({ type: 'paint', buffered: true });",
    '  requestAnimationFrame(() => setTimeout(go, paint ? 1000 : 0));',
    '}',
  ].join('\n');
}

/** The file beside each build's index.html listing its inline scripts. */
export const INVENTORY = '.script-inventory.json';

/** The globals (`window.…`) index.html's page helpers set, reviewed. */
// The page-helpers script's globals, reviewed; the ones the app calls are declared in core/src/shell.rs (its tests check this list names them).
const HELPER_GLOBALS = ['__INCOMPLETE_CHUNKS', '__RESOLVED_RESOURCES', '__SERIALIZED_ERRORS', 'druoAside', 'druoMoved', 'druoReplay', 'druoTemplates'];

/** What the page helpers have no reason to do: load or make code, reach the
 *  network, write markup, read storage. Their job is local (their entry). */
const HELPER_FORBIDDEN = /\b(fetch|import|eval|Function|createScript|createScriptURL|XMLHttpRequest|sendBeacon|WebSocket|EventSource|Worker|innerHTML|outerHTML|insertAdjacentHTML|write|writeln|cookie|localStorage|sessionStorage|indexedDB|postMessage)\b/;

/**
 * The inline scripts a page's built index.html may carry, each reviewed:
 * PCI DSS 4.0 6.4.3 asks that every script on a payment page be
 * authorised, have a written reason, and have its integrity assured. The
 * `inventory` step gives each inline script of a build the entry that
 * `claims` it, then `verify` must pass (null, or why not); a script no
 * entry claims, or an entry no script or two scripts answer, fails the
 * build. So a new inline script cannot ship without an entry here, and
 * docs/security.md's table of scripts is this table. link-server allows
 * exactly the hashes the inventory lists (server/src/inventory.rs): an
 * inline script added to a served index.html after the build does not run.
 */
export const INLINE_SCRIPTS = [
  {
    purpose: 'loader',
    justification:
      "Starts the app: after the first paint it fetches the wasm with its sha384 integrity, imports the JS glue through its checked modulepreload and hands the wasm to wasm-bindgen's init; if either is refused it leaves a page link-server rendered working as HTML, or shows the static shell's could-not-load notice. Written by `scripts/assets.mjs loader` in place of trunk's loader.",
    claims: (body) => body.includes('TrunkApplicationStarted'),
    // Exactly the text `loader` writes for the files beside it, the wasm's
    // integrity being that of the wasm in this build.
    verify(body, dir) {
      const wasm = body.match(/fetch\('([^']+\.wasm)', \{ integrity: '([^']+)' \}\)/);
      const glue = body.match(/import\('([^']+\.js)'\)/)?.[1];
      if (!wasm || !glue) return 'it fetches no wasm or imports no glue';
      const [, url, integrity] = wasm;
      const local = (u) => join(dir, u.slice(u.lastIndexOf('/') + 1));
      if (!existsSync(local(url)) || !existsSync(local(glue))) return `${url} or ${glue} is not in ${dir}`;
      if (sri(readFileSync(local(url))) !== integrity) return `the integrity it checks is not ${url}'s`;
      if (body !== loaderCode({ wasm: url, glue, integrity })) return 'it is not the text `loader` writes';
      return null;
    },
  },
  {
    purpose: 'page-helpers',
    justification:
      "Creates the one Trusted Types policy the CSP allows, `tachys` (window.druoTemplates), on every page: the view layer (vendor/tachys) parses its own static templates through it, and it refuses markup with a script, frame, meta, base, event handler or javascript: URL. Then, on a page link-server rendered only (the link's data block present): sets the globals Leptos's hydration reads (empty), opens the payment details on a wide window, and defines druoMoved, druoAside and druoReplay, which the app (src/lib.rs) calls so that what was typed and where focus was before the app went live carry over. No network, no storage, no markup written. From index.html, minified by trunk.",
    claims: (body) => /\bwindow\.druoAside\s*=/.test(body),
    // The globals it sets are the reviewed ones, and it does none of what
    // it has no reason to.
    verify(body) {
      const globals = [...new Set([...body.matchAll(/\bwindow\.([A-Za-z_$][\w$]*)\s*=(?!=)/g)].map((m) => m[1]))].sort();
      if (globals.join() !== HELPER_GLOBALS.join()) return `it sets window.{${globals.join(', ')}}, not window.{${HELPER_GLOBALS.join(', ')}}`;
      const bad = body.match(HELPER_FORBIDDEN)?.[0];
      if (bad) return `it uses ${bad}`;
      // The one Trusted Types policy the CSP names (`trusted-types tachys`).
      const made = body.split('createPolicy(').length - 1;
      const named = [...body.matchAll(/createPolicy\(\s*[`'"]tachys[`'"]\s*,/g)].length;
      if (made !== named || made > 1) return 'it makes a Trusted Types policy other than the one `tachys`';
      return null;
    },
  },
];

/**
 * Lists every inline script of `<dir>/index.html` in `<dir>/.script-inventory.json`:
 * `{ "file": "index.html", "scripts": [{ "purpose", "sha256", "bytes" }] }`,
 * in document order, `sha256` being the base64 SHA-256 of the script's
 * text exactly as served (what a CSP `'sha256-…'` source names). Each
 * script must be an entry of INLINE_SCRIPTS and pass its check; the page
 * may load no script by `src` (the app's code comes through the loader,
 * checked) and have no inline event handler or `javascript:` URL (the
 * CSP blocks them anyway: a build that has one is broken). Run last, after
 * every step that rewrites index.html.
 */
function inventory(dir) {
  const file = join(dir, 'index.html');
  const html = readFileSync(file, 'utf8');
  const problems = [];
  const found = [];
  const claimed = [];
  for (const [, attrs, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    const start = body.trim().slice(0, 80).replace(/\s+/g, ' ');
    if (/\bsrc\s*=/i.test(attrs)) {
      problems.push(`<script${attrs}>: a script by src (the app's code loads through the loader, checked)`);
      continue;
    }
    const entries = INLINE_SCRIPTS.filter((e) => e.claims(body));
    if (entries.length !== 1) {
      const who = entries.length ? `entries ${entries.map((e) => e.purpose).join(' and ')}` : 'no entry of INLINE_SCRIPTS';
      problems.push(`<script${attrs}>${start}…: claimed by ${who}`);
      continue;
    }
    const [entry] = entries;
    claimed.push(entry.purpose);
    const why = entry.verify(body, dir);
    if (why) problems.push(`<script${attrs}>${start}…: not the reviewed ${entry.purpose}: ${why}`);
    else found.push({ purpose: entry.purpose, sha256: createHash('sha256').update(body, 'utf8').digest('base64'), bytes: Buffer.byteLength(body, 'utf8') });
  }
  for (const e of INLINE_SCRIPTS) {
    const n = claimed.filter((p) => p === e.purpose).length;
    if (n !== 1) problems.push(`${n} scripts claim to be the ${e.purpose} (one expected; drop an entry whose script is gone)`);
  }
  const tags = html.replace(/<script\b[^>]*>[\s\S]*?<\/script\s*>/gi, '').match(/<[a-zA-Z][^>]*>/g) ?? [];
  for (const t of tags) {
    if (/\son[a-z]+\s*=/i.test(t)) problems.push(`${t}: an inline event handler`);
    if (/=\s*["']?\s*javascript:/i.test(t)) problems.push(`${t}: a javascript: URL`);
  }
  if (problems.length) {
    throw new Error(`${file}: scripts not in the reviewed inventory (scripts/assets.mjs INLINE_SCRIPTS):\n  ${problems.join('\n  ')}`);
  }
  writeFileSync(join(dir, INVENTORY), `${JSON.stringify({ file: 'index.html', scripts: found }, null, 2)}\n`);
  for (const s of found) console.log(`${file}: inline script ${s.purpose}, 'sha256-${s.sha256}', ${s.bytes} B`);
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
    console.error('usage: node scripts/assets.mjs minify|loader|inventory|compress|sizes|budget <dist dir>');
    process.exit(2);
  }
  if (cmd === 'compress') compress(dir);
  else if (cmd === 'sizes') console.log(JSON.stringify(sizes(dir), null, 2));
  else if (cmd === 'budget') budget(dir);
  else if (cmd === 'loader') loader(dir);
  else if (cmd === 'minify') await minifyGlue(dir);
  else if (cmd === 'inventory') inventory(dir);
  else {
    console.error(`unknown command ${cmd}`);
    process.exit(2);
  }
}
