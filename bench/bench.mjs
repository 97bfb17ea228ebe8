// The performance benchmark behind `scripts/bench` (issue 7). It prints
// figures; it asserts nothing. Run it through scripts/bench, which builds the
// release app and the server first.
//
//  1. Bytes of each asset on a link page's critical path: raw, gzip, Brotli.
//  2. Render ratio: time to meaningful render of the live page against a
//     static HTML page with the same DOM and CSS, served by the same server in
//     the same run, interleaved A/B pairs (the order alternates), cold cache,
//     4x CPU throttling; then again under Slow 4G.
//  3. Keystroke to updated institution list, at 4x CPU.
//  4. Lighthouse (mobile, its default simulated Slow 4G) on a connect and a
//     checkout link: performance score, CLS, TBT, FCP, LCP.
//
// "Meaningful render" is the paint of the element marked
// elementtiming="meaningful" (Element Timing API): the intro text of a connect
// link, under which its Continue button is already usable; the amount of a
// checkout link. The institution list is on the connect page's second step
// (one tap after the intro; its catalog loads during the intro), so its
// responsiveness is the keystroke figure.
//
// Environment: BENCH_PAIRS (default 15), BENCH_LH_RUNS (default 3),
// LINK_SERVER_BIN (default target/server/link-server).
import { cpSync, mkdirSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';
import { ROOT, startServer, CHROMIUM_ARGS } from '../tests/e2e/harness.mjs';
import { sizes, brotli, gzip } from '../scripts/assets.mjs';

const PAIRS = Number(process.env.BENCH_PAIRS ?? 15);
const LH_RUNS = Number(process.env.BENCH_LH_RUNS ?? 3);
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

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

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (i - lo);
};
const ms = (x) => (Number.isFinite(x) ? `${x.toFixed(0)} ms` : 'n/a');
const fmt = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

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
  await page.addInitScript(() => {
    window.__meaningful = new Promise((resolve) => {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          if (e.identifier === 'meaningful') resolve(e.renderTime || e.loadTime);
        }
      }).observe({ type: 'element', buffered: true });
    });
  });
  return { context, page };
}

