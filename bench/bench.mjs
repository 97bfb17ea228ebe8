// The performance benchmark behind `scripts/bench` (issues 7 and 12). It
// prints figures, each beside its issue 12 budget with "holds" or "over by
// …"; it asserts nothing. Run it through scripts/bench, which builds the
// release app and the server first.
//
//  1. Bytes of each asset on each link page's critical path (raw, gzip,
//     Brotli): the connect page is the build in dist/, the checkout page the
//     build in dist/checkout/ (scripts/assets.mjs PAGE_DIRS); budgets from
//     perf-budget.json's issue12. The studio's wasm is listed for
//     information.
//  2. Render ratio: time to meaningful render of the live page against a
//     static HTML page with the same DOM and CSS, served by the same server in
//     the same run, interleaved A/B pairs (the order alternates), cold cache,
//     4x CPU throttling; then again under Slow 4G + 4x CPU (for information).
//  3. Live against static, in the same pairs: navigation start to the app's
//     `druo-live` mark (performance.mark, src/lib.rs LIVE_MARK) on the live
//     page, against the static copy's meaningful render.
//  4. Keystroke to updated institution list, at 4x CPU.
//  5. Main-thread tasks during load: each page loaded cold at 4x CPU under a
//     Chrome trace until its live mark and network idle; the longest
//     top-level task on the renderer's main thread, the tasks over 50 ms,
//     and what the longest one was doing. The static copies are traced too,
//     as the floor the browser itself sets. Traces go to target/bench/.
//  6. Lighthouse (mobile, its default simulated Slow 4G) on a connect and a
//     checkout link: performance score, LCP, TBT, CLS (and FCP, Speed Index).
//
// "Meaningful render" is the paint of the element marked
// elementtiming="meaningful" (Element Timing API): the intro text of a connect
// link, under which its Continue button is already usable; the amount of a
// checkout link. The institution list is on the connect page's second step
// (one tap after the intro; its catalog loads during the intro), so its
// responsiveness is the keystroke figure.
//
// Environment: BENCH_PAIRS (default 15), BENCH_LH_RUNS (default 5),
// BENCH_TRACES (traced loads per page, default 3), LINK_SERVER_BIN (default
// target/server/link-server).
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tmpdir } from 'node:os';
import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';
import { ROOT, startServer, CHROMIUM_ARGS } from '../tests/e2e/harness.mjs';
import { sizes, brotli, gzip, PAGE_DIRS } from '../scripts/assets.mjs';

const PAIRS = Number(process.env.BENCH_PAIRS ?? 15);
const LH_RUNS = Number(process.env.BENCH_LH_RUNS ?? 5);
const TRACES = Number(process.env.BENCH_TRACES ?? 3);
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
/** The app's mark once it is live (src/lib.rs LIVE_MARK). */
const LIVE_MARK = 'druo-live';

// Issue 12's budgets (the bytes come from perf-budget.json's issue12).
const BUDGET = {
  renderRatio: 1.15, // meaningful render, live / static, median, 4x CPU
  liveRatio: 1.8, // live mark / static meaningful render, median, 4x CPU
  lhScore: 100,
  lcp: 1500,
  tbt: 50,
  cls: 0,
  longTask: 50, // no main-thread task over this during load, 4x CPU
  keystrokeP90: 50,
};

// Lighthouse's mobile Slow 4G, as its DevTools throttling applies it
// (lighthouse/core/config/constants.js: 150 ms RTT and 1.6 Mbps, scaled by
// its adjustment factors for request-level throttling), with 4x CPU.
const SLOW_4G = {
  offline: false,
  latency: 150 * 3.75,
  downloadThroughput: (1.6 * 1024 * 0.9 * 1024) / 8,
  uploadThroughput: (750 * 0.9 * 1024) / 8,
};
const CPU = 4;

