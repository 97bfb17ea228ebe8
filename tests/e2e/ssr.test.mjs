// The first screen in the first response (issue 12): link-server renders
// each link page's first screen with the app's own components; the app
// hydrates it (the served elements become the live ones: nothing moves,
// nothing changes), and what a person presses or types before it is live takes
// effect once it is. Without link-server (a static file host) the pages
// still work, rendered by the browser.

import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, request } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { ROOT, SERVER_RENDERS, useServerAndBrowser, watchedPage } from './harness.mjs';

const ctx = useServerAndBrowser({ before, after, afterEach });

/** A checkout link for a new payer with one saved account, in Spanish and
 *  the merchant's colours, made through the merchant API; `extra` changes
 *  the request (an expiry in the past). */
async function checkoutLink(extra = {}) {
  const { json: person } = await ctx.server.merchant('POST', '/end-users/create', {
    type: 'INDIVIDUAL', first_name: 'Ana', last_name: 'Gómez', email: `ana${(ctx.people = (ctx.people ?? 0) + 1)}@example.co`,
  });
  const payer = person.end_user.uuid;
  const create = async (more) => {
    const { status, json } = await ctx.server.merchant('POST', '/checkout/link/create', {
      existing_end_user_id: payer, default_language: 'es_CO', link_name: 'Renovación', primary_reference: 'INV 1',
      redirect_url: 'https://merchant.example/done', sidebar_background_color: '#e8f1fb',
      sidebar_text_color: '#0f2a47', button_color: '#0b5cad', ...more,
      transaction: { tenant_id: '22637d15-5b37-4fb2-90e5-aa8751970469', amount: 2000000, description: 'Póliza INV1', statement_descriptor: 'NOVO* INV1' },
    });
    assert.equal(status, 200, JSON.stringify(json));
    return json.checkout_link.url;
  };
  // The saved account, connected as a checkout page connects one (a
  // validated account, `POST /accounts/validate`, is not one that pays).
  const account = await submitAccount('checkout-links', await create({}), '1234567894');
  assert.equal(account.current_status, 'CONNECTED', JSON.stringify(account));
  return create(extra);
}

/** A Davivienda savings account sent through a link page's own API, as
 *  the page sends it (`kind`: connect-links or checkout-links). */
async function submitAccount(kind, url, number) {
  const slug = new URL(url).searchParams.get('sl');
  const res = await fetch(`${ctx.server.link}/api/v1/${kind}/${encodeURIComponent(slug)}/accounts`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID(), Origin: ctx.server.link },
    body: JSON.stringify({
      institution_uuid: 'ins_9082d56c-4e1d-4967-a828-b7001755e88e', type: 'DEPOSITORY', subtype: 'SAVINGS',
      account_number: number, user_authorization: true,
    }),
  });
  const account = await res.json();
  assert.equal(res.status, 201, JSON.stringify(account));
  return account;
}

/** A connect link held for an account waiting for its small deposit's
 *  code (…3): reopened, it resumes that step. */
async function heldForCode() {
  const { json: person } = await ctx.server.merchant('POST', '/end-users/create', {
    type: 'INDIVIDUAL', first_name: 'Ana', last_name: 'Gómez', email: 'ana.code@example.co',
  });
  const { status, json } = await ctx.server.merchant('POST', '/connect/link/create', {
    existing_end_user_id: person.end_user.uuid, intro_text: 'NOVO uses DRUO to connect to your bank account.',
    redirect_url: 'https://merchant.example/done',
  });
  assert.equal(status, 200, JSON.stringify(json));
  const url = json.connect_link.url;
  const account = await submitAccount('connect-links', url, '1234567893');
  assert.equal(account.current_status, 'VERIFICATION_IN_PROGRESS', JSON.stringify(account));
  return url;
}

