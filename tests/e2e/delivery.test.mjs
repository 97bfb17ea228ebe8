// How a link page is delivered (issues 7 and 24): a page link-server rendered
// carries its reads and preloads nothing (its first bytes are HTML and CSS);
// served as built, the link's API reads start with the HTML instead of after
// the wasm ran, and are not fetched twice; the assets are
// precompressed with the types streaming compilation needs, and cached for a
// year; the theme studio is its own build that no link page downloads.
// Timings are scripts/bench's business; these tests check the mechanisms.

import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { SERVER_RENDERS, useServerAndBrowser, watchedPage } from './harness.mjs';
import { t } from './words.mjs';

const ctx = useServerAndBrowser({ before, after, afterEach });

/** Loads `url` and returns every request path and its response. */
async function load(url, ready) {
  const page = await watchedPage(ctx.browser);
  const seen = [];
  page.on('response', (r) => seen.push({ path: new URL(r.url()).pathname, res: r, initiator: r.request().resourceType() }));
  await page.goto(url);
  await page.locator(ready).first().waitFor();
  await page.waitForLoadState('networkidle');
  return { page, seen };
}

/** The `Link` header a page served as built comes with: each read it
 *  starts with. A rendered page carries them and has none. */
const preloads = (paths) => paths.map((p) => `<${p}>; rel=preload; as=fetch; crossorigin=anonymous`).join(', ');

test('a connect link page carries its reads (or preloads them) and fetches each at most once', async () => {
  const url = ctx.server.demo['connect link, English'];
  const { page, seen } = await load(url, '.intro-text');
  const html = seen.find((s) => s.path === '/connect/secure');
  const preload = html.res.headers()['link'] ?? '';
  const slug = encodeURIComponent(new URL(url).searchParams.get('sl'));
  const link = `/api/v1/connect-links/${slug}`;
  // Rendered by link-server, the link came in the page: no read of it at
  // all. Served as built, it is preloaded and read once.
  assert.equal((await html.res.text()).includes('id="druo-link-data"'), SERVER_RENDERS);
  assert.equal(preload, SERVER_RENDERS ? '' : preloads([link, '/api/v1/institutions']));
  const reads = SERVER_RENDERS ? 0 : 1;
  assert.equal(seen.filter((s) => s.path === link).length, reads, 'the link is read at most once');
  assert.equal(seen.filter((s) => s.path === '/api/v1/institutions').length, reads, 'the app reused the preload');
  // The catalog arrived with the page: Continue shows the list at once.
  await page.getByRole('link', { name: 'Continue' }).click();
  await page.locator('#bank-list [role=option]').first().waitFor();
  assert.equal(seen.filter((s) => s.path === '/api/v1/institutions').length, reads);
  await page.check();
});

test('a checkout link page carries its reads (or preloads them) and fetches each at most once', async () => {
  const url = Object.entries(ctx.server.demo).find(([k]) => k.startsWith('checkout'))[1];
  const { page, seen } = await load(url, '.summary-amount');
  const slug = encodeURIComponent(new URL(url).searchParams.get('sl'));
  const preload = seen.find((s) => s.path.startsWith('/checkout')).res.headers()['link'] ?? '';
  const link = `/api/v1/checkout-links/${slug}`;
  const accounts = `${link}/accounts`;
  assert.equal(preload, SERVER_RENDERS ? '' : preloads([link, accounts]));
  if (!SERVER_RENDERS) {
    await page.waitForFunction((p) => performance.getEntriesByType('resource').some((e) => new URL(e.name).pathname === p), accounts);
  }
  const reads = SERVER_RENDERS ? 0 : 1;
  assert.equal(seen.filter((s) => s.path === accounts).length, reads, `${accounts} fetched at most once`);
  assert.equal(seen.filter((s) => s.path === link).length, reads, 'the link is read at most once');
  await page.check();
});

test('assets come precompressed, typed for streaming compilation, cached for a year', async () => {
  const { page, seen } = await load(ctx.server.demo['connect link, English'], '.intro-text');
  const kinds = { '.wasm': 'application/wasm', '.js': 'text/javascript', '.css': 'text/css' };
  for (const [ext, type] of Object.entries(kinds)) {
    const a = seen.find((s) => s.path.endsWith(ext));
    assert.ok(a, `a ${ext} asset was loaded`);
    const h = a.res.headers();
    assert.equal(h['content-type'], type, a.path);
    assert.equal(h['content-encoding'], 'br', a.path);
    assert.equal(h['cache-control'], 'public, max-age=31536000, immutable', a.path);
  }
  // The HTML names the current build, so it is never cached.
  const html = seen.find((s) => s.path === '/connect/secure');
  assert.equal(html.res.headers()['cache-control'], 'no-store');
  await page.check();
});

