// The connect page end to end: links created through the merchant API,
// opened in Chromium, finished through each sandbox outcome in both
// languages, and followed to the merchant's redirect URL. Screenshots of
// every state land in target/e2e-screenshots/.

import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { assertNotKept, assertSigned, axe, readLinkFromApi, useServerAndBrowser, watchedPage } from './harness.mjs';
import { t, words } from './words.mjs';

const EUR = 'eur_868d99a5-6578-40cf-8aec-e7a48085fa37';
const MERCHANT_ORIGIN = 'https://merchant.example';

const BOGOTA = { bank: 'Banco de Bogotá' };
const T = words({
  lang: { en_US: 'en-US', es_CO: 'es-CO' }, title: 'ConnectTitle', cont: 'Continue', bank: 'ChooseBankTitle',
  details: 'AccountDetailsTitle', submit: 'SubmitAccount', connected: 'ConnectedTitle', walletDetails: 'WalletDetailsTitle',
  verified: 'StatusConnected', returnTo: ['ReturnTo', { merchant: 'NOVO' }], rejected: 'RejectedTitle',
  fix: 'FixNumber', approve: ['PendingTitle', BOGOTA], waiting: ['WaitingFor', BOGOTA],
  notFound5: ['EndedNotFound', { ...BOGOTA, account: (l) => t('TheAccountEnding', l, { last4: '0005' }) }],
  code: 'OtpTitle', codeLabel: 'OtpLabel', codeSubmit: 'OtpSubmit',
  wrongCode: ['OtpWrong', { left: 2 }],
  expired: 'ExpiredTitle', completed: 'CompletedTitle', notFound: 'NotFoundTitle',
  // The merchant's own words.
  intro: { en_US: 'NOVO uses DRUO to connect your bank account or wallet.', es_CO: 'NOVO usa DRUO para conectar tu cuenta bancaria o billetera.' },
});

const ctx = useServerAndBrowser({ before, after, afterEach });

async function createLink(extra = {}) {
  const { status, json } = await ctx.server.merchant('POST', '/connect/link/create', {
    existing_end_user_id: EUR,
    intro_text: { en_US: T.en_US.intro, es_CO: T.es_CO.intro },
    redirect_url: `${MERCHANT_ORIGIN}/done?order=42#thanks`,
    background_color: '#0b3d2e',
    content_background_color: '#f4fbf7',
    content_box_text_color: '#10261d',
    button_color: '#17704a',
    button_text_color: '#ffffff',
    ...extra,
  });
  assert.equal(status, 200, JSON.stringify(json));
  return json.connect_link;
}