/** The page states a link can open in, each with text its first screen shows. */
async function states() {
  const d = ctx.server.demo;
  ctx.checkouts ??= [await checkoutLink(), await checkoutLink({ expiration_date: '2021-11-16T23:23:38' })];
  ctx.code ??= await heldForCode();
  return [
    ['connect intro', d['connect link, English'], '.intro-text'],
    ['connect intro, merchant colours', d['connect link, Spanish, custom colours'], '.intro-text'],
    ['connect, bank step', `${d['connect link, English']}&step=bank`, '#bank-search'],
    ['connect, details step', `${d['connect link, English']}&step=details&inst=ins_9082d56c-4e1d-4967-a828-b7001755e88e`, '#account-number'],
    ['connect, reopened on its deposit code', ctx.code, '#deposit-code'],
    ['checkout', d['checkout link'], '.summary-amount'],
    ['checkout, Spanish, merchant colours, a saved account', ctx.checkouts[0], '.summary-amount'],
    ['checkout, expired', ctx.checkouts[1], 'h1:visible'],
    ['expired link', d['expired connect link'], 'h1:visible'],
    ['not found', `${ctx.server.link}/connect/secure?sl=nope`, 'h1:visible'],
  ];
}

/** In the page: `__snapshot()` lists every visible element of `#app`
 *  (tag, classes, own text, box), and `__atLive` is that list the moment
 *  the app went live (its `druo-live` mark), before any read it then
 *  starts can answer. (No eval: the page's CSP forbids it.) */
function watchMount() {
  window.__snapshot = () => {
    const out = [];
    for (const el of document.querySelectorAll('#app *')) {
      const r = el.getBoundingClientRect();
      if (!r.width && !r.height) continue;
      const own = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim();
      out.push(`${el.tagName} .${el.className?.baseVal ?? el.className} "${own}" ${[r.x, r.y, r.width, r.height].map(Math.round).join(',')}`);
    }
    return out;
  };
  // `__markServed()` remembers the served screen's elements; `__keptAtLive`
  // says whether every one of them is still on the page once it is live.
  let served = [];
  // (Not the shell's notices for a page whose code never arrives, which
  // go as the app goes live.)
  window.__markServed = () => {
    served = [...document.querySelectorAll('#app *')].filter((el) => !el.closest('[data-load-failed], noscript'));
  };
  window.__kept = () => served.length > 0 && served.every((el) => el.isConnected);
  const mark = performance.mark.bind(performance);
  performance.mark = (name, ...rest) => {
    if (name === 'druo-live') {
      window.__atLive = window.__snapshot();
      window.__keptAtLive = window.__kept();
    }
    return mark(name, ...rest);
  };
}

/** Opens `url` with the wasm held back until `release()`; the page then goes live. */
async function heldPage(url, options = {}) {
  const page = await watchedPage(ctx.browser, options);
  await page.addInitScript(watchMount);
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route(/_bg\.wasm$/, async (route) => { await held; return route.continue(); });
  if (options.cpu) {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: options.cpu });
  }
  await page.goto(url);
  return { page, release };
}

/** link-server's rendering, skipped when it serves the pages as built. */
const rendering = { skip: !SERVER_RENDERS && 'link-server serves the pages as built (LINK_CLIENT_RENDER)' };

const live = (page) => page.waitForFunction(() => performance.getEntriesByName('druo-live').length > 0);

test('each link page state comes rendered in its first response, in the browser\'s language, themed under the strict CSP', rendering, async () => {
  for (const [name, url, selector] of await states()) {
    for (const lang of ['en-US', 'es-CO']) {
      const res = await fetch(url, { headers: { 'Accept-Language': lang } });
      const html = await res.text();
      const csp = res.headers.get('content-security-policy');
      assert.ok(html.includes('id="druo-link-data"'), `${name}: the page carries its link`);
      // The reads the screens are built from come with the page (the
      // catalog; a checkout's saved accounts), so nothing is a placeholder.
      const app = html.slice(html.search(/<div id="?app"?>/), html.indexOf('id="druo-link-data"'));
      assert.ok(!app.includes('class="skeleton'), `${name}: content, not placeholders`);
      if (name.startsWith('checkout') && !name.includes('expired')) {
        assert.ok(html.includes('id="druo-read-accounts"') && html.includes('id="druo-read-institutions"'), `${name}: carries its reads`);
      }
      if (name === 'checkout') {
        // The demo payer has no saved account: the first screen is the
        // connector's bank list, with no Pay button to vanish under a tap.
        assert.ok(app.includes('id="bank-search"'), `${name}: opens in the connector`);
        assert.doesNotMatch(app, /<button[^>]*class="primary"/, `${name}: no Pay button`);
      }
      if (name.includes('a saved account')) {
        assert.ok(app.includes('7894') && /<button[^>]*class="primary"/.test(app), `${name}: the account and Pay, served`);
        assert.match(app, /<input[^>]*type="radio"[^>]*checked/, `${name}: served with the account chosen`);
      }
      if (name === 'connect, details step') {
        assert.ok(app.includes('Davivienda'), `${name}: the chosen bank, served`);
      }
      if (name.includes('deposit code')) {
        assert.ok(app.includes('7893') && !app.includes('id="account-number"'), `${name}: the held account's step, served`);
      }
      const bare = selector.replace(':visible', '');
      const cls = bare.startsWith('.') ? `class="${bare.slice(1)}"` : bare.startsWith('#') ? `id="${bare.slice(1)}"` : `<${bare}`;
      assert.ok(html.includes(cls), `${name}: ${selector} in the HTML`);
      assert.ok(!csp.includes('unsafe-inline') && csp.includes("default-src 'none'"), csp);
      if (html.includes('<style>')) assert.match(csp, /style-src 'self' 'sha256-[A-Za-z0-9+/=]+'/, `${name}: the theme is allowed by its hash`);
    }
  }
  // The link's language wins over the browser's; ?lang= over both.
  const es = ctx.server.demo['connect link, Spanish, custom colours'];
  assert.match(await (await fetch(es, { headers: { 'Accept-Language': 'en-US' } })).text(), /<html lang="es-CO"/);
  assert.match(await (await fetch(`${es}&lang=en_US`)).text(), /<html lang="en-US"/);
});