// What the main-thread trace records: the scheduler's tasks (toplevel), the
// DevTools timeline events (script, parse, style, layout, paint), V8's
// compile and execute events, wasm compilation, user timing (navigation
// start, the live mark) and loading. Not V8's detailed compile categories,
// whose thousands of events would themselves lengthen the tasks measured.
const TRACE_CATEGORIES = [
  '-*', 'toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline',
  'v8', 'v8.execute', 'v8.wasm', 'blink.user_timing', 'loading',
];
// A scheduler task on the main thread; a task is the outermost of these.
const TASK_NAMES = new Set([
  'RunTask', 'ThreadControllerImpl::RunTask', 'ThreadControllerImpl::DoWork',
  'TaskQueueManager::ProcessTaskFromWorkQueue',
]);
// Wrappers a task's description looks through to the work inside them.
const WRAPPERS = new Set([
  ...TASK_NAMES, 'Receive mojo message', 'SimpleWatcher::OnHandleReady', 'v8.callFunction',
  'BlinkScheduler_PerformMicrotaskCheckpoint',
]);

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (i - lo);
};
const ms = (x) => (Number.isFinite(x) ? `${x.toFixed(0)} ms` : 'n/a');
const fmt = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const times = (x) => `${fmt(x)}x`;
const bytes = (x) => `${x} B`;

/** "holds" when `value` ≤ `max`, else "over by …" in `unit`. */
function atMost(value, max, unit) {
  if (!Number.isFinite(value)) return 'not measured';
  return value <= max ? 'holds' : `over by ${unit(value - max)}`;
}
/** "holds" when `value` ≥ `min`, else "short by …". */
function atLeast(value, min, unit) {
  if (!Number.isFinite(value)) return 'not measured';
  return value >= min ? 'holds' : `short by ${unit(min - value)}`;
}

/** A fresh cold-cache page with CPU (and optionally network) throttling. */
async function throttledPage(browser, network) {
  // The static copy has the live page's inline theme (a style attribute) and
  // is served as a plain file, under the server's strict asset CSP; both pages
  // run with CSP bypassed so they are treated alike.
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 360, height: 740 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU });
  if (network) await cdp.send('Network.emulateNetworkConditions', network);
  await page.addInitScript((liveMark) => {
    window.__meaningful = new Promise((resolve) => {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          if (e.identifier === 'meaningful') resolve(e.renderTime || e.loadTime);
        }
      }).observe({ type: 'element', buffered: true });
    });
    // The mark's startTime, like renderTime, counts from navigation start.
    window.__live = new Promise((resolve) => {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          if (e.name === liveMark) resolve(e.startTime);
        }
      }).observe({ type: 'mark', buffered: true });
    });
  }, LIVE_MARK);
  return { context, page };
}

/** Waits for a page promise by name, NaN after 30 s. */
const within30s = (page, name) => page.evaluate((n) => Promise.race([
  window[n],
  new Promise((r) => setTimeout(() => r(NaN), 30000)),
]), name);

/**
 * Time from navigation start to the meaningful paint of `url` and, for a
 * live page, to its live mark.
 */
async function loadTimes(browser, url, network, live) {
  const { context, page } = await throttledPage(browser, network);
  try {
    await page.goto(url, { waitUntil: 'commit' });
    const meaningful = await within30s(page, '__meaningful');
    const mark = live ? await within30s(page, '__live') : NaN;
    return { meaningful, live: mark };
  } finally {
    await context.close();
  }
}

/** Saves the live page's rendered DOM, scripts removed, as a static page. */
async function staticCopy(browser, url, dist, name) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector('[elementtiming="meaningful"]');
  await page.waitForLoadState('networkidle');
  let html = await page.evaluate(() => '<!doctype html>\n' + document.documentElement.outerHTML);
  await context.close();
  html = html
    .replace(/<script\b[\s\S]*?<\/script>/g, '')
    .replace(/<link\b[^>]*\brel="?(modulepreload|preload)"?[^>]*>/g, '');
  const file = join(dist, name);
  writeFileSync(file, html);
  writeFileSync(`${file}.br`, brotli(Buffer.from(html)));
  writeFileSync(`${file}.gz`, gzip(Buffer.from(html)));
  return `/${name}`;
}

/**
 * Interleaved A/B pairs; the order alternates so drift favours neither.
 * Each pair gives two ratios: the live page's meaningful render over the
 * static copy's, and the live page's live mark over the static copy's
 * meaningful render.
 */