test('the theme studio is its own build, which link pages never download', async () => {
  const link = await load(ctx.server.demo['connect link, English'], '.intro-text');
  const linkWasm = link.seen.find((s) => s.path.endsWith('.wasm')).path;
  assert.ok(!linkWasm.startsWith('/preview/'), linkWasm);
  assert.ok(link.seen.every((s) => !s.path.startsWith('/preview')), 'no studio bytes on a link page');
  const studio = await load(`${ctx.server.link}/preview`, 'h1');
  const studioWasm = studio.seen.find((s) => s.path.endsWith('.wasm')).path;
  assert.match(studioWasm, /^\/preview\/druo-link-[0-9a-f]+_bg\.wasm$/);
  await studio.page.locator('.studio').waitFor();
  await link.page.check();
  await studio.page.check();
});

test('each link page downloads its own flow: connect and checkout are builds of their own', async () => {
  const connect = await load(ctx.server.demo['connect link, English'], '.intro-text');
  const checkout = await load(ctx.server.demo['checkout link'], '.summary-amount');
  const wasmOf = (l) => l.seen.filter((s) => s.path.endsWith('.wasm')).map((s) => s.path);
  const [c, k] = [wasmOf(connect), wasmOf(checkout)];
  assert.equal(c.length, 1, c.join());
  assert.equal(k.length, 1, k.join());
  assert.match(c[0], /^\/druo-link-[0-9a-f]+_bg\.wasm$/);
  assert.match(k[0], /^\/checkout\/druo-link-[0-9a-f]+_bg\.wasm$/);
  assert.ok(connect.seen.every((s) => !s.path.startsWith('/checkout/')), 'no checkout bytes on a connect page');
  await connect.page.check();
  await checkout.page.check();
});

test('the wasm is fetched once, with its integrity, and a clean load prints no warning', async () => {
  const page = await watchedPage(ctx.browser);
  const said = [];
  page.on('console', (m) => said.push(`${m.type()}: ${m.text()}`));
  const wasm = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname.endsWith('.wasm')) wasm.push(r); });
  await page.goto(ctx.server.demo['connect link, English']);
  await page.locator('.intro-text').waitFor();
  await page.waitForLoadState('networkidle');
  assert.equal(wasm.length, 1, 'the wasm is requested once (no unused preload)');
  assert.deepEqual(said.filter((s) => /^(warning|error)/.test(s)), [], 'no console warning or error');
  await page.shot('delivery-clean-load');
  await page.check();
});

for (const [locale, words] of [
  ['es-CO', { title: t('ServiceErrorTitle', 'es_CO'), retry: t('Retry', 'es_CO') }],
  ['en-US', { title: t('ServiceErrorTitle', 'en_US'), retry: t('Retry', 'en_US') }],
]) {
  // A fetch still under way when the test stops tampering (`unroute`,
  // then a click or reload) finds its route handled by then: that load is
  // not the one the test looks at, so only that error is let go.
  const handledAlready = (e) => {
    if (!/already handled/i.test(String(e))) throw e;
  };
  const tamper = async (route) => {
    try {
      const res = await route.fetch();
      const body = Buffer.from(await res.body());
      body[body.length - 1] ^= 0xff;
      await route.fulfill({ response: res, body });
    } catch (e) {
      handledAlready(e);
    }
  };

  test(`a wasm whose bytes were changed is refused, and the page still works or says so (${locale} browser)`, async () => {
    const page = await watchedPage(ctx.browser, { locale, ignoreConsole: [/integrity|digest/i] });
    await page.route(/_bg\.wasm$/, tamper);
    await page.goto(ctx.server.demo['connect link, English']);
    if (SERVER_RENDERS) {
      // The first screen link-server rendered works without its app
      // (issue 24): it stays, says nothing failed, and leads on.
      await page.locator('.intro-text').waitFor();
      await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('.wasm')));
      await page.waitForLoadState('networkidle');
      assert.equal(await page.evaluate(() => window.wasmBindings === undefined), true, 'the app did not run');
      assert.equal(await page.locator('[data-load-failed]').count(), 0, 'no failure notice on a page that works');
      await page.shot(`delivery-tampered-wasm-${locale}`);
      await page.getByRole('link', { name: 'Continue' }).click();
      await page.getByRole('heading', { level: 1, name: 'Choose your bank' }).waitFor();
      // The wasm arrives whole: the next load runs the app.
      await page.unroute(/_bg\.wasm$/);
      page.waitsLive = true;
      await page.reload();
      assert.equal(await page.evaluate(() => window.wasmBindings !== undefined), true, 'the app runs');
      await page.check();
      return;
    }
    const notice = page.locator('[data-load-failed]');
    await page.getByRole('heading', { level: 1, name: words.title }).waitFor();
    assert.equal(await notice.getAttribute('role'), 'alert');
    assert.equal(await page.locator('[data-load-failed] h1:visible').count(), 1, 'one language, the browser\'s');
    assert.equal(await page.locator('[data-load-pending]').isVisible(), false, 'no endless skeleton');
    assert.equal(await page.evaluate(() => window.wasmBindings === undefined), true, 'the app did not run');
    await page.shot(`delivery-tampered-wasm-${locale}`);
    // "Try again" runs the app once the wasm arrives whole.
    await page.unroute(/_bg\.wasm$/);
    await page.getByRole('button', { name: words.retry }).click();
    await page.locator('.intro-text').waitFor();
    await page.check();
  });
}
