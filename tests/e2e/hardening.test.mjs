// Hardening, proven in Chromium: the built app's subresource integrity,
// malformed service answers, hostile merchant data, CSS-injection colours
// and unsafe redirect URLs coming back from the service, double submits,
// and axe-core (WCAG 2.2 A and AA) on the pages' states. Every page also
// fails on a CSP violation or an uncaught error (harness.mjs).

import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { ROOT, assertNotKept, axe, readLinkFromApi, useServerAndBrowser, watchedPage } from './harness.mjs';
import { oneOf, t } from './words.mjs';

const EUR = 'eur_868d99a5-6578-40cf-8aec-e7a48085fa37';
const TENANT = '22637d15-5b37-4fb2-90e5-aa8751970469';
const DIST = join(ROOT, 'dist');

const ctx = useServerAndBrowser({ before, after, afterEach });

async function connectLink(extra = {}) {
  const { status, json } = await ctx.server.merchant('POST', '/connect/link/create', {
    existing_end_user_id: EUR,
    intro_text: 'NOVO uses DRUO to connect to your bank account.',
    redirect_url: 'https://merchant.example/done',
    ...extra,
  });
  assert.equal(status, 200, JSON.stringify(json));
  return json.connect_link;
}

async function checkoutLink(extra = {}, tx = {}) {
  const { status, json } = await ctx.server.merchant('POST', '/checkout/link/create', {
    existing_end_user_id: EUR, link_name: 'Order', ...extra,
    transaction: { tenant_id: TENANT, amount: 2000000, ...tx },
  });
  assert.equal(status, 200, JSON.stringify(json));
  return json.checkout_link;
}

async function page(width = 360, options = {}) {
  const p = await watchedPage(ctx.browser, { width, ...options });
  p.dialogs = [];
  p.on('dialog', (d) => { p.dialogs.push(d.message()); d.dismiss(); });
  p.posts = [];
  p.on('request', (r) => { if (r.method() === 'POST') p.posts.push(r.url()); });
  await p.route('https://merchant.example/**', (r) => r.fulfill({ contentType: 'text/html', body: 'merchant' }));
  return p;
}

/** Rewrites the JSON of GET answers matching `glob`. */
async function rewrite(p, glob, edit) {
  // The link's own read: the page must make it (not render from the link
  // the server wrote into it) for the test to change its answer.
  if (/-links\/\*$/.test(glob)) await readLinkFromApi(p);
  await rewriteAnswers(p, glob, 'GET', edit);
}

/** Like `rewrite`, for the answers to the page's POSTs (the account
 *  submit carries the way back the service signed: `return_url`). */
const rewritePost = (p, glob, edit) => rewriteAnswers(p, glob, 'POST', edit);

/** The JSON answers to `method` requests matching `glob`, edited. */
async function rewriteAnswers(p, glob, method, edit) {
  await p.route(glob, async (route) => {
    if (route.request().method() !== method) return route.continue();
    const res = await route.fetch();
    const json = await res.json();
    edit(json);
    return route.fulfill({ response: res, json });
  });
}

const heading = (p, name) => p.getByRole('heading', { level: 1, name }).waitFor();

/** From the intro to a valid account form (Davivienda, savings, authorized). */
async function fillConnect(p, number) {
  await p.getByRole('link', { name: /^(Continue|Continuar)$/ }).click();
  await fillAtDavivienda(p, number);
}

/** From the bank search to a valid account form at Davivienda. */
async function fillAtDavivienda(p, number) {
  await p.getByRole('combobox').fill('davivienda');
  await p.keyboard.press('Enter');
  await p.locator('#account-number').fill(number);
  await p.locator('#account-confirm').fill(number);
  await p.locator('input[type=radio]').first().check();
  await p.locator('#authorization').check();
}

async function noHorizontalOverflow(p) {
  const [sw, cw] = await p.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(sw <= cw + 1, `page scrolls sideways: ${sw} > ${cw}`);
}