async function renderRatio(browser, live, stat, network) {
  const rows = [];
  for (let i = 0; i < PAIRS; i++) {
    let a;
    let b;
    if (i % 2 === 0) {
      a = await loadTimes(browser, stat, network, false);
      b = await loadTimes(browser, live, network, true);
    } else {
      b = await loadTimes(browser, live, network, true);
      a = await loadTimes(browser, stat, network, false);
    }
    rows.push({ stat: a.meaningful, live: b.meaningful, mark: b.live });
  }
  const summary = (key) => {
    const ok = rows.filter((r) => Number.isFinite(r.stat) && Number.isFinite(r[key]));
    const ratios = ok.map((r) => r[key] / r.stat);
    return {
      pairs: ok.length,
      missed: rows.length - ok.length,
      stat: quantile(ok.map((r) => r.stat), 0.5),
      live: quantile(ok.map((r) => r[key]), 0.5),
      median: quantile(ratios, 0.5),
      p90: quantile(ratios, 0.9),
    };
  };
  return { render: summary('live'), live: summary('mark') };
}

/** Keystroke → list updated and painted, per key, at 4x CPU. */
async function keystrokes(browser, connectUrl) {
  const { context, page } = await throttledPage(browser, null);
  try {
    await page.goto(connectUrl);
    await page.getByRole('button', { name: /continue|continuar/i }).click();
    const input = page.locator('#bank-search');
    await input.waitFor();
    await page.locator('#bank-list [role=option]').first().waitFor();
    await page.evaluate(() => {
      window.__keys = [];
      let pending = null;
      const picker = document.querySelector('.picker');
      document.addEventListener('keydown', (e) => {
        pending?.disconnect();
        const t0 = e.timeStamp;
        const mo = new MutationObserver(() => {
          mo.disconnect();
          // rAF runs before the frame's paint; the task after it, after.
          requestAnimationFrame(() => setTimeout(() => window.__keys.push(performance.now() - t0), 0));
        });
        mo.observe(picker, { childList: true, subtree: true, characterData: true, attributes: true });
        pending = mo;
      }, true);
    });
    await input.focus();
    const queries = ['banco', 'davivienda', 'nequi', 'col', 'bbva'];
    let pressed = 0;
    for (const q of queries) {
      for (const ch of q) {
        await page.keyboard.press(ch);
        pressed++;
        await page.waitForTimeout(300);
      }
      for (let i = 0; i < q.length; i++) {
        await page.keyboard.press('Backspace');
        pressed++;
        await page.waitForTimeout(300);
      }
    }
    const keys = await page.evaluate(() => window.__keys);
    return { pressed, changed: keys.length, median: quantile(keys, 0.5), p90: quantile(keys, 0.9), max: Math.max(...keys) };
  } finally {
    await context.close();
  }
}

