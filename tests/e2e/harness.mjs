// End-to-end harness: starts link-server on ephemeral loopback ports with a
// temporary database and the built app, launches Debian's Chromium through
// playwright-core, and watches every page for CSP violations and crashes.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHOTS = join(ROOT, 'target', 'e2e-screenshots');
mkdirSync(SHOTS, { recursive: true });

/** Whether link-server renders the link pages' first screen. With
 *  `LINK_CLIENT_RENDER=true` (which link-server reads too) it serves them
 *  as built, as a static file host does: scripts/test walks every suite
 *  both ways. */
export const SERVER_RENDERS = process.env.LINK_CLIENT_RENDER !== 'true';

/** Starts link-server; resolves once it prints `ready`. */
export async function startServer({ dist = process.env.LINK_DIST ?? join(ROOT, 'dist'), env = {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'druo-e2e-'));
  const bin = process.env.LINK_SERVER_BIN ?? join(ROOT, 'target', 'debug', 'link-server');
  const child = spawn(bin, [
    '--db', join(dir, 'link.db'), '--dist', dist,
    '--api-addr', '127.0.0.1:0', '--link-addr', '127.0.0.1:0', '--seed-demo',
  ], { env: { ...process.env, DRUO_API_TOKEN: '', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const out = [];
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`link-server did not start: ${out.join('\n')}`)), 20000);
    child.once('exit', (code) => reject(new Error(`link-server exited ${code}: ${out.join('\n')}`)));
    lines.on('line', (l) => {
      out.push(l);
      if (l === 'ready') { clearTimeout(timer); resolve(); }
    });
  });
  const find = (prefix) => out.find((l) => l.startsWith(prefix))?.slice(prefix.length).trim().split(/\s+/)[0];
  const demo = Object.fromEntries(out.filter((l) => l.startsWith('demo: ')).map((l) => {
    const m = l.slice(6).match(/^(.*?)\s+(http\S+)$/);
    return [m[1].trim(), m[2]];
  }));
  const server = {
    api: find('merchant API'),
    link: find('hosted links'),
    token: find('merchant NOVO token'),
    signingSecret: find('merchant NOVO signing secret'),
    demo,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
    /** Calls the merchant API as NOVO. */
    async merchant(method, path, body) {
      const res = await fetch(`${server.api}${path}`, {
        method,
        headers: { 'DRUO-Version': '2021-11-22', Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, json: await res.json() };
    },
  };
  return server;
}

/**
 * Checks a way back to the merchant as docs/api.md tells a merchant to:
 * the text after `redirectUrl`'s own query, through `ts`, signed with
 * HMAC-SHA256 under `secret` as the last parameter `sig`, and `ts` within
 * five minutes. Returns the signed text.
 */
export function assertSigned(href, redirectUrl, secret) {
  assert.ok(secret, 'the demo merchant printed its signing secret');
  const query = new URL(href).search.slice(1);
  let own = new URL(redirectUrl).search.slice(1);
  if (own && !own.endsWith('&')) own += '&';
  assert.ok(query.startsWith(own), `the merchant's own query comes first: ${href}`);
  const cut = query.lastIndexOf('&sig=');
  assert.ok(cut > 0, `sig is appended: ${href}`);
  const signed = query.slice(own.length, cut);
  const sig = query.slice(cut + 5);
  const ts = Number(/(?:^|&)ts=(\d+)$/.exec(signed)?.[1]);
  assert.ok(Math.abs(Date.now() / 1000 - ts) < 300, `ts is now: ${signed}`);
  const want = createHmac('sha256', secret).update(signed).digest('hex');
  assert.ok(sig.length === want.length && timingSafeEqual(Buffer.from(sig), Buffer.from(want)), `sig verifies: ${href}`);
  return signed;
}

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
];

/** Launches headless Debian Chromium. */
export function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** Pages opened by the running test; `useServerAndBrowser` checks them all. */
const openPages = [];

/**
 * A page that records CSP violations, uncaught errors and console errors.
 * `check()` throws if any happened.
 */
export async function watchedPage(browser, { width = 360, height = 740, ignoreConsole = [], allowErrors = false, ...contextOptions } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, ...contextOptions });
  const page = await context.newPage();
  const problems = [];
  // Reported straight to Node, so a violation counts even if the page is
  // closed or navigated away before the test looks.
  await page.exposeFunction('__reportCsp', (v) => problems.push(`csp: ${v}`));
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
      window.__reportCsp?.(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !ignoreConsole.some((re) => re.test(m.text()))) {
      problems.push(`console: ${m.text()}`);
    }
  });
  page.problems = () => (allowErrors ? problems.filter((p) => p.startsWith('csp:')) : problems);
  page.check = async () => {
    const all = page.problems();
    if (all.length) throw new Error(`page problems:\n${all.join('\n')}`);
  };
  openPages.push(page);
  page.shot = (name) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  // A server-rendered link page works before its app is live (issue 24):
  // a tap then is a page load or a post. The suites that walk the live
  // app wait for it after each load, so what they test is the app; a page
  // whose wasm a test holds back or breaks, or with JavaScript off, is
  // walked as it is.
  page.waitsLive = contextOptions.javaScriptEnabled !== false;
  const route = page.route.bind(page);
  page.route = (pattern, ...rest) => {
    if (String(pattern).includes('wasm')) page.waitsLive = false;
    return route(pattern, ...rest);
  };
  for (const name of ['goto', 'reload']) {
    const load = page[name].bind(page);
    page[name] = async (...args) => {
      const res = await load(...args);
      if (page.waitsLive) await untilLive(page);
      return res;
    };
  }
  return page;
}