for (const [width, locale] of [[360, 'es-CO'], [1280, 'en-US']]) {
  test(`${width} px, ${locale}: the live page takes over the server's first screen as it is, in every state`, rendering, async () => {
    for (const [name, url, selector] of await states()) {
      const { page, release } = await heldPage(url, { width, locale, ignoreConsole: [/status of 404/] });
      await page.locator(selector).first().waitFor();
      const served = await page.evaluate(() => { window.__markServed(); return window.__snapshot(); });
      release();
      await live(page);
      const [atLive, kept] = await page.evaluate(() => [window.__atLive, window.__keptAtLive]);
      assert.ok(served.length > 5, `${name}: a screen was served`);
      assert.deepEqual(atLive, served, `${name}: the live page changed the server's screen`);
      // Hydrated, not built again: the served elements are the live ones
      // (a mismatch would have panicked, failing the page's check below).
      assert.ok(kept, `${name}: the live page replaced the server's elements`);
      // Nor does anything move once it is live: no read is left to arrive.
      await page.waitForLoadState('networkidle');
      assert.deepEqual(await page.evaluate(() => window.__snapshot()), served, `${name}: the page changed after it went live`);
      assert.ok(await page.evaluate(() => window.__kept()), `${name}: the page rebuilt the server's elements after it went live`);
      await page.shot(`ssr-${width}-${locale}-${name.replace(/\W+/g, '-')}`);
      await page.check();
      await page.context().close();
    }
  });
}

test('a tap on Continue, typing and Enter in the bank search made before the page is live do what the HTML says (4x CPU, wasm delayed)', rendering, async () => {
  const url = ctx.server.demo['connect link, English'];
  const { page, release } = await heldPage(url, { cpu: 4 });
  await page.getByRole('link', { name: 'Continue' }).click();
  setTimeout(release, 1500);
  await page.locator('#bank-search').waitFor();
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Choose your bank or wallet');
  await page.context().close();

  // On the details step: the number typed into the server's form is in
  // the live form, with the focus where it was.
  const details = `${url}&step=details&inst=ins_9082d56c-4e1d-4967-a828-b7001755e88e`;
  const typed = await heldPage(details, { cpu: 4 });
  await typed.page.locator('#account-number').fill('12345678');
  await typed.page.locator('#account-number').focus();
  typed.release();
  await live(typed.page);
  await typed.page.waitForFunction(() => document.activeElement?.id === 'account-number');
  assert.equal(await typed.page.locator('#account-number').inputValue(), '12345678');
  // The live form knows it: a mismatched confirmation is its error.
  await typed.page.locator('#account-confirm').fill('12345679');
  await typed.page.getByRole('button', { name: /connect/i }).click();
  await typed.page.locator('#account-confirm-error:not(:empty)').waitFor();
  await typed.page.check();
  await typed.page.context().close();

  // The checkout of a payer with no account opens on the bank search: a
  // search sent with Enter before live is a form the server answers with
  // the same search; a tap on the bank found chooses it.
  const search = await heldPage(ctx.server.demo['checkout link'], { cpu: 4 });
  await search.page.locator('#bank-search').fill('nequi');
  await search.page.locator('#bank-search').press('Enter');
  await search.page.waitForURL(/[?&]q=nequi/);
  search.release();
  assert.equal(await search.page.locator('#bank-search').inputValue(), 'nequi');
  await search.page.getByRole('option', { name: /Nequi/ }).first().click();
  await search.page.locator('#account-number').waitFor();
  assert.match(await search.page.locator('.chosen-bank .bank-name').textContent(), /Nequi/);
  await search.page.check();
  await search.page.context().close();
});