/** A page that fulfils the merchant's origin locally and records requests. */
async function openPage(name, options = {}) {
  const page = await watchedPage(ctx.browser, options);
  page.requests = [];
  page.on('request', (r) => page.requests.push({ url: r.url(), method: r.method(), body: r.postData() }));
  page.consoleText = [];
  page.on('console', (m) => page.consoleText.push(m.text()));
  await page.route(`${MERCHANT_ORIGIN}/**`, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<h1>Merchant</h1>' }));
  page.name = name;
  return page;
}

async function heading(page, text) {
  await page.getByRole('heading', { level: 1, name: text }).waitFor();
}

async function fillAccount(page, t, number) {
  await page.getByRole('link', { name: t.cont, exact: true }).click();
  await heading(page, t.bank);
  await page.getByRole('combobox').fill('bogota');
  await page.keyboard.press('Enter');
  await heading(page, t.details);
  await page.locator('#account-number').fill(number);
  await page.locator('#account-confirm').fill(number);
  await page.locator('input[type=radio]').first().check();
  await page.locator('#authorization').check();
}

/** Follows "Return to NOVO" and checks the six parameters. */
async function returnToMerchant(page, t, link, { last4, status }) {
  await page.getByRole('link', { name: t.returnTo }).click();
  await page.waitForURL(`${MERCHANT_ORIGIN}/**`);
  return checkRedirect(page.url(), link, { last4, status });
}

function checkRedirect(href, link, { last4, status }) {
  const url = new URL(href);
  assert.equal(url.origin + url.pathname, `${MERCHANT_ORIGIN}/done`);
  assert.equal(url.hash, '#thanks', 'fragment kept');
  const p = url.searchParams;
  assert.deepEqual([...p.keys()], ['order', 'ac', 'al4', 'ain', 'as', 'aid', 'clid', 'ts', 'sig']);
  // Signed by the service, from `ac` through `ts`; the merchant's own
  // `order` is not signed.
  const signed = assertSigned(href, `${MERCHANT_ORIGIN}/done?order=42#thanks`, ctx.server.signingSecret);
  assert.ok(signed.startsWith('ac='), signed);
  assert.equal(p.get('order'), '42', 'existing query kept');
  assert.match(p.get('ac'), /^A[A-Z2-9]{9}$/);
  assert.equal(p.get('al4'), last4);
  assert.equal(p.get('ain'), 'Banco de Bogotá');
  assert.ok(href.includes('ain=Banco%20de%20Bogot%C3%A1'), 'percent-encoded');
  assert.equal(p.get('as'), status);
  assert.match(p.get('aid'), /^acc_[0-9a-f-]{36}$/);
  assert.equal(p.get('clid'), link.uuid);
  return p;
}

/**
 * The account number went out only in its submit body: never in a URL, to
 * another origin, or to the console. (What the page keeps is checked by
 * `assertNotKept` before it leaves for the merchant.)
 */
async function assertNotSent(page, number) {
  for (const r of page.requests) {
    assert.ok(!r.url.includes(number), `number in a URL: ${r.url}`);
    if (r.body?.includes(number)) {
      assert.match(r.url, /\/api\/v1\/connect-links\/[^/]+\/accounts$/, 'number only in the submit body');
    }
    const origin = new URL(r.url).origin;
    assert.ok(origin === ctx.server.link || origin === MERCHANT_ORIGIN, `request to another origin: ${r.url}`);
  }
  assert.ok(!page.consoleText.some((c) => c.includes(number)), 'console');
}

function submits(page) {
  return page.requests.filter((r) => r.method === 'POST' && /\/accounts$/.test(r.url)).length;
}

for (const lang of ['en_US', 'es_CO']) {
  const t = T[lang];

  test(`${lang}: verified account, DRUO confirmation, return with the six parameters`, async () => {
    const link = await createLink({ default_language: lang });
    const page = await openPage(`connect-${lang}-verified`);
    await page.goto(link.url);
    await heading(page, t.title);
    assert.equal(await page.getAttribute('html', 'lang'), t.lang);
    assert.ok((await page.textContent('main')).includes(t.intro));
    // Merchant colours, validated, applied.
    const bg = await page.locator('main').evaluate((e) => getComputedStyle(e).backgroundColor);
    assert.equal(bg, 'rgb(244, 251, 247)');
    const pageBg = await page.locator('body').evaluate((e) => getComputedStyle(e).backgroundColor);
    assert.equal(pageBg, 'rgb(11, 61, 46)');
    await page.shot(`connect-${lang}-1-intro`);
    await fillAccount(page, t, '012345674');
    await page.shot(`connect-${lang}-3-details`);
    const button = page.getByRole('button', { name: t.submit });
    assert.equal(await button.isEnabled(), true);
    await button.click();
    await heading(page, t.connected);
    // "•••• 5674" is held together by a no-break space.
    assert.ok((await page.textContent('main')).replace(/\u00a0/g, ' ').includes('•••• 5674'));
    assert.ok((await page.textContent('main')).includes(t.verified));
    await page.shot(`connect-${lang}-4-connected`);
    assert.equal(submits(page), 1);
    await page.check();
    await assertNotKept(page, '012345674', ctx.server.link);
    await returnToMerchant(page, t, link, { last4: '5674', status: 'CONNECTED' });
    await assertNotSent(page, '012345674');
    const { json } = await ctx.server.merchant('GET', `/connect/link/list?uuid=${link.uuid}`);
    assert.equal(json.connect_links[0].delivery_status, 'COMPLETED');
  });

  for (const width of [360, 1280]) {
    // One end user across the suite: each test's pending number is its own
    // (the same number would be the same account, already connected).
    const own = `${lang === 'en_US' ? 5 : 6}${width === 360 ? 3600 : 1280}`;
    test(`${lang} at ${width} px: a failed connection (…5) says why, fix the number, then connected`, async () => {
      const link = await createLink({ default_language: lang });
      const page = await openPage(`connect-${lang}-${width}-failed`, { width });
      await page.goto(link.url);
      await heading(page, t.title);
      await fillAccount(page, t, '234560005');
      await page.getByRole('button', { name: t.submit }).click();
      await heading(page, t.rejected);
      assert.ok((await page.textContent('main')).replace(/\u00a0/g, ' ').includes(t.notFound5));
      await page.shot(`connect-${lang}-${width}-5-failed`);
      await axe(page, `failed connection ${lang} ${width}`);
      // The link stays open: the merchant sees no account completed it.
      const { json } = await ctx.server.merchant('GET', `/connect/link/list?uuid=${link.uuid}`);
      assert.notEqual(json.connect_links[0].delivery_status, 'COMPLETED');
      await page.getByRole('link', { name: t.fix }).click();
      await heading(page, t.details);
      // Nothing typed was lost.
      assert.equal(await page.locator('#account-number').inputValue(), '234560005');
      assert.equal(await page.locator('#authorization').isChecked(), true);
      await page.locator('#account-number').fill('234567894');
      await page.locator('#account-confirm').fill('234567894');
      await page.getByRole('button', { name: t.submit }).click();
      await heading(page, t.connected);
      assert.equal(submits(page), 2, 'one POST per logical submit');
      await page.check();
      await assertNotKept(page, '234567894', ctx.server.link);
      await returnToMerchant(page, t, link, { last4: '7894', status: 'CONNECTED' });
      await assertNotSent(page, '234567894');
    });

    // Digit 2: the institution approves 10 s after the request. The page
    // waits live, pauses while the tab is hidden (the person is in the
    // bank's app), asks again at once on return, and moves on by itself.
    test(`${lang} at ${width} px: approve in the bank's app (…2), leave the tab, come back: connected without a reload`, async () => {
      const link = await createLink({ default_language: lang });
      const page = await openPage(`connect-${lang}-${width}-approve`, { width });
      await page.goto(link.url);
      await heading(page, t.title);
      await fillAccount(page, t, `${own}1112`);
      await page.getByRole('button', { name: t.submit }).click();
      await heading(page, t.approve);
      await page.getByRole('status').filter({ hasText: t.waiting }).waitFor();
      await page.shot(`connect-${lang}-${width}-6-approve`);
      await axe(page, `approve ${lang} ${width}`);
      // The way back is there and carries the status at this moment.
      const back = await page.getByRole('link', { name: t.returnTo }).getAttribute('href');
      assert.equal(new URL(back).searchParams.get('as'), 'VERIFICATION_PENDING');
      assertSigned(back, `${MERCHANT_ORIGIN}/done?order=42#thanks`, ctx.server.signingSecret);
      // Leave for "the bank's app": the tab is hidden (headless Chromium
      // never hides a tab, so the page is told so as a browser tells it).
      const setHidden = (hidden) => page.evaluate((h) => {
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
      await setHidden(true);
      await page.waitForTimeout(1000);
      const before = page.requests.length;
      await page.waitForTimeout(4000);
      const whileHidden = page.requests.slice(before).filter((r) => r.url.includes('/refresh'));
      assert.deepEqual(whileHidden.map((r) => r.url), [], 'no reads while hidden');
      await setHidden(false);
      // Back on the page: it reads at once and moves on when the bank says.
      await page.getByRole('heading', { level: 1, name: t.connected }).waitFor({ timeout: 20000 });
      assert.equal(page.requests.filter((r) => r.url === link.url).length, 1, 'no reload');
      await page.shot(`connect-${lang}-${width}-7-approved`);
      await returnToMerchant(page, t, link, { last4: '1112', status: 'CONNECTED' });
      const { json } = await ctx.server.merchant('GET', `/connect/link/list?uuid=${link.uuid}`);
      assert.equal(json.connect_links[0].delivery_status, 'COMPLETED');
    });

    // Digit 3: the micro-deposit's code, 72; a wrong one is refused with
    // the attempts left, and the code typed stays.
    test(`${lang} at ${width} px: the deposit code (…3): a wrong code, then 72`, async () => {
      const link = await createLink({ default_language: lang });
      const page = await openPage(`connect-${lang}-${width}-code`, { width, ignoreConsole: [/status of 422/] });
      await page.goto(link.url);
      await heading(page, t.title);
      await fillAccount(page, t, `${own}1113`);
      await page.getByRole('button', { name: t.submit }).click();
      await heading(page, t.code);
      const field = page.getByLabel(t.codeLabel);
      assert.equal(await field.getAttribute('inputmode'), 'numeric');
      assert.equal(await field.getAttribute('autocomplete'), 'one-time-code');
      await page.shot(`connect-${lang}-${width}-8-code`);
      await axe(page, `code ${lang} ${width}`);
      await field.fill('27');
      await page.getByRole('button', { name: t.codeSubmit }).click();
      await page.getByRole('alert').filter({ hasText: t.wrongCode }).waitFor();
      assert.equal(await field.inputValue(), '27', 'the code typed stays');
      assert.equal(await field.getAttribute('aria-invalid'), 'true');
      await page.shot(`connect-${lang}-${width}-9-wrong-code`);
      await axe(page, `wrong code ${lang} ${width}`);
      // A reload resumes the same step (the link is held for the account).
      await page.reload();
      await heading(page, t.code);
      await page.getByLabel(t.codeLabel).fill(' 72 ');
      await page.getByRole('button', { name: t.codeSubmit }).click();
      await heading(page, t.connected);
      await page.check();
      await assertNotKept(page, `${own}1113`, ctx.server.link);
      await returnToMerchant(page, t, link, { last4: '1113', status: 'CONNECTED' });
      await assertNotSent(page, `${own}1113`);
    });
  }

}

test('custom confirmation page: straight to the merchant', async () => {
  const link = await createLink({ custom_confirmation_page: true });
  const page = await openPage('connect-custom');
  await page.goto(link.url);
  await heading(page, T.en_US.title);
  await fillAccount(page, T.en_US, '12345674');
  await Promise.all([
    page.waitForURL(`${MERCHANT_ORIGIN}/**`),
    page.getByRole('button', { name: T.en_US.submit }).click(),
  ]);
  checkRedirect(page.url(), link, { last4: '5674', status: 'CONNECTED' });
});

test('the language switch changes every string and keeps the link', async () => {
  const link = await createLink();
  const page = await openPage('connect-switch');
  await page.goto(link.url);
  await heading(page, T.en_US.title);
  await page.getByRole('link', { name: 'Español' }).click();
  await heading(page, T.es_CO.title);
  assert.equal(await page.getAttribute('html', 'lang'), 'es-CO');
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('lang'), 'es_CO');
  assert.equal(url.searchParams.get('sl'), new URL(link.url).searchParams.get('sl'));
  assert.ok((await page.textContent('main')).includes(T.es_CO.intro));
  await page.shot('connect-switch-es');
  await page.check();
});

test('expired, completed and unknown links show their pages and no form', async () => {
  const expired = await createLink({ expiration_date: '2021-11-16T23:23:38' });
  let page = await openPage('connect-expired');
  await page.goto(expired.url);
  await heading(page, T.en_US.expired);
  assert.ok((await page.textContent('main')).includes('NOVO'), 'names the merchant');
  assert.equal(await page.locator('form, #account-number').count(), 0);
  await page.shot('connect-expired');
  await page.check();

  const es = await createLink({ expiration_date: '2021-11-16T23:23:38', default_language: 'es-co' });
  page = await openPage('connect-expired-es');
  await page.goto(es.url);
  await heading(page, T.es_CO.expired);
  await page.shot('connect-expired-es');

  const done = await createLink();
  page = await openPage('connect-completed');
  await page.goto(done.url);
  await heading(page, T.en_US.title);
  await fillAccount(page, T.en_US, '12345674');
  await page.getByRole('button', { name: T.en_US.submit }).click();
  await heading(page, T.en_US.connected);
  // Issue 14: a reopened link shows the outcome it ended with, not a bare
  // "already used".
  await page.goto(done.url);
  await heading(page, T.en_US.connected);
  await page.getByRole('link', { name: T.en_US.returnTo }).waitFor();
  assert.equal(await page.locator('form').count(), 0);
  await page.shot('connect-completed');
  await page.check();

  for (const [name, path] of [['unknown', '/connect/secure?sl=does-not-exist'], ['no-slug', '/connect/secure']]) {
    page = await watchedPage(ctx.browser, { ignoreConsole: [/status of 404/] });
    await page.goto(`${ctx.server.link}${path}`);
    await heading(page, T.en_US.notFound);
    assert.equal(await page.locator('form').count(), 0);
    await page.shot(`connect-${name}`);
    await page.check();
  }
});

test('a link that expires while open shows the expired page instead of submitting', async () => {
  const link = await createLink({ expiration_date: '2099-01-01T00:00:00Z' });
  const page = await openPage('connect-expires-while-open');
  // The service says the link expires 3 s after it answered; the page's
  // clock starts when the answer arrives, so load time does not matter.
  await readLinkFromApi(page);
  await page.route('**/api/v1/connect-links/*', async (route) => {
    if (route.request().method() !== 'GET') return route.continue();
    const res = await route.fetch();
    const json = await res.json();
    json.expiration_date = new Date(Date.parse(json.server_time) + 3000).toISOString();
    return route.fulfill({ response: res, json });
  });
  await page.goto(link.url);
  await heading(page, T.en_US.title);
  const loadedAt = Date.now();
  await fillAccount(page, T.en_US, '12345674');
  await page.waitForTimeout(Math.max(0, 3500 - (Date.now() - loadedAt)));
  await page.getByRole('button', { name: T.en_US.submit }).click();
  await heading(page, T.en_US.expired);
  assert.equal(submits(page), 0, 'no POST for an expired link');
});

test('a failed submit keeps the input, and the retry reuses its Idempotency-Key', async () => {
  const link = await createLink();
  const page = await openPage('connect-retry', { ignoreConsole: [/status of 503/] });
  const keys = [];
  let failed = false;
  await page.route('**/api/v1/connect-links/*/accounts', async (route) => {
    keys.push(route.request().headers()['idempotency-key']);
    if (!failed) {
      failed = true;
      // The request reaches the service, but the answer is lost.
      await route.fetch();
      return route.fulfill({ status: 503, body: 'upstream unavailable' });
    }
    return route.continue();
  });
  await page.goto(link.url);
  await heading(page, T.en_US.title);
  await fillAccount(page, T.en_US, '12345674');
  await page.getByRole('button', { name: T.en_US.submit }).click();
  await page.getByRole('alert').filter({ hasText: t('SubmitFailed', 'en_US') }).waitFor();
  assert.equal(await page.locator('#account-number').inputValue(), '12345674');
  await page.shot('connect-submit-failed');
  await page.getByRole('button', { name: T.en_US.submit }).click();
  await heading(page, T.en_US.connected);
  assert.equal(keys.length, 2);
  assert.ok(keys[0] && keys[0] === keys[1], `same key on retry: ${keys}`);
  // The service created one account, once.
  const { json } = await ctx.server.merchant('GET', `/connect/link/list?uuid=${link.uuid}`);
  assert.equal(json.connect_links[0].delivery_status, 'COMPLETED');
});

test('the same link submitted from two tabs connects one account, and the second tab says so', async () => {
  const link = await createLink();
  const first = await openPage('connect-two-tabs-first');
  const second = await openPage('connect-two-tabs-second', { ignoreConsole: [/status of 409/] });
  for (const page of [first, second]) {
    await page.goto(link.url);
    await heading(page, T.en_US.title);
    await fillAccount(page, T.en_US, page === first ? '12345674' : '87654324');
  }
  await first.getByRole('button', { name: T.en_US.submit }).click();
  await heading(first, T.en_US.connected);
  await second.getByRole('button', { name: T.en_US.submit }).click();
  // The service refused the second account (409): the tab says the link
  // was used, and offers no form to try again.
  await heading(second, T.en_US.completed);
  assert.equal(await second.locator('form').count(), 0);
  await second.shot('connect-two-tabs-second');
  const posts = (p) => p.requests.filter((r) => r.method === 'POST' && r.url.includes('/accounts'));
  assert.equal(posts(first).length, 1);
  assert.equal(posts(second).length, 1, 'the second tab sent its submit once, and did not retry a 409');
  // Reopened, the link shows the one account it ended with: the first tab's.
  await second.goto(link.url);
  await heading(second, T.en_US.connected);
  assert.ok((await second.locator('main').innerText()).includes('5674'));
  await first.check();
  await second.check();
});

/** The picker step of a new English link, at `width`. */
async function openPicker(name, width, options = {}) {
  const link = await createLink();
  const page = await openPage(name, { width, height: 900, ...options });
  await page.goto(link.url);
  await heading(page, T.en_US.title);
  await page.getByRole('link', { name: T.en_US.cont, exact: true }).click();
  await heading(page, T.en_US.bank);
  return page;
}

/** The visible tiles' names and the number of tiles in their first row. */
async function tileGrid(page) {
  return page.locator('.bank-option.tile').evaluateAll((tiles) => {
    const shown = tiles.filter((t) => t.offsetParent !== null);
    const top = shown[0]?.getBoundingClientRect().top;
    return {
      names: shown.map((t) => t.textContent.trim()),
      perRow: shown.filter((t) => t.getBoundingClientRect().top === top).length,
      minSide: Math.min(...shown.map((t) => Math.min(t.offsetWidth, t.offsetHeight))),
    };
  });
}

// Issue 15: the most used institutions as tiles before any search, in
// their brand colours: options of the one listbox, so nothing is listed
// twice; the rest of the catalog follows as rows.
for (const [width, perRow, count] of [[360, 3, 9], [1280, 3, 9]]) {
  test(`picker at ${width} px: popular tiles before a search, and a tap on one chooses it`, async () => {
    const page = await openPicker(`connect-picker-${width}`, width);
    await page.locator('.bank-option.tile').first().waitFor();
    const grid = await tileGrid(page);
    assert.equal(grid.names.length, count, JSON.stringify(grid));
    assert.equal(grid.perRow, perRow);
    assert.ok(grid.minSide >= 44, `tiles are at least 44 px: ${grid.minSide}`);
    assert.deepEqual(grid.names.slice(0, 4), ['BCBancolombia', 'NNequi', 'DVDavivienda', 'DPDaviplata']);
    // Each mark wears its brand colour; the full list is still below.
    const bg = await page.locator('.bank-option.tile .mark').first().evaluate((e) => getComputedStyle(e).backgroundColor);
    assert.equal(bg, 'rgb(253, 218, 36)');
    // Before a search, the tiles only (issue 24: less to make live), and a
    // link to the whole catalog.
    assert.equal(await page.locator('.bank-option').count(), count);
    // Nothing looks chosen before the person moves to the list.
    assert.equal(await page.locator('.bank-option.active').evaluate((e) => getComputedStyle(e).outlineStyle), 'none');
    await page.shot(`connect-picker-${width}`);
    await axe(page, `picker tiles ${width}`);
    await page.getByRole('link', { name: 'See all banks and wallets' }).click();
    await page.waitForFunction(() => document.activeElement?.matches('.bank-list li:not(.tile) > .bank-option'));
    const names = await page.locator('.bank-option .bank-name').allTextContents();
    assert.ok(names.length >= 30);
    assert.equal(new Set(names).size, names.length, 'each institution once');
    assert.equal(await page.getByRole('link', { name: 'See all banks and wallets' }).count(), 0);
    await page.shot(`connect-picker-all-${width}`);
    await page.getByRole('option', { name: 'Nequi', exact: true }).click();
    await heading(page, T.en_US.walletDetails);
    assert.ok((await page.textContent('main')).includes('Nequi'));
    await page.check();
  });
}

test('picker: a typo still finds the bank, and nothing found says what to do', async () => {
  const page = await openPicker('connect-picker-search', 360);
  const search = page.getByRole('combobox');
  await search.fill('bancolmbia');
  await page.locator('.bank-option').first().waitFor();
  assert.equal(await page.locator('.picker.browsing').count(), 0, 'tiles turn into a list while searching');
  assert.match(await page.locator('.bank-option').first().textContent(), /Bancolombia$/);
  await page.shot('connect-picker-typo');
  await search.fill('zzzz');
  const help = page.locator('.picker [role=status]');
  await help.getByText('Check the spelling').waitFor();
  assert.ok((await help.textContent()).includes('No bank or wallet matches “zzzz”.'));
  assert.equal(await page.locator('.bank-option').count(), 0);
  assert.equal(await search.getAttribute('aria-expanded'), 'false');
  await page.shot('connect-picker-nomatch');
  await axe(page, 'picker no match');
  // Back to a typo, and Enter chooses the first result.
  await search.fill('davivenda');
  await page.keyboard.press('Enter');
  await heading(page, T.en_US.details);
  assert.ok((await page.textContent('main')).includes('Davivienda'));
  await page.check();
});

test('picker: a reload keeps what was being searched, and the search only', async () => {
  const page = await openPicker('connect-picker-search-kept', 360, { hasTouch: true, isMobile: true });
  await page.getByRole('combobox').fill('davi');
  await page.reload();
  await heading(page, T.en_US.bank);
  // Put back once the page is live (the served picker is the empty one).
  await page.waitForFunction(() => document.getElementById('bank-search')?.value === 'davi');
  assert.equal(await page.getByRole('option').first().locator('.bank-name').textContent(), 'Davivienda');
  assert.equal(await page.locator('.picker.browsing').count(), 0, 'results, not the tiles');
  await page.shot('connect-picker-search-kept');
  // Cleared, it stays cleared: a reload then shows the tiles.
  await page.getByRole('combobox').fill('');
  await page.reload();
  await heading(page, T.en_US.bank);
  await page.waitForFunction(() => performance.getEntriesByName('druo-live').length > 0);
  assert.equal(await page.locator('.picker.browsing').count(), 1, 'the tiles');
  assert.equal(await page.getByRole('combobox').inputValue(), '');
  // An account number typed into the search box is never kept.
  await page.getByRole('combobox').fill('0012345674');
  await page.reload();
  await heading(page, T.en_US.bank);
  await page.waitForFunction(() => performance.getEntriesByName('druo-live').length > 0);
  assert.equal(await page.getByRole('combobox').inputValue(), '');
  assert.ok(!(await page.evaluate(() => JSON.stringify(sessionStorage))).includes('12345674'), 'not in the tab\'s storage');
  await page.check();
});

test('picker: a reload focuses the search box with a mouse, never on a touch screen', async () => {
  for (const [name, options, focused] of [
    ['mouse', {}, true],
    ['touch', { hasTouch: true, isMobile: true }, false],
  ]) {
    const page = await openPicker(`connect-picker-${name}`, 360, options);
    await page.reload();
    await heading(page, T.en_US.bank);
    await page.locator('.bank-option.tile').first().waitFor();
    // The server's tiles show before the page is live; focus is the live
    // page's to give. Wait for the live mark, then for one task so its
    // Effects (queued as microtasks) have run.
    await page.waitForFunction(() => performance.getEntriesByName('druo-live').length > 0);
    const active = await page.evaluate(() => new Promise((done) => setTimeout(() => done(document.activeElement?.id ?? ''), 0)));
    assert.equal(active === 'bank-search', focused, `${name}: focus on ${active}`);
    await page.check();
  }
});