// Every build: the connect page (dist/), the checkout page (dist/checkout/)
// and the theme studio (dist/preview/).
for (const [name, dir, base] of [
  ['connect page', DIST, '/'],
  ['checkout page', join(DIST, 'checkout'), '/checkout/'],
  ['theme studio', join(DIST, 'preview'), '/preview/'],
]) {
  test(`the built index.html of the ${name} references exactly its assets, each checked by a matching SRI hash`, () => {
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    const all = readdirSync(dir).filter((f) => !f.startsWith('.') && f !== 'preview' && f !== 'checkout').sort();
    const files = all.filter((f) => !/\.(br|gz)$/.test(f));
    const js = files.find((f) => f.endsWith('.js'));
    const wasm = files.find((f) => f.endsWith('_bg.wasm'));
    // The link pages have main.css only; the studio adds its studio.css.
    const css = files.filter((f) => f.endsWith('.css'));
    assert.deepEqual(css.map((f) => f.replace(/-[0-9a-f]+\.css$/, '')), name === 'theme studio' ? ['main', 'studio'] : ['main']);
    assert.deepEqual(files, [js, wasm, 'favicon.svg', 'index.html', ...css].sort());
    const refs = [...html.matchAll(/(?:href|src)=["']?([^"' >]+)/g)].map((m) => m[1]).sort();
    assert.deepEqual(refs, ['/favicon.svg', ...css.map((c) => `${base}${c}`), `${base}${js}`].sort());
    assert.ok(html.includes(`import('${base}${js}')`), 'the loader imports the checked glue');
    // The wasm is fetched by the loader itself, with its integrity: a
    // preload's integrity is ignored for fetch destinations (scripts/assets.mjs).
    const loaderSri = html.match(new RegExp(`fetch\\('${(base + wasm).replace(/[./]/g, '\\$&')}', \\{ integrity: '(sha384-[^']+)' \\}\\)`))?.[1];
    const wasmDigest = createHash('sha384').update(readFileSync(join(dir, wasm))).digest('base64');
    assert.equal(loaderSri, `sha384-${wasmDigest}`, 'the loader fetches the wasm with its integrity');
    for (const f of [js, ...css]) {
      const tag = html.match(new RegExp(`<link[^>]*href=/?${(base.slice(1) + f).replace(/[./]/g, '\\$&')}[^>]*>`))?.[0];
      const sri = tag?.match(/integrity=["']?(sha384-[^"' >]+)/)?.[1];
      assert.ok(sri, `${f} has an integrity attribute`);
      const digest = createHash('sha384').update(readFileSync(join(dir, f))).digest('base64');
      assert.equal(sri, `sha384-${digest}`, f);
    }
    // Every asset but index.html (served by the app route) has Brotli and
    // gzip copies holding exactly its bytes, or SRI would refuse them.
    for (const f of files.filter((f) => f !== 'index.html')) {
      const raw = readFileSync(join(dir, f));
      assert.ok(brotliDecompressSync(readFileSync(join(dir, `${f}.br`))).equals(raw), `${f}.br`);
      assert.ok(gunzipSync(readFileSync(join(dir, `${f}.gz`))).equals(raw), `${f}.gz`);
    }
    assert.deepEqual(all.filter((f) => /\.(br|gz)$/.test(f)).length, 2 * (files.length - 1));
  });
}

test('malformed service answers give a localized error with a retry, never a blank page', async () => {
  const link = await connectLink();
  const broken = [
    ['empty object', { status: 200, body: '{}' }],
    ['nulls', { status: 200, body: '{"uuid": null, "merchant_name": null, "intro_text": null}' }],
    ['wrong types', { status: 200, body: '{"uuid": 5, "merchant_name": [], "intro_text": 7, "state": true}' }],
    ['truncated', { status: 200, body: '{"uuid": "clk_1", "merchant_na' }],
    ['HTML error page', { status: 200, body: '<html><body>502 Bad Gateway</body></html>', contentType: 'text/html' }],
    ['empty 200', { status: 200, body: '' }],
    ['unknown enum', null],
  ];
  for (const [name, answer] of broken) {
    const p = await page(360, { ignoreConsole: [/status of/] });
    if (answer) {
      await readLinkFromApi(p);
      await p.route('**/api/v1/connect-links/*', (r) => r.fulfill({ contentType: 'application/json', ...answer }));
    } else {
      await rewrite(p, '**/api/v1/connect-links/*', (j) => { j.state = 'SOMETHING_NEW'; });
    }
    await p.goto(link.url);
    await heading(p, t('ServiceErrorTitle', 'en_US'));
    assert.ok(await p.getByRole('button', { name: 'Try again' }).isVisible(), name);
    if (name === 'empty object') await axe(p, 'service error');
    await p.check();
    await p.close();
  }
  // 500, 502 and 503 are retried with backoff before the error shows; then
  // Retry works.
  for (const status of [500, 502, 503]) {
    const p = await page(360, { ignoreConsole: [/status of 50/] });
    await readLinkFromApi(p);
    let calls = 0;
    await p.route('**/api/v1/connect-links/*', (r) => {
      calls += 1;
      return r.fulfill({ status, contentType: 'text/html', body: '<h1>Bad gateway</h1>' });
    });
    await p.goto(link.url);
    await heading(p, t('ServiceErrorTitle', 'en_US'));
    assert.equal(calls, 4, `${status}: one try and three retries`);
    await p.unroute('**/api/v1/connect-links/*');
    await p.getByRole('button', { name: 'Try again' }).click();
    await heading(p, 'Connect your bank account');
    await p.shot(`hardening-retry-recovered-${status}`);
    await p.check();
    await p.close();
  }
});

test('script and markup in merchant data render as text; huge strings keep the page usable', async () => {
  const { json: eu } = await ctx.server.merchant('POST', '/end-users/create', {
    first_name: '<img src=x onerror=alert(1)>\u202Eevil', email: 'x@example.co',
  });
  const link = await connectLink({
    existing_end_user_id: eu.end_user.uuid,
    intro_text: '<script>alert(1)</script><b>NOVO</b> uses DRUO for this',
  });
  let p = await page(360);
  await p.goto(link.url);
  await heading(p, 'Connect your bank account');
  const main = await p.textContent('main');
  assert.ok(main.includes('<script>alert(1)</script><b>NOVO</b> uses DRUO for this'));
  assert.ok(main.includes('<img src=x onerror=alert(1)>'));
  assert.equal(await p.locator('main img, main script, main b').count(), 0, 'no new nodes from data');
  await p.shot('hardening-hostile-connect');
  await p.check();
  assert.deepEqual(p.dialogs, []);

  const chk = await checkoutLink(
    { link_name: '<script>alert("name")</script>', link_description: '<img src=x onerror=alert(2)>' },
    { description: '<svg onload=alert(3)>', statement_descriptor: '"><iframe src=javascript:alert(4)>' },
  );
  p = await page(360);
  const long = 'W'.repeat(10000);
  await rewrite(p, '**/api/v1/checkout-links/*', (j) => {
    j.merchant_name = long;
    j.transaction.description = long;
  });
  await p.goto(chk.url);
  await p.getByRole('heading', { level: 1 }).waitFor();
  await p.locator('details.summary-panel summary').click();
  const aside = await p.textContent('aside');
  assert.ok(aside.includes('<script>alert("name")</script>') && aside.includes('"><iframe src=javascript:alert(4)>'));
  assert.equal(await p.locator('aside img, aside svg, aside script, aside iframe').count(), 0);
  await noHorizontalOverflow(p);
  // The step's action stays reachable: Pay, or (issue 14) for a payer with
  // no account yet, the bank picker the checkout opens in.
  await p.locator('button.primary, [role=combobox]').last().waitFor();
  assert.ok(await p.locator('button.primary, [role=combobox]').last().isVisible(), 'the action is still reachable');
  await p.shot('hardening-hostile-checkout-10k');
  await p.check();
  assert.deepEqual(p.dialogs, []);
});

test('colours the service should never return are ignored by the page', async () => {
  const link = await connectLink();
  const p = await page(360);
  const requests = [];
  p.on('request', (r) => requests.push(r.url()));
  await rewrite(p, '**/api/v1/connect-links/*', (j) => {
    j.theme = {
      background_color: 'red;background:url(//x.example/a)', content_background_color: '#fff;}',
      content_box_text_color: '＃fff', button_color: '#ffff', button_text_color: '#fff\n',
    };
    // What the page writes: the colours as the service resolved them.
    j.theme_vars = [
      { name: '--page-bg', value: 'red;background:url(//x.example/a)' },
      { name: '--box-bg', value: '#fff;}' },
      { name: '--box-text', value: '＃fff' },
      { name: '--button-bg;background:url(//x.example/b)', value: '#000000' },
      { name: 'background', value: '#000000' },
      { name: '--button-text', value: '#fff\n' },
      // A good one among them is written, as the service resolved it.
      { name: '--accent', value: '#123' },
    ];
  });
  await p.goto(link.url);
  await heading(p, 'Connect your bank account');
  // None of the bad ones written: the stylesheet's defaults hold (`#fff`
  // there is `#ffffff`).
  const vars = await p.evaluate(() => ['--page-bg', '--box-bg', '--box-text', '--button-bg', '--button-text']
    .map((v) => getComputedStyle(document.documentElement).getPropertyValue(v).trim())
    .map((c) => (/^#[0-9a-f]{3}$/i.test(c) ? `#${[...c.slice(1)].map((d) => d + d).join('')}` : c)));
  assert.deepEqual(vars, ['#eef1f6', '#ffffff', '#1f2933', '#1b2a4a', '#ffffff']);
  assert.deepEqual(await p.evaluate(() => {
    const s = document.documentElement.style;
    return [s.length, s.getPropertyValue('--accent')];
  }), [1, '#112233'], 'only the good variable is written on <html>');
  assert.ok(!requests.some((u) => u.includes('x.example')), 'no request to the injected URL');
  await p.check();
});

test('unsafe ways back from the service are never navigated to', async () => {
  for (const evil of ['javascript:alert(1)', 'JAVA\tSCRIPT:alert(1)', '//evil.example', 'https:evil.example', 'data:text/html,x']) {
    const link = await connectLink({ custom_confirmation_page: true });
    const p = await page(360);
    // The page follows the signed `return_url` of the submit's answer.
    await rewritePost(p, '**/api/v1/connect-links/*/accounts', (j) => { j.return_url = evil; });
    await p.goto(link.url);
    await heading(p, 'Connect your bank account');
    await fillConnect(p, '12345674');
    await p.getByRole('button', { name: 'Connect account' }).click();
    await heading(p, 'Account connected');
    assert.equal(new URL(p.url()).origin, ctx.server.link, evil);
    assert.equal(await p.getByRole('link', { name: /Return to/ }).count(), 0, `no return link for ${evil}`);
    assert.deepEqual(p.dialogs, []);
    await p.check();
    await p.close();
  }
});

test('five fast clicks and Enter send exactly one POST', async () => {
  const link = await connectLink();
  const p = await page(360);
  // Hold the answer so every click lands while the submit is in flight.
  let release;
  const held = new Promise((r) => { release = r; });
  await p.route('**/api/v1/connect-links/*/accounts', async (r) => { await held; return r.continue(); });
  await p.goto(link.url);
  await heading(p, 'Connect your bank account');
  await fillConnect(p, '12345674');
  const button = p.locator('button[type=submit]');
  await button.click();
  for (let i = 0; i < 4; i++) await button.click({ force: true, noWaitAfter: true }).catch(() => {});
  await p.locator('#account-confirm').press('Enter');
  release();
  await heading(p, 'Account connected');
  assert.equal(p.posts.filter((u) => u.endsWith('/accounts')).length, 1);
  await p.check();
});

const EXTREME = {
  background_color: '#ffff00', content_background_color: '#000000', content_box_text_color: '#111111',
  button_color: '#000000', button_text_color: '#000000',
};

for (const [themeName, theme] of [['default', {}], ['extreme', EXTREME]]) {
  for (const lang of ['en_US', 'es_CO']) {
    test(`axe: connect page states, ${themeName} theme, ${lang}`, async () => {
      // A person of their own: a number a walk left pending or connected
      // would be found again instead of making a new account.
      const { json: eu } = await ctx.server.merchant('POST', '/end-users/create', { first_name: 'Axe', email: 'axe@example.co' });
      const person = { existing_end_user_id: eu.end_user.uuid };
      const link = await connectLink({ default_language: lang, ...person, ...theme });
      // A wrong deposit code is answered 422, which Chromium logs.
      const p = await page(360, { ignoreConsole: [/status of 422/] });
      await p.goto(link.url);
      await p.getByRole('heading', { level: 1 }).waitFor();
      await axe(p, 'intro');
      await p.locator('a.primary').click();
      await p.getByRole('combobox').waitFor();
      await axe(p, 'picker');
      await p.getByRole('combobox').fill('davivienda');
      await p.keyboard.press('Enter');
      await p.locator('#account-number').fill('12a');
      await p.locator('#account-confirm').fill('1');
      await p.locator('#account-confirm').blur();
      await axe(p, 'form with errors');
      // …5: the connection failed (UNABLE_TO_LOCATE_ACCOUNT).
      await p.locator('#account-number').fill('12340005');
      await p.locator('#account-confirm').fill('12340005');
      await p.locator('input[type=radio]').first().check();
      await p.locator('#authorization').check();
      await p.locator('button[type=submit]').click();
      await p.getByRole('heading', { level: 1, name: oneOf('RejectedTitle') }).waitFor();
      await p.locator('a.secondary').waitFor();
      await axe(p, 'rejected');
      await p.locator('a.primary').click();
      // …3: the small deposit's code, a wrong one refused, then 72.
      await p.locator('#account-number').fill('12340003');
      await p.locator('#account-confirm').fill('12340003');
      await p.locator('button[type=submit]').click();
      await p.getByRole('heading', { level: 1, name: /^(Confirm the small deposit|Confirma el pequeño depósito)$/ }).waitFor();
      await axe(p, 'deposit code');
      const code = p.getByLabel(/^(Deposit code|Código del depósito)$/);
      await code.fill('27');
      await p.getByRole('button', { name: /^(Confirm code|Confirmar código)$/ }).click();
      await p.locator('#deposit-code[aria-invalid=true]').waitFor();
      await axe(p, 'wrong deposit code');
      await code.fill('72');
      await p.getByRole('button', { name: /^(Confirm code|Confirmar código)$/ }).click();
      await p.getByRole('heading', { level: 1, name: /^(Account connected|Cuenta conectada)$/ }).waitFor();
      await axe(p, 'connected');
      await p.shot(`axe-connect-${themeName}-${lang}`);
      // …2: the live wait for the bank's approval, with the way back.
      const waiting = await connectLink({ default_language: lang, ...person, ...theme });
      await p.goto(waiting.url);
      await fillConnect(p, '12340002');
      await p.locator('button[type=submit]').click();
      await p.getByRole('heading', { level: 1, name: /^(Approve the request in Davivienda|Aprueba la solicitud en Davivienda)$/ }).waitFor();
      await p.getByRole('link', { name: /NOVO/ }).waitFor();
      await axe(p, 'approval wait');
      await p.shot(`axe-connect-wait-${themeName}-${lang}`);
      const expired = await connectLink({ default_language: lang, expiration_date: '2021-01-01T00:00:00', ...theme });
      await p.goto(expired.url);
      await p.getByRole('heading', { level: 1 }).waitFor();
      await axe(p, 'expired');
      await p.check();
    });

    test(`axe: checkout page states, ${themeName} theme, ${lang}`, async () => {
      const link = await checkoutLink({
        default_language: lang,
        ...(themeName === 'extreme' ? { ...EXTREME, content_background_color: undefined, content_box_text_color: undefined,
          main_content_box_background_color: '#000000', main_content_box_text_color: '#111111',
          sidebar_background_color: '#ffff00', sidebar_text_color: '#eeee00' } : {}),
      });
      for (const width of [360, 1280]) {
        const p = await page(width);
        await p.goto(link.url);
        await p.getByRole('heading', { level: 1 }).waitFor();
        // A payer with accounts chooses; one without goes straight to the picker.
        await p.locator('input[type=radio], a.secondary, [role=combobox]').first().waitFor();
        await axe(p, `choose at ${width}`);
        await p.check();
        await p.close();
      }
    });
  }
}

test('axe: not-found page', async () => {
  const p = await page(360, { ignoreConsole: [/status of 404/] });
  await p.goto(`${ctx.server.link}/connect/secure?sl=nope`);
  await p.getByRole('heading', { level: 1 }).waitFor();
  await axe(p, 'not found');
});

test('reads honour Retry-After and survive connection resets', async () => {
  const link = await connectLink();
  const p = await page(360, { ignoreConsole: [/status of 429/, /ERR_CONNECTION_RESET/, /Failed to fetch/] });
  const times = [];
  await readLinkFromApi(p);
  await p.route('**/api/v1/connect-links/*', (r) => {
    times.push(Date.now());
    if (times.length === 1) return r.abort('connectionreset');
    if (times.length === 2) return r.fulfill({ status: 429, headers: { 'Retry-After': '2' }, body: '' });
    return r.continue();
  });
  await p.goto(link.url);
  await heading(p, 'Connect your bank account');
  assert.equal(times.length, 3);
  assert.ok(times[2] - times[1] >= 1900, `waited ${times[2] - times[1]} ms for Retry-After: 2`);
  await p.check();
});

test('an offline banner appears while offline and leaves when the network returns', async () => {
  const link = await connectLink();
  // The submit sent offline fails in the browser, which logs it: expected.
  const p = await page(360, { ignoreConsole: [/ERR_INTERNET_DISCONNECTED/] });
  await p.goto(link.url);
  await heading(p, 'Connect your bank account');
  const banner = p.getByText(t('Offline', 'en_US'));
  assert.equal(await banner.count(), 0);
  await p.context().setOffline(true);
  await banner.waitFor();
  await p.shot('hardening-offline');
  await p.context().setOffline(false);
  await banner.waitFor({ state: 'detached' });
  // A form sent while offline: the banner and the form say the same thing
  // (nothing was sent; try again once back), and nothing typed is lost.
  await fillConnect(p, '1234567894');
  await p.context().setOffline(true);
  await banner.waitFor();
  await p.getByRole('button', { name: t('SubmitAccount', 'en_US') }).click();
  await p.getByRole('alert').filter({ hasText: t('SubmitOffline', 'en_US') }).waitFor();
  assert.equal(await p.getByText(t('SubmitFailed', 'en_US')).count(), 0, 'one message, not two that disagree');
  await p.shot('hardening-offline-sent');
  await p.context().setOffline(false);
  await banner.waitFor({ state: 'detached' });
  assert.equal(await p.locator('#account-number').inputValue(), '1234567894');
  await p.getByRole('button', { name: t('SubmitAccount', 'en_US') }).click();
  await heading(p, t('ConnectedTitle', 'en_US'));
  await p.check();
});

const EXTREME_CHECKOUT = {
  background_color: '#ffff00', sidebar_background_color: '#ffff00', sidebar_text_color: '#eeee00',
  main_content_box_background_color: '#000000', main_content_box_text_color: '#111111',
  button_color: '#000000', button_text_color: '#000000',
};

for (const [themeName, theme] of [['default', {}], ['extreme', EXTREME_CHECKOUT]]) for (const lang of ['en_US', 'es_CO']) {
  test(`axe: checkout new account, paid, declined and already-paid states, ${themeName} theme, ${lang}`, async () => {
    const { json: eu } = await ctx.server.merchant('POST', '/end-users/create', { first_name: 'Axe', email: 'axe@example.co' });
    const payer = eu.end_user.uuid;
    // The paying account's last digits choose the outcome: …4 pays, …16
    // fails (EXCEEDS_ACCOUNT_LIMIT).
    for (const [number, paid] of [['12345674', true], ['1234567816', false]]) {
      const link = await checkoutLink({ default_language: lang, existing_end_user_id: payer, ...theme });
      const p = await page(360);
      await p.goto(link.url);
      await p.getByRole('heading', { level: 1 }).waitFor();
      if (paid) {
        // Issue 14: a payer with no account opens in the picker.
        await p.getByRole('combobox').waitFor();
        await axe(p, 'new account picker');
      } else {
        // The payer has the account the first link connected: the choice,
        // then "Connect a new account".
        await p.locator('a.secondary').first().waitFor();
        await axe(p, 'choose with an account');
        await p.getByRole('link', { name: /^(Connect a new account|Conectar una cuenta nueva)$/ }).click();
        await p.getByRole('combobox').waitFor();
      }
      await fillAtDavivienda(p, number);
      if (paid) await axe(p, 'new account form');
      await p.locator('button[type=submit]').click();
      await p.getByRole('heading', { level: 1, name: /^(How do you want to pay\?|¿Cómo quieres pagar\?)$/ }).waitFor();
      // The account just connected is the one chosen.
      assert.match(await p.locator('.account-choice:has(input:checked)').textContent(), new RegExp(number.slice(-4)));
      await p.locator('#debit-authorization').check();
      await p.locator('button.primary').last().click();
      await p.getByRole('heading', { level: 1, name: paid ? oneOf('PaidTitle') : oneOf('DeclinedTitle') }).waitFor();
      await axe(p, paid ? 'paid' : 'declined');
      if (paid) {
        // Issue 14: a reopened paid link shows the payment it ended with,
        // as paid before (issue 29).
        await p.goto(link.url);
        await p.getByRole('heading', { level: 1, name: oneOf('AlreadyPaidTitle') }).waitFor();
        await axe(p, 'already paid');
      } else {
        assert.match(await p.textContent('main'), /(The amount is outside what Davivienda allows for this account|El valor está fuera de lo que Davivienda permite para esta cuenta)/);
      }
      await p.check();
      await p.close();
    }
  });
}

test('a 1 MB intro text renders and the page stays usable', async () => {
  const link = await connectLink();
  const p = await page(360);
  await rewrite(p, '**/api/v1/connect-links/*', (j) => { j.intro_text = `DRUO ${'x'.repeat(1024 * 1024)}`; });
  await p.goto(link.url);
  await heading(p, 'Connect your bank account');
  await noHorizontalOverflow(p);
  await p.getByRole('link', { name: 'Continue', exact: true }).click();
  await p.getByRole('combobox').waitFor();
  await p.check();
});

test('a submit that hangs times out, keeps the input, and its retry reuses the key', async () => {
  const link = await connectLink();
  const p = await page(360, { ignoreConsole: [/ERR_|aborted|Failed/i] });
  const keys = [];
  await p.route('**/api/v1/connect-links/*/accounts', async (r) => {
    keys.push(r.request().headers()['idempotency-key']);
    if (keys.length === 1) return; // never answered: the page must give up
    return r.continue();
  });
  await p.goto(link.url);
  await heading(p, 'Connect your bank account');
  await fillConnect(p, '12345674');
  await p.getByRole('button', { name: 'Connect account' }).click();
  await p.getByRole('alert').filter({ hasText: t('SubmitFailed', 'en_US') }).waitFor({ timeout: 30000 });
  assert.equal(await p.locator('#account-number').inputValue(), '12345674');
  await p.getByRole('button', { name: 'Connect account' }).click();
  await heading(p, 'Account connected');
  assert.equal(keys.length, 2);
  assert.equal(keys[0], keys[1], 'the retry reuses the Idempotency-Key');
});

/** Presses Tab until the focused element matches `selector` (at most 30). */
async function tabTo(p, selector) {
  for (let i = 0; i < 30; i++) {
    await p.keyboard.press('Tab');
    if (await p.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** Tab to each control in turn, and type there or press a key (Space, Enter). */
async function byKeyboard(p, steps) {
  for (const [selector, keys] of steps) {
    await tabTo(p, selector);
    if (['Space', 'Enter'].includes(keys)) await p.keyboard.press(keys);
    else await p.keyboard.type(keys);
  }
}

const focusedIsHeading = (p) => p.evaluate(() => document.activeElement?.tagName === 'H1');

test('the connect flow can be finished with the keyboard alone; focus follows the steps', async () => {
  const link = await connectLink();
  const p = await page(360);
  await p.goto(link.url);
  await heading(p, 'Connect your bank account');
  await tabTo(p, 'a.primary');
  await p.keyboard.press('Enter');
  await heading(p, 'Choose your bank');
  assert.ok(await focusedIsHeading(p), 'focus moved to the new step');
  await tabTo(p, '#bank-search');
  await p.keyboard.type('davi');
  await p.keyboard.press('ArrowDown');
  await p.keyboard.press('ArrowUp');
  await p.keyboard.press('Enter');
  await heading(p, 'Enter your account details');
  assert.ok(await focusedIsHeading(p));
  await byKeyboard(p, [['input[type=radio]', 'Space'], ['#account-number', '12345674'], ['#account-confirm', '12345674'], ['#authorization', 'Space']]);
  // Focus is visible: the focused control draws an outline.
  const outline = await p.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none');
  await tabTo(p, 'button[type=submit]');
  await p.keyboard.press('Enter');
  await heading(p, 'Account connected');
  assert.ok(await focusedIsHeading(p));
  await p.check();
});

test('the checkout can be paid with the keyboard alone, and leaks nothing', async () => {
  const { json: eu } = await ctx.server.merchant('POST', '/end-users/create', { first_name: 'Key', email: 'key@example.co' });
  const link = await checkoutLink({ existing_end_user_id: eu.end_user.uuid });
  const p = await page(360);
  const requests = [];
  const consoleText = [];
  p.on('request', (r) => requests.push({ url: r.url(), body: r.postData() }));
  p.on('console', (m) => consoleText.push(m.text()));
  await p.goto(link.url);
  // Issue 14: a payer with no account opens in the picker.
  await heading(p, 'Choose your bank');
  await tabTo(p, '#bank-search');
  await p.keyboard.type('nequi');
  await p.keyboard.press('Enter');
  // As a person does: the form shows (Enter held until the page is live,
  // then replayed), then Tab moves through it.
  await heading(p, 'Enter your wallet details');
  await byKeyboard(p, [['#account-number', '3001234564'], ['#account-confirm', '3001234564'], ['#authorization', 'Space'], ['button[type=submit]', 'Enter']]);
  await heading(p, 'How do you want to pay?');
  await byKeyboard(p, [['#debit-authorization', 'Space'], ['button.primary', 'Enter']]);
  await heading(p, 'Payment successful');
  await assertNotKept(p, '3001234564', ctx.server.link);
  for (const r of requests) {
    assert.ok(!r.url.includes('3001234564'), r.url);
    assert.equal(new URL(r.url).origin, ctx.server.link, r.url);
    if (r.body?.includes('3001234564')) assert.match(r.url, /\/checkout-links\/[^/]+\/accounts$/);
  }
  assert.ok(!consoleText.some((c) => c.includes('3001234564')));
  await p.check();
});

test('reduced motion is honoured and 200% text keeps everything reachable', async () => {
  const link = await connectLink();
  const p = await page(360, { reducedMotion: 'reduce' });
  await p.goto(link.url);
  await heading(p, 'Connect your bank account');
  // The loading skeleton's shimmer is the one animation; with reduced
  // motion it must not run.
  const duration = await p.evaluate(() => {
    const d = document.createElement('div');
    d.className = 'skeleton';
    document.body.append(d);
    const v = getComputedStyle(d).animationDuration;
    d.remove();
    return v;
  });
  assert.ok(['0.00001s', '1e-05s'].includes(duration), `skeleton animation: ${duration}`);
  // 200% text: the root font size doubled (set through CSSOM, CSP-safe).
  await p.evaluate(() => { document.documentElement.style.fontSize = '200%'; });
  await noHorizontalOverflow(p);
  await fillConnect(p, '12345674');
  await noHorizontalOverflow(p);
  const submit = p.getByRole('button', { name: 'Connect account' });
  await submit.scrollIntoViewIfNeeded();
  assert.ok(await submit.isVisible());
  await p.shot('hardening-text-200');
  await p.check();
});