test('Back or Forward pressed before the page is live shows the step the URL then names (wasm delayed)', rendering, async () => {
  const page = await watchedPage(ctx.browser);
  // The wasm passes, except while a gate is closed.
  let gate = null;
  const close = () => {
    let open;
    const wait = new Promise((r) => { open = r; });
    gate = { wait, open: () => { gate = null; open(); } };
    return gate;
  };
  await page.route(/_bg\.wasm$/, async (route) => { if (gate) await gate.wait; return route.continue(); });
  const h1 = (name) => page.getByRole('heading', { level: 1, name }).waitFor();
  await page.goto(ctx.server.demo['connect link, English']);
  await live(page);
  await page.getByRole('link', { name: 'Continue' }).click();
  await page.locator('#bank-search').fill('davivienda');
  await page.keyboard.press('Enter');
  await h1('Enter your account details');
  await page.goBack();
  await h1('Choose your bank or wallet');

  // Reloaded on the picker; Forward before the code arrives.
  let held = close();
  await page.reload();
  await page.locator('#bank-search').waitFor();
  await page.goForward();
  assert.equal(new URL(page.url()).searchParams.get('step'), 'details');
  held.open();
  await live(page);
  await h1('Enter your account details');
  assert.match(await page.locator('.chosen-bank .bank-name').textContent(), /Davivienda/);

  // Reloaded on the form; Back before the code arrives.
  held = close();
  await page.reload();
  await page.locator('#account-number').waitFor();
  await page.goBack();
  held.open();
  await live(page);
  await h1('Choose your bank or wallet');
  await page.locator('#bank-search').fill('nequi');
  await page.keyboard.press('Enter');
  await h1('Enter your wallet details');
  await page.check();
  await page.context().close();
});

/** A static file host of dist/ (directory index, else dist/index.html) with /api proxied to link-server. */
async function staticHost() {
  const api = new URL(ctx.server.link);
  const dist = join(ROOT, 'dist');
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.svg': 'image/svg+xml' };
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    if (path.startsWith('/api/')) {
      const out = request({ host: api.hostname, port: api.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode, r.headers);
        r.pipe(res);
      });
      return req.pipe(out);
    }
    for (const file of [join(dist, path), join(dist, path, 'index.html'), join(dist, 'index.html')]) {
      try {
        const body = await readFile(file);
        res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
        return res.end(body);
      } catch { /* the next candidate */ }
    }
    res.writeHead(404).end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  // Stopping drops the browser's kept-alive connections too: waiting for
  // them to go idle could outlast the test.
  const stop = () => new Promise((r) => { server.close(r); server.closeAllConnections(); });
  return { origin: `http://127.0.0.1:${server.address().port}`, stop };
}

test('without link-server, a static file host serves working link pages, rendered by the browser', async () => {
  const host = await staticHost();
  try {
    const path = (u) => { const x = new URL(u); return x.pathname + x.search; };
    const connect = await watchedPage(ctx.browser);
    await connect.goto(host.origin + path(ctx.server.demo['connect link, English']));
    await connect.locator('.intro-text').waitFor();
    await connect.getByRole('link', { name: 'Continue' }).click();
    await connect.locator('#bank-list [role=option]').first().waitFor();
    await connect.check();
    const checkout = await watchedPage(ctx.browser, { width: 1280 });
    await checkout.goto(host.origin + path(ctx.server.demo['checkout link']));
    await checkout.locator('.summary-amount').waitFor();
    const wasm = await checkout.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).find((p) => p.endsWith('.wasm')));
    assert.match(wasm, /^\/checkout\//, 'the checkout page\'s own build');
    await checkout.shot('ssr-static-host-checkout');
    await checkout.check();
    await connect.context().close();
    await checkout.context().close();
  } finally {
    await host.stop();
  }
});