/** Waits until a server-rendered link page's app is live (its `druo-live`
 *  mark, src/lib.rs); at once for any other page. */
export async function untilLive(page) {
  await page.waitForFunction(
    () => !document.getElementById('druo-link-data') || performance.getEntriesByName('druo-live').length > 0,
    null,
    { timeout: 20000 },
  );
}

/**
 * Asserts that `secret` (an account number) is nowhere the link page keeps
 * state: its URL, localStorage, sessionStorage or cookies. Call it while the
 * page is still on the link's origin, before it leaves for the merchant:
 * storage is per origin, so afterwards it would read the merchant's.
 */
export async function assertNotKept(page, secret, linkOrigin) {
  const kept = await page.evaluate(() => ({
    origin: location.origin,
    url: location.href,
    localStorage: JSON.stringify({ ...localStorage }),
    sessionStorage: JSON.stringify({ ...sessionStorage }),
    cookie: document.cookie,
  }));
  assert.equal(kept.origin, linkOrigin, 'still on the link page');
  for (const [where, text] of Object.entries(kept)) {
    assert.ok(!text.includes(secret), `the number in ${where}`);
  }
  const cookies = JSON.stringify(await page.context().cookies());
  assert.ok(!cookies.includes(secret), 'the number in a cookie');
}

/**
 * Registers before/after hooks that start link-server and Chromium for a
 * test file, and returns an object whose `server` and `browser` are set
 * once the hooks ran.
 */
export function useServerAndBrowser(hooks, options) {
  const ctx = { server: undefined, browser: undefined };
  // Every test fails on a CSP violation, an uncaught error or an
  // unexpected console error on any page it opened.
  hooks.afterEach?.(() => {
    const pages = openPages.splice(0);
    const all = pages.flatMap((p) => p.problems());
    if (all.length) throw new Error(`page problems:\n${all.join('\n')}`);
  });
  hooks.before(async () => {
    ctx.server = await startServer(options);
    ctx.browser = await launch();
  });
  hooks.after(async () => {
    await ctx.browser?.close();
    await ctx.server?.stop();
  });
  return ctx;
}

/**
 * A plain static file server for the built app (no link-server, no API),
 * as a designer would use: files from `dist/`, `index.html` for any path
 * that is not a file.
 */
export async function startStaticServer(dist = join(ROOT, 'dist'), fallback = 'index.html') {
  const { createServer } = await import('node:http');
  const { readFile } = await import('node:fs/promises');
  const { extname, normalize } = await import('node:path');
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.svg': 'image/svg+xml' };
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(dist, path);
    let body;
    try {
      body = await readFile(file);
    } catch {
      file = join(dist, fallback);
      body = await readFile(file);
    }
    res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    stop: () => new Promise((r) => server.close(r)),
  };
}

/**
 * Makes `page` read its link from the API, as on a static file host: the
 * link page comes as built (`dist/…/index.html`, the static shell) instead
 * of with the first screen link-server rendered and the link it carries,
 * so the app reads the link itself and a test can fake that read
 * (malformed, hostile or failing answers from the service).
 */
export async function readLinkFromApi(page, dist = join(ROOT, 'dist')) {
  await page.route((url) => /^\/(connect\/secure|checkout\/?)$/.test(url.pathname), async (route) => {
    if (route.request().resourceType() !== 'document') return route.continue();
    const res = await route.fetch();
    const build = new URL(route.request().url()).pathname.startsWith('/checkout') ? 'checkout' : '.';
    return route.fulfill({ response: res, body: readFileSync(join(dist, build, 'index.html'), 'utf8') });
  });
}

/** Checks every page the test opened (for suites without link-server). */
export function checkOpenPages() {
  const pages = openPages.splice(0);
  const all = pages.flatMap((p) => p.problems());
  if (all.length) throw new Error(`page problems:\n${all.join('\n')}`);
}

const AXE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** Runs axe-core (WCAG 2.2 A and AA) on the page; fails on any serious or critical violation. */
export async function axe(p, name) {
  await p.evaluate(AXE);
  const result = await p.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
  }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], name);
}

/**
 * A real SMTP server on loopback (issue 27's receipt emails): enough of
 * RFC 5321 for link-server's client, keeping every message it accepts as
 * `{ to, data }`. `url` is what `--smtp-url` / LINK_SMTP_URL takes.
 */
export async function startSmtpSink() {
  const { createServer } = await import('node:net');
  const mail = [];
  const server = createServer((socket) => {
    let buffer = '';
    let data = null;
    let to = [];
    socket.write('220 sink ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let end;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (data !== null) {
          if (line === '.') {
            mail.push({ to, data });
            data = null;
            to = [];
            socket.write('250 queued\r\n');
          } else {
            data += `${line.startsWith('.') ? line.slice(1) : line}\r\n`;
          }
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') socket.write('250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n');
        else if (verb === 'RCPT') { to.push(line.replace(/^[^<]*<|>.*$/g, '')); socket.write('250 ok\r\n'); }
        else if (verb === 'DATA') { data = ''; socket.write('354 end with .\r\n'); }
        else if (verb === 'QUIT') { socket.end('221 bye\r\n'); }
        else socket.write('250 ok\r\n');
      }
    });
    socket.on('error', () => {});
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `smtp://127.0.0.1:${port}`,
    mail,
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}
