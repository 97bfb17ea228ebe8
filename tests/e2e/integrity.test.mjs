// Script integrity (issue 25, PCI DSS 4.0 6.4.3): the CSP's script hashes
// come from the inventory the build made of the app's own inline scripts
// (scripts/assets.mjs inventory → <build>/.script-inventory.json, read by
// server/src/inventory.rs), not from whatever the served file holds. Here
// the built app is copied and an inline script is added to its
// index.html files after the build, as someone with write access to the
// served files (or a compromised deploy step) would; link-server serves
// that copy. In Chromium the added script does not run, the app's own
// scripts do (the page goes live and works), the browser reports the
// violation, and link-server receives the report (`POST /csp-reports`,
// a `csp_report` line in its security log).
//
// Both ways of serving (scripts/test's passes): a rendered first screen
// or the page as built; the tampered file is the same either way.

import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT, useServerAndBrowser, watchedPage } from './harness.mjs';

const BUILT = process.env.LINK_DIST ?? join(ROOT, 'dist');
const TMP = mkdtempSync(join(tmpdir(), 'druo-integrity-'));
const DIST = join(TMP, 'dist');
const LOG = join(TMP, 'security.log');
const INJECTED_BODY = "window.__injected = true; document.title = 'pwned'";
const INJECTED = `<script>${INJECTED_BODY}</script>`;
const sha256 = (s) => createHash('sha256').update(s, 'utf8').digest('base64');

// The tampered copy: each link page's build gets the script after the
// build, its inventory left as the build wrote it.
cpSync(BUILT, DIST, { recursive: true });
for (const build of ['.', 'checkout']) {
  const file = join(DIST, build, 'index.html');
  const html = readFileSync(file, 'utf8');
  writeFileSync(file, html.includes('</body>') ? html.replace('</body>', `${INJECTED}</body>`) : html + INJECTED);
}

const ctx = useServerAndBrowser({ before, after, afterEach }, { dist: DIST, env: { LINK_SECURITY_LOG: LOG } });
after(() => rmSync(TMP, { recursive: true, force: true }));

/** The violation the added script causes (harness.mjs's `csp: …` form). */
const BLOCKED_INLINE = /^csp: script-src(-elem)? inline$/;

/**
 * A watched page on which the added script's violation is expected (it is
 * the point of the test): it is kept out of the page's problems, and
 * Chromium's console line about it is not an error of the page. Anything
 * else (another violation, a Trusted Types refusal, an uncaught error)
 * still fails the test.
 */
async function tamperedPage() {
  const page = await watchedPage(ctx.browser, { ignoreConsole: [/(Refused to execute|Executing) inline script (because it )?violates/] });
  const problems = page.problems;
  page.problems = () => problems().filter((p) => !BLOCKED_INLINE.test(p));
  return page;
}

/** The `csp_report` lines of the security log for `path`, waiting up to
 *  90 s for one (the `report-uri` report is sent at once; a Reporting API
 *  batch may come later). */
async function reportsFor(path) {
  const until = Date.now() + 90_000;
  for (;;) {
    const lines = existsSync(LOG) ? readFileSync(LOG, 'utf8').split('\n').filter(Boolean) : [];
    const reports = lines.map((l) => JSON.parse(l)).filter((e) => e.event === 'csp_report' && e.page === path);
    if (reports.length || Date.now() > until) return reports;
    await sleep(250);
  }
}

for (const [name, label, path, build] of [
  ['connect page', 'connect link, English', '/connect/secure', '.'],
  ['checkout page', 'checkout link', '/checkout/', 'checkout'],
]) {
  test(`${name}: an inline script added to the served index.html after the build does not run, is reported, and the page still works`, async () => {
    const url = ctx.server.demo[label];
    assert.ok(url, JSON.stringify(ctx.server.demo));
    assert.equal(new URL(url).pathname, path);

    // Served as tampered, with a policy that lists the build's inventory
    // and not the added script.
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.ok((await res.text()).includes(INJECTED), 'the added script is in the page served');
    const csp = res.headers.get('content-security-policy') ?? '';
    const inventory = JSON.parse(readFileSync(join(DIST, build, '.script-inventory.json'), 'utf8'));
    assert.deepEqual(inventory.scripts.map((s) => s.purpose).sort(), ['loader', 'page-helpers']);
    for (const s of inventory.scripts) assert.ok(csp.includes(`'sha256-${s.sha256}'`), `${s.purpose} allowed: ${csp}`);
    assert.ok(!csp.includes(sha256(INJECTED_BODY)), `the added script is not allowed: ${csp}`);
    assert.ok(!/unsafe-inline/.test(csp), csp);
    assert.match(csp, /report-uri \/csp-reports/, csp);

    const page = await tamperedPage();
    // goto waits until a rendered page's app is live (harness.mjs).
    await page.goto(url);
    // The app's own scripts ran: the loader started the checked wasm.
    await page.waitForFunction(() => window.wasmBindings !== undefined, null, { timeout: 20000 });
    const seen = await page.evaluate(() => ({ injected: window.__injected, title: document.title, csp: window.__csp }));
    assert.equal(seen.injected, undefined, 'the added script ran');
    assert.notEqual(seen.title, 'pwned', 'the added script ran');
    // The browser saw exactly the added script refused, nothing else.
    assert.ok(seen.csp.length >= 1, 'no securitypolicyviolation event');
    assert.ok(seen.csp.every((v) => BLOCKED_INLINE.test(`csp: ${v}`)), JSON.stringify(seen.csp));

    // And the page works: a person can go on.
    if (name === 'connect page') {
      await page.getByRole('link', { name: /^(Continue|Continuar)$/ }).click();
      await page.getByRole('combobox').waitFor();
    } else {
      const h1 = page.locator('h1:visible');
      await h1.waitFor();
      assert.ok((await h1.textContent()).trim().length > 0);
      await page.locator('main button:visible, main a:visible').first().waitFor();
    }
    await page.shot(`integrity-${build === '.' ? 'connect' : build}-tampered`);

    // link-server received the browser's report and logged it, with the
    // page's path only (no slug) and nothing of the script.
    const reports = await reportsFor(path);
    assert.ok(reports.length > 0, `no csp_report for ${path} in ${LOG}: ${existsSync(LOG) ? readFileSync(LOG, 'utf8') : '(no log)'}`);
    assert.ok(
      reports.some((r) => /^script-src(-elem)?$/.test(r.directive) && r.blocked === 'inline'),
      JSON.stringify(reports),
    );
    const log = readFileSync(LOG, 'utf8');
    const slug = new URL(url).searchParams.get('sl');
    assert.ok(slug && !log.includes(slug), 'the log holds the link slug');
    assert.ok(!log.includes('pwned'), 'the log holds the script');
    await page.check();
  });
}