/** A short label for a trace event: its name and what it ran or handled. */
function label(e) {
  const d = e.args?.data ?? e.args?.beginData ?? {};
  const file = (u) => (u ? u.replace(/[?#].*$/, '').split('/').pop() || u : '');
  switch (e.name) {
    case 'FunctionCall': return `FunctionCall ${d.functionName || '(anonymous)'} ${file(d.url)}`.trim();
    case 'EvaluateScript':
    case 'v8.compile':
    case 'v8.compileModule':
    case 'v8.evaluateModule': return `${e.name} ${file(d.url ?? e.args?.fileName)}`.trim();
    case 'EventDispatch': return `EventDispatch ${d.type ?? ''}`.trim();
    case 'ParseHTML': return `ParseHTML ${file(d.url)}`.trim();
    default: return e.name;
  }
}

/**
 * The main-thread tasks of one traced load: the top-level scheduler tasks
 * on the renderer main thread (CrRendererMain) that ran the page, from its
 * navigation start to the end of the trace, each with a description of what
 * it did.
 */
function mainThreadTasks(trace, url) {
  const events = Array.isArray(trace) ? trace : trace.traceEvents;
  const mains = new Set(events
    .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
    .map((e) => `${e.pid}:${e.tid}`));
  const key = (e) => `${e.pid}:${e.tid}`;
  // The page's main thread is the one that started its navigation (the
  // live page's also set the live mark).
  const nav = events.find((e) => e.name === 'navigationStart' && mains.has(key(e)) &&
    e.args?.data?.documentLoaderURL === url);
  if (!nav) throw new Error(`trace: no navigationStart for ${url}`);
  const thread = key(nav);
  const liveMark = events.find((e) => e.name === LIVE_MARK && key(e) === thread);
  // Complete events of that thread, parents before children.
  const xs = events
    .filter((e) => e.ph === 'X' && key(e) === thread && Number.isFinite(e.dur))
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  // Nesting by time: each event's children are the events inside it.
  const roots = [];
  const stack = [];
  for (const e of xs) {
    e.children = [];
    while (stack.length && e.ts >= stack.at(-1).ts + stack.at(-1).dur) stack.pop();
    (stack.length ? stack.at(-1).children : roots).push(e);
    stack.push(e);
  }
  // A task is the outermost scheduler event; events outside any (rare)
  // are not tasks.
  const tasks = [];
  const collect = (e) => (TASK_NAMES.has(e.name) ? tasks.push(e) : e.children.forEach(collect));
  roots.forEach(collect);
  const during = tasks.filter((t) => t.ts + t.dur >= nav.ts);
  return {
    tasks: during.map((t) => ({ start: (t.ts - nav.ts) / 1000, dur: t.dur / 1000, what: describe(t, 2), brief: describe(t, 1) })),
    live: liveMark ? (liveMark.ts - nav.ts) / 1000 : NaN,
  };
}

/**
 * What a task did: its main pieces of work (looking through the
 * scheduler's and V8's wrappers), each with its duration and its own
 * main pieces down to `depth` levels, and the wasm functions compiled
 * lazily inside it.
 */
function describe(task, depth) {
  const significant = task.dur * 0.1;
  const work = (e) => e.children.flatMap((c) => (WRAPPERS.has(c.name) ? work(c) : [c]))
    .filter((c) => c.dur >= significant);
  const lazy = [];
  const walk = (e) => { if (e.name === 'wasm.CompileLazy') lazy.push(e.dur); e.children.forEach(walk); };
  walk(task);
  const piece = (e, depth) => {
    const inner = depth > 0 ? work(e) : [];
    const more = inner.length ? ` [${inner.map((c) => piece(c, depth - 1)).join(', ')}]` : '';
    return `${label(e)} ${ms(e.dur / 1000)}${more}`;
  };
  const parts = work(task).map((e) => piece(e, depth));
  if (lazy.length) {
    parts.push(`wasm.CompileLazy ×${lazy.length} ${ms(lazy.reduce((a, b) => a + b, 0) / 1000)} in all`);
  }
  return parts.join('; ') || '(no event inside it took 10% of it)';
}

/**
 * One cold load of `url` at 4x CPU under a Chrome trace, until the live
 * mark (on a live page) and network idle; the trace is written to `file`.
 */
async function tracedLoad(browser, url, live, file) {
  const { context, page } = await throttledPage(browser, null);
  try {
    await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    await page.goto(url, { waitUntil: 'commit' });
    await within30s(page, '__meaningful');
    if (live) await within30s(page, '__live');
    await page.waitForLoadState('networkidle');
    const buf = await browser.stopTracing();
    writeFileSync(file, buf);
    const r = mainThreadTasks(JSON.parse(buf.toString('utf8')), url);
    const sorted = [...r.tasks].sort((a, b) => b.dur - a.dur);
    return {
      file,
      tasks: r.tasks.length,
      longest: sorted[0],
      over: sorted.filter((t) => t.dur > BUDGET.longTask),
    };
  } finally {
    await context.close();
  }
}

/** `TRACES` traced loads of `url`; the median of their longest tasks. */
async function traces(browser, name, url, live, dir) {
  const loads = [];
  for (let i = 1; i <= TRACES; i++) {
    loads.push(await tracedLoad(browser, url, live, join(dir, `trace-${name}-${i}.json`)));
  }
  const longest = loads.map((l) => l.longest?.dur ?? NaN);
  return { loads, median: quantile(longest, 0.5), max: Math.max(...longest) };
}

/** One Lighthouse run (CLI, mobile defaults) → its performance figures. */
function lighthouse(url) {
  const bin = join(ROOT, 'bench', 'node_modules', '.bin', 'lighthouse');
  const out = mkdtempSync(join(tmpdir(), 'druo-lh-'));
  const args = [
    url,
    '--only-categories=performance',
    '--output=json',
    `--output-path=${join(out, 'report.json')}`,
    '--quiet',
    `--chrome-flags=${CHROMIUM_ARGS.join(' ')}`,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env: { ...process.env, CHROME_PATH: CHROMIUM }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`lighthouse exited ${code}: ${err.slice(-2000)}`));
      const r = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
      rmSync(out, { recursive: true, force: true });
      const a = (id) => r.audits[id]?.numericValue;
      resolve({
        score: Math.round((r.categories.performance.score ?? NaN) * 100),
        fcp: a('first-contentful-paint'),
        lcp: a('largest-contentful-paint'),
        tbt: a('total-blocking-time'),
        cls: a('cumulative-layout-shift'),
        si: a('speed-index'),
      });
    });
  });
}