/** Time from navigation start to the meaningful paint of `url`. */
async function meaningfulRender(browser, url, network) {
  const { context, page } = await throttledPage(browser, network);
  try {
    await page.goto(url, { waitUntil: 'commit' });
    const t = await page.evaluate(() => Promise.race([
      window.__meaningful,
      new Promise((r) => setTimeout(() => r(NaN), 30000)),
    ]));
    return t;
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

/** Interleaved A/B pairs; the order alternates so drift favours neither. */
async function renderRatio(browser, live, stat, network) {
  const rows = [];
  for (let i = 0; i < PAIRS; i++) {
    let a;
    let b;
    if (i % 2 === 0) {
      a = await meaningfulRender(browser, stat, network);
      b = await meaningfulRender(browser, live, network);
    } else {
      b = await meaningfulRender(browser, live, network);
      a = await meaningfulRender(browser, stat, network);
    }
    rows.push({ stat: a, live: b, ratio: b / a });
  }
  const ok = rows.filter((r) => Number.isFinite(r.ratio));
  return {
    pairs: ok.length,
    missed: rows.length - ok.length,
    stat: quantile(ok.map((r) => r.stat), 0.5),
    live: quantile(ok.map((r) => r.live), 0.5),
    median: quantile(ok.map((r) => r.ratio), 0.5),
    p90: quantile(ok.map((r) => r.ratio), 0.9),
  };
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
    child.on('exit', async (code) => {
      if (code !== 0) return reject(new Error(`lighthouse exited ${code}: ${err.slice(-2000)}`));
      const { readFileSync } = await import('node:fs');
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
  const dist = join(ROOT, 'target', 'bench', 'dist');
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  cpSync(join(ROOT, 'dist'), dist, { recursive: true });

  const bytes = sizes(join(ROOT, 'dist'));
  const studio = sizes(join(ROOT, 'dist', 'preview'));

  process.env.LINK_SERVER_BIN ??= join(ROOT, 'target', 'server', 'link-server');
  const server = await startServer({ dist });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const out = [];
  try {
    const connect = server.demo['connect (Banco Novo colors)'] ?? Object.entries(server.demo).find(([k]) => k.startsWith('connect'))?.[1];
    const checkout = Object.entries(server.demo).find(([k]) => k.startsWith('checkout'))?.[1];
    if (!connect || !checkout) throw new Error(`no demo links in ${JSON.stringify(server.demo)}`);
    const origin = new URL(connect).origin;
    const staticConnect = origin + (await staticCopy(browser, connect, dist, 'bench-static-connect.html'));
    const staticCheckout = origin + (await staticCopy(browser, checkout, dist, 'bench-static-checkout.html'));

    console.error(`render ratio: ${PAIRS} pairs per row…`);
    const ratios = [
      ['connect, 4x CPU', await renderRatio(browser, connect, staticConnect, null)],
      ['checkout, 4x CPU', await renderRatio(browser, checkout, staticCheckout, null)],
      ['connect, Slow 4G + 4x CPU', await renderRatio(browser, connect, staticConnect, SLOW_4G)],
      ['checkout, Slow 4G + 4x CPU', await renderRatio(browser, checkout, staticCheckout, SLOW_4G)],
    ];
    console.error('keystrokes…');
    const keys = await keystrokes(browser, connect);
    await browser.close();
    console.error(`lighthouse: ${LH_RUNS} runs per page…`);
    const lh = [
      ['connect', await lighthouseMedian(connect)],
      ['checkout', await lighthouseMedian(checkout)],
    ];

    out.push('## Bytes (critical path of a link page; Brotli q11, gzip -9)', '');
    const row = (name, r) => [name, r.raw, r.gzip, r.brotli];
    out.push(table(['asset', 'raw', 'gzip', 'Brotli'], [
      row('index.html', bytes.html), row('CSS', bytes.css), row('JS glue', bytes.js), row('wasm', bytes.wasm),
      row('total', bytes.total), row('(studio wasm, /preview only)', studio.wasm),
    ]));
    out.push('', `Budgets: wasm ≤ 95000 B Brotli (${bytes.wasm.brotli <= 95000 ? 'holds' : `over by ${bytes.wasm.brotli - 95000} B`}); ` +
      `total ≤ 110000 B (${bytes.total.brotli <= 110000 ? 'holds' : `over by ${bytes.total.brotli - 110000} B`}).`, '');

    out.push('## Time to meaningful render, live page / static copy (median of each; ratio per pair)', '');
    out.push(table(['condition', 'pairs', 'static', 'live', 'ratio median', 'ratio p90'],
      ratios.map(([n, r]) => [n, `${r.pairs}${r.missed ? ` (+${r.missed} missed)` : ''}`, ms(r.stat), ms(r.live), `${fmt(r.median)}x`, `${fmt(r.p90)}x`])));
    out.push('', 'Budget: ratio ≤ 1.3x at 4x CPU.', '');

    out.push('## Keystroke to updated institution list (4x CPU)', '');
    out.push(table(['keys pressed', 'list changed', 'median', 'p90', 'max'],
      [[keys.pressed, keys.changed, ms(keys.median), ms(keys.p90), ms(keys.max)]]));
    out.push('', 'Budget: ≤ 50 ms.', '');

    out.push(`## Lighthouse mobile, simulated Slow 4G + 4x CPU (median of each figure over ${LH_RUNS} runs)`, '');
    out.push(table(['page', 'performance', 'scores', 'FCP', 'LCP', 'TBT', 'TBT range', 'CLS', 'Speed Index'],
      lh.map(([n, r]) => [n, r.score, r.scores.join(' '), ms(r.fcp), ms(r.lcp), ms(r.tbt), r.tbtRange, fmt(r.cls, 3), ms(r.si)])));
    out.push('', 'Budgets: performance ≥ 95, CLS ≤ 0.01, TBT ≤ 50 ms.');
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