/** `LH_RUNS` Lighthouse runs: the median of each figure, and the spread of
 *  the scores and of TBT, which is the noisiest figure on a 2-core machine. */
async function lighthouseMedian(url) {
  const runs = [];
  for (let i = 0; i < LH_RUNS; i++) runs.push(await lighthouse(url));
  const med = (k) => quantile(runs.map((r) => r[k]), 0.5);
  const tbts = runs.map((r) => r.tbt);
  return {
    score: med('score'), fcp: med('fcp'), lcp: med('lcp'), tbt: med('tbt'), cls: med('cls'), si: med('si'),
    scores: runs.map((r) => r.score),
    tbtRange: `${Math.min(...tbts).toFixed(0)}–${Math.max(...tbts).toFixed(0)} ms`,
  };
}

function table(headers, rows) {
  const w = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => `| ${r.map((c, i) => (i === 0 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join(' | ')} |`;
  return [line(headers), `| ${w.map((n, i) => (i === 0 ? '-'.repeat(n) : '-'.repeat(n - 1) + ':')).join(' | ')} |`, ...rows.map(line)].join('\n');
}

async function main() {
  const benchDir = join(ROOT, 'target', 'bench');
  const dist = join(benchDir, 'dist');
  rmSync(benchDir, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  cpSync(join(ROOT, 'dist'), dist, { recursive: true });

  const pageBytes = Object.entries(PAGE_DIRS).map(([page, sub]) => [page, sizes(join(ROOT, 'dist', sub))]);
  const studio = sizes(join(ROOT, 'dist', 'preview'));
  const byteBudget = JSON.parse(readFileSync(join(ROOT, 'perf-budget.json'), 'utf8')).issue12;

  process.env.LINK_SERVER_BIN ??= join(ROOT, 'target', 'server', 'link-server');
  const server = await startServer({ dist });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const out = [];
  const summary = [];
  try {
    const connect = server.demo['connect (Banco Novo colors)'] ?? Object.entries(server.demo).find(([k]) => k.startsWith('connect'))?.[1];
    const checkout = Object.entries(server.demo).find(([k]) => k.startsWith('checkout'))?.[1];
    if (!connect || !checkout) throw new Error(`no demo links in ${JSON.stringify(server.demo)}`);
    const origin = new URL(connect).origin;
    const staticConnect = origin + (await staticCopy(browser, connect, dist, 'bench-static-connect.html'));
    const staticCheckout = origin + (await staticCopy(browser, checkout, dist, 'bench-static-checkout.html'));

    console.error(`render and live ratios: ${PAIRS} pairs per row…`);
    const ratios = [
      ['connect, 4x CPU', true, await renderRatio(browser, connect, staticConnect, null)],
      ['checkout, 4x CPU', true, await renderRatio(browser, checkout, staticCheckout, null)],
      ['connect, Slow 4G + 4x CPU', false, await renderRatio(browser, connect, staticConnect, SLOW_4G)],
      ['checkout, Slow 4G + 4x CPU', false, await renderRatio(browser, checkout, staticCheckout, SLOW_4G)],
    ];
    console.error('keystrokes…');
    const keys = await keystrokes(browser, connect);
    console.error(`main-thread traces: ${TRACES} loads per page…`);
    const traced = [
      ['connect', true, await traces(browser, 'connect', connect, true, benchDir)],
      ['checkout', true, await traces(browser, 'checkout', checkout, true, benchDir)],
      ['static copy of connect', false, await traces(browser, 'static-connect', staticConnect, false, benchDir)],
      ['static copy of checkout', false, await traces(browser, 'static-checkout', staticCheckout, false, benchDir)],
    ];
    await browser.close();
    console.error(`lighthouse: ${LH_RUNS} runs per page…`);
    const lh = [
      ['connect', await lighthouseMedian(connect)],
      ['checkout', await lighthouseMedian(checkout)],
    ];

    // 1. Bytes.
    out.push('## Bytes (critical path of each link page; Brotli q11, gzip -9)', '');
    const rows = [];
    for (const [page, b] of pageBytes) {
      for (const [kind, name] of [['html', 'index.html'], ['css', 'CSS'], ['js', 'JS glue'], ['wasm', 'wasm'], ['total', 'total']]) {
        rows.push([`${page}: ${name}`, b[kind].raw, b[kind].gzip, b[kind].brotli]);
      }
    }
    rows.push(['(studio wasm, /preview only)', studio.wasm.raw, studio.wasm.gzip, studio.wasm.brotli]);
    out.push(table(['page: asset', 'raw', 'gzip', 'Brotli'], rows), '');
    const byteRows = [];
    for (const [page, b] of pageBytes) {
      const budget = byteBudget[page] ?? {};
      for (const [what, got, max] of [['critical path', b.total.brotli, budget.critical], ['wasm', b.wasm.brotli, budget.wasm]]) {
        if (max === undefined) continue;
        const v = atMost(got, max, bytes);
        byteRows.push([`${page} ${what}, Brotli`, bytes(got), `≤ ${bytes(max)}`, v]);
        summary.push([`${page}: ${what} Brotli`, bytes(got), `≤ ${bytes(max)}`, v]);
      }
    }
    out.push(table(['budget (perf-budget.json issue12)', 'measured', 'budget', 'verdict'], byteRows), '');

    // 2 and 3. Render and live ratios.
    const ratioTable = (key, budget, what) => table(
      ['condition', 'pairs', 'static', `live: ${what}`, 'ratio median', 'ratio p90', 'budget (median)', 'verdict'],
      ratios.map(([n, counts, rr]) => {
        const r = rr[key];
        const v = atMost(r.median, budget, times);
        return [n, `${r.pairs}${r.missed ? ` (+${r.missed} missed)` : ''}`, ms(r.stat), ms(r.live),
          times(r.median), times(r.p90), `≤ ${times(budget)}${counts ? '' : ' (information)'}`, v];
      }));
    out.push('## Time to meaningful render, live page / static copy (median of each; ratio per pair)', '');
    out.push(ratioTable('render', BUDGET.renderRatio, 'meaningful render'));
    out.push('', `Budget: ratio median ≤ ${times(BUDGET.renderRatio)} at 4x CPU, both pages; the Slow 4G rows are for information.`, '');
    out.push(`## Live (the app's ${LIVE_MARK} mark) against the static copy's meaningful render (same pairs)`, '');
    out.push(ratioTable('live', BUDGET.liveRatio, `${LIVE_MARK} mark`));
    out.push('', `Budget: ratio median ≤ ${times(BUDGET.liveRatio)} at 4x CPU, both pages; the Slow 4G rows are for information.`, '');
    for (const [n, counts, rr] of ratios) {
      if (!counts) continue;
      summary.push([`${n}: meaningful render, live / static (median)`, times(rr.render.median), `≤ ${times(BUDGET.renderRatio)}`, atMost(rr.render.median, BUDGET.renderRatio, times)]);
    }
    for (const [n, counts, rr] of ratios) {
      if (!counts) continue;
      summary.push([`${n}: ${LIVE_MARK} / static meaningful render (median)`, times(rr.live.median), `≤ ${times(BUDGET.liveRatio)}`, atMost(rr.live.median, BUDGET.liveRatio, times)]);
    }

    // 4. Lighthouse.
    out.push(`## Lighthouse mobile, simulated Slow 4G + 4x CPU (median of each figure over ${LH_RUNS} runs)`, '');
    out.push(table(['page', 'performance', 'scores', 'FCP', 'LCP', 'TBT', 'TBT range', 'CLS', 'Speed Index'],
      lh.map(([n, r]) => [n, r.score, r.scores.join(' '), ms(r.fcp), ms(r.lcp), ms(r.tbt), r.tbtRange, fmt(r.cls, 3), ms(r.si)])), '');
    const cls = (x) => fmt(x, 4);
    const lhChecks = (r) => [
      ['performance', String(r.score), String(BUDGET.lhScore), atLeast(r.score, BUDGET.lhScore, (x) => `${x.toFixed(0)} point${x === 1 ? '' : 's'}`)],
      ['LCP', ms(r.lcp), `≤ ${ms(BUDGET.lcp)}`, atMost(r.lcp, BUDGET.lcp, ms)],
      ['TBT', ms(r.tbt), `≤ ${ms(BUDGET.tbt)}`, atMost(r.tbt, BUDGET.tbt, ms)],
      ['CLS', cls(r.cls), String(BUDGET.cls), atMost(r.cls, BUDGET.cls, cls)],
    ];
    const lhRows = [];
    for (const [n, r] of lh) {
      for (const [what, got, budget, v] of lhChecks(r)) {
        lhRows.push([`${n} ${what}`, got, budget, v]);
        summary.push([`${n}: Lighthouse ${what} (median of ${LH_RUNS})`, got, budget, v]);
      }
    }
    out.push(table(['budget (median)', 'measured', 'budget', 'verdict'], lhRows), '');

    // 5. Main-thread tasks.
    out.push(`## Main-thread tasks during load, 4x CPU (a Chrome trace per load, ${TRACES} cold loads per page, until the live mark and network idle)`, '');
    out.push(table(['page', 'loads', 'tasks per load', 'longest task, median', 'longest, max', `tasks > ${BUDGET.longTask} ms per load`, 'budget', 'verdict'],
      traced.map(([n, counts, t]) => [n, t.loads.length, t.loads.map((l) => l.tasks).join(' '), ms(t.median), ms(t.max),
        t.loads.map((l) => l.over.length).join(' '),
        counts ? `none > ${ms(BUDGET.longTask)}` : '(reference)',
        counts ? atMost(t.median, BUDGET.longTask, ms) : '']),
    ), '');
    out.push(`Budget: no main-thread task over ${ms(BUDGET.longTask)} (the verdict is on the median load's longest task). ` +
      'The static copies carry no budget: their tasks are the floor the browser sets (navigation, parse, style, layout, paint) at 4x CPU under tracing.', '');
    out.push('The longest task of each load, from navigation start, and what the trace shows inside it (pieces over 10% of the task):', '');
    for (const [n, , t] of traced) {
      t.loads.forEach((l, i) => {
        const others = l.over.slice(1).map((x) => `${ms(x.dur)} at +${ms(x.start)} (${x.brief})`);
        const over = others.length ? `. Also over ${ms(BUDGET.longTask)}: ${others.join('; ')}` : '';
        out.push(`- ${n}, load ${i + 1}: ${ms(l.longest?.dur)} at +${ms(l.longest?.start)}: ${l.longest?.what ?? 'n/a'}${over}. Trace: ${relative(ROOT, l.file)}`);
      });
    }
    out.push('');
    for (const [n, counts, t] of traced) {
      if (!counts) continue;
      summary.push([`${n}: longest main-thread task during load, 4x CPU (median of ${TRACES} loads)`, ms(t.median), `≤ ${ms(BUDGET.longTask)}`, atMost(t.median, BUDGET.longTask, ms)]);
    }

    // 6. Keystrokes.
    out.push('## Keystroke to updated institution list (4x CPU)', '');
    out.push(table(['keys pressed', 'list changed', 'median', 'p90', 'max', 'budget (p90)', 'verdict'],
      [[keys.pressed, keys.changed, ms(keys.median), ms(keys.p90), ms(keys.max), `≤ ${ms(BUDGET.keystrokeP90)}`, atMost(keys.p90, BUDGET.keystrokeP90, ms)]]), '');
    summary.push(['keystroke to updated list, p90 (4x CPU)', ms(keys.p90), `≤ ${ms(BUDGET.keystrokeP90)}`, atMost(keys.p90, BUDGET.keystrokeP90, ms)]);

    out.push("## Issue 12's budgets", '');
    out.push(table(['figure', 'measured', 'budget', 'verdict'], summary));
  } finally {
    await browser.close().catch(() => {});
    await server.stop();
  }
  console.log(out.join('\n'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
