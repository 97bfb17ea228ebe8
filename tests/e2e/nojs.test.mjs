// A page without its app (issue 24): both flows walked to their end with
// JavaScript off, with the wasm request blocked, and with the wasm tampered
// with (its integrity check fails), in both languages at 360 px and
// 1280 px. Every step is a real link or form link-server answers: the bank
// search is a GET form, a tile is a link, the account form, the deposit
// code and paying are POSTs answered with 303 or the same page again
// (errors named, everything typed kept), and the live wait reloads itself
// or offers "Check now". Each new state is screenshotted
// (target/e2e-screenshots/nojs-*) and checked with axe.
//
// Pages rendered by link-server only: a static host has no server to
// answer a form (scripts/test's second pass skips this suite).

import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { SERVER_RENDERS, axe, useServerAndBrowser, watchedPage } from './harness.mjs';
import { t, words } from './words.mjs';

const TENANT = '22637d15-5b37-4fb2-90e5-aa8751970469';
const MERCHANT = 'https://merchant.example';

const T = words({
  cont: 'Continue', bank: 'ChooseBankTitle', details: 'AccountDetailsTitle', submit: 'SubmitAccount',
  incomplete: 'FormIncomplete', chooseType: 'ErrChooseSubtype',
  approve: ['PendingTitle', { bank: 'Banco de Bogotá' }], checkNow: 'CheckAgain', connected: 'ConnectedTitle',
  returnTo: ['ReturnTo', { merchant: 'NOVO' }], rejected: 'RejectedTitle', fix: 'FixNumber', another6: 'ConnectAnother',
  code: 'OtpTitle', codeSubmit: 'OtpSubmit',
  // Either wrong-code message (attempts left, or the last one): their shared start.
  codeWrong: (l) => /^\S+ \S+/.exec(t('OtpWrong', l, { left: 2 }))[0],
  choose: 'ChoosePaymentTitle', pay: ['PayAmount', { amount: { en_US: 'COP 20,000', es_CO: '$ 20.000' } }],
  authorizeDebit: 'ErrAuthorizeDebit',
  declined: 'DeclinedTitle', another: 'PayWithAnother', newAccount: 'ConnectNewAccount',
  paid: 'PaidTitle',
});

const ctx = useServerAndBrowser({ before, after, afterEach });
const nbsp = (s) => s.replace(/\u00a0/g, ' ');
const heading = (page, name) => page.getByRole('heading', { level: 1, name }).waitFor();
const mainText = async (page) => nbsp(await page.textContent('main'));

/** How the page is without its app. */
const MODES = {
  // No script runs at all.
  'js-off': { javaScriptEnabled: false },
  // The wasm never arrives (a proxy, a filter, a cut).
  'wasm-blocked': { route: (r) => r.abort() },
  // The wasm arrives changed: its integrity check refuses it.
  'wasm-tampered': {
    route: async (r) => {
      const res = await r.fetch();
      const body = Buffer.from(await res.body());
      body[body.length - 1] ^= 0xff;
      return r.fulfill({ response: res, body });
    },
  },
};

let people = 0;
async function newPerson() {
  people += 1;
  const { json } = await ctx.server.merchant('POST', '/end-users/create', {
    type: 'INDIVIDUAL', first_name: `Lucía${people}`, last_name: 'Gómez', email: `lucia${people}@example.co`,
  });
  return json.end_user.uuid;
}

async function connectLink(lang, extra = {}) {
  const { status, json } = await ctx.server.merchant('POST', '/connect/link/create', {
    existing_end_user_id: await newPerson(), default_language: lang,
    intro_text: 'NOVO uses DRUO to connect to your account.', redirect_url: `${MERCHANT}/done`, ...extra,
  });
  assert.equal(status, 200, JSON.stringify(json));
  return json.connect_link;
}

async function checkoutLink(lang) {
  const { status, json } = await ctx.server.merchant('POST', '/checkout/link/create', {
    existing_end_user_id: await newPerson(), default_language: lang, link_name: 'Policy renewal',
    primary_reference: 'INV 1', redirect_url: `${MERCHANT}/order`, custom_confirmation_page: true,
    transaction: { tenant_id: TENANT, amount: 2000000, description: 'Policy renewal' },
  });
  assert.equal(status, 200, JSON.stringify(json));
  return json.checkout_link;
}

/** A page in `mode`; the merchant's site answers with a stub. */
async function openPage(mode, width) {
  const { javaScriptEnabled = true, route } = MODES[mode];
  const page = await watchedPage(ctx.browser, {
    width, height: 800, javaScriptEnabled,
    // The failed wasm is reported by the browser; nothing else may be.
    ignoreConsole: [/integrity|Failed to load resource|wasm|net::ERR_FAILED/i],
  });
  page.mode = mode;
  if (route) await page.route('**/*.wasm', route);
  await page.route(`${MERCHANT}/**`, (r) => r.fulfill({ contentType: 'text/html', body: '<h1>Merchant</h1>' }));
  page.urls = [];
  page.on('request', (r) => page.urls.push(r.url()));
  return page;
}

/** The account numbers typed in these walks. */
const NUMBERS = ['555551112', '234560016', '234560024', '234560005', '234560003'];

/** No account number travelled in any URL the page asked for. */
function noNumberInUrls(page) {
  for (const url of page.urls) {
    const plain = decodeURIComponent(url).replace(/[\s+]/g, '');
    assert.ok(!NUMBERS.some((n) => plain.includes(n)), url);
  }
}

/** Shot and axe for a new state (axe runs where script may run: with
 *  JavaScript off the same HTML is checked by the wasm-failing walks). */
async function state(page, name) {
  await page.shot(`nojs-${page.mode}-${name}`);
  if (page.mode !== 'js-off') await axe(page, name);
  // Nothing the app would have added: the page is the server's HTML.
  assert.equal(await page.evaluate(() => document.querySelector('#app [data-load-failed]')?.hidden ?? true).catch(() => true), true);
}

/** From the intro (or the bank step) to the details step at Banco de
 *  Bogotá, through the GET search form and a result link. */
async function toDetails(page, t, tag) {
  await page.getByRole('combobox').fill('bogota');
  await page.getByRole('combobox').press('Enter');
  await page.waitForURL(/[?&]q=bogota/);
  await state(page, `${tag}-search`);
  await page.getByRole('option', { name: /Bogotá/ }).first().click();
  await heading(page, t.details);
  assert.match(page.url(), /step=details/);
}

/** Fills the account form as a person pastes a number: with spaces. */
async function fill(page, number, { subtype = true } = {}) {
  if (subtype) await page.locator('.subtypes input').first().check();
  const spaced = number.replace(/(\d{3})(?=\d)/g, '$1 ');
  await page.locator('#account-number').fill(spaced);
  await page.locator('#account-confirm').fill(spaced);
  await page.locator('#authorization').check();
}

// Each way of being without the app, in both languages.
const WALKS = [
  ['js-off', 'es_CO', 360],
  ['js-off', 'en_US', 1280],
  ['wasm-blocked', 'en_US', 1280],
  ['wasm-blocked', 'es_CO', 360],
  ['wasm-tampered', 'es_CO', 1280],
  ['wasm-tampered', 'en_US', 360],
];

for (const [mode, lang, width] of WALKS) {
  const t = T[lang];
  const tag = `${lang}-${width}`;

  test(`${mode} ${tag}: connect, a refused form keeps what was typed, the bank's approval, the confirmation`, { skip: !SERVER_RENDERS }, async () => {
    const link = await connectLink(lang);
    const page = await openPage(mode, width);
    await page.goto(link.url);
    await page.getByRole('link', { name: t.cont, exact: true }).click();
    await heading(page, t.bank);
    await state(page, `${tag}-bank`);
    await toDetails(page, t, tag);

    // The main button with the form empty: every problem, said once.
    await page.getByRole('button', { name: t.submit }).click();
    await heading(page, t.details);
    assert.ok((await mainText(page)).includes(t.incomplete), await mainText(page));
    assert.ok((await mainText(page)).includes(t.chooseType));
    await state(page, `${tag}-refused-empty`);

    // Half the form, refused: what was typed comes back.
    await page.locator('#account-number').fill('555 55 1112');
    await page.getByRole('button', { name: t.submit }).click();
    await heading(page, t.details);
    assert.equal(await page.locator('#account-number').inputValue(), '555551112');
    await state(page, `${tag}-refused-kept`);

    await fill(page, '555551112');
    await page.getByRole('button', { name: t.submit }).click();
    await heading(page, new RegExp(t.approve));
    assert.ok(!page.url().includes('555551112'));
    await state(page, `${tag}-wait`);

    // The sandbox's bank approves after 10 s: the page reloads itself
    // without script; with script but no app, "Check now" checks.
    const done = page.getByRole('heading', { level: 1, name: t.connected });
    for (let i = 0; i < 12 && !(await done.isVisible()); i += 1) {
      if (mode !== 'js-off') await page.getByRole('link', { name: t.checkNow }).click();
      await page.waitForTimeout(2500);
    }
    await done.waitFor();
    assert.match(await mainText(page), /••••\s?1112/);
    await page.getByRole('link', { name: t.returnTo }).click();
    await page.waitForURL(new RegExp(`^${MERCHANT}/done\\?.*as=CONNECTED`));
    noNumberInUrls(page);
  });

  test(`${mode} ${tag}: checkout, a declined payment, another account connected, paid`, { skip: !SERVER_RENDERS }, async () => {
    const link = await checkoutLink(lang);
    const page = await openPage(mode, width);
    await page.goto(link.url);
    // A payer with no account starts at the bank step.
    await heading(page, t.bank);
    await toDetails(page, t, `checkout-${tag}`);
    await fill(page, '234560016');
    await page.getByRole('button', { name: t.submit }).click();
    await heading(page, t.choose);
    await state(page, `checkout-${tag}-choose`);

    // Pay without the authorization: said, nothing paid.
    await page.getByRole('button', { name: t.pay }).click();
    await heading(page, t.choose);
    assert.ok((await mainText(page)).includes(t.authorizeDebit), await mainText(page));
    await page.locator('#debit-authorization').check();
    await page.getByRole('button', { name: t.pay }).click();
    await heading(page, t.declined);
    await state(page, `checkout-${tag}-declined`);

    await page.getByRole('link', { name: t.another }).click();
    await heading(page, t.choose);
    await page.getByRole('link', { name: t.newAccount }).click();
    await heading(page, t.bank);
    await toDetails(page, t, `checkout-${tag}-second`);
    await fill(page, '234560024');
    await page.getByRole('button', { name: t.submit }).click();
    await heading(page, t.choose);
    // The new account is the first, and chosen.
    assert.equal(await page.locator('.accounts input').first().isChecked(), true);
    await page.locator('#debit-authorization').check();
    await page.getByRole('button', { name: t.pay }).click();
    // The link returns at once: a 303 straight to the merchant.
    await page.waitForURL(new RegExp(`^${MERCHANT}/order\\?.*status=SUCCESSFUL`));
    noNumberInUrls(page);
  });
}

for (const [mode, lang] of [['js-off', 'en_US'], ['wasm-blocked', 'es_CO']]) {
  const t = T[lang];
  test(`${mode} ${lang}: connect, a rejected number fixed, the deposit code, straight back to the merchant`, { skip: !SERVER_RENDERS }, async () => {
    const link = await connectLink(lang, { custom_confirmation_page: true });
    const page = await openPage(mode, 360);
    await page.goto(`${link.url}&step=bank`);
    await heading(page, t.bank);
    await toDetails(page, t, `rejected-${lang}`);
    await fill(page, '234560005');
    await page.getByRole('button', { name: t.submit }).click();
    await heading(page, t.rejected);
    await state(page, `rejected-${lang}`);
    await page.getByRole('link', { name: t.fix }).click();
    await heading(page, t.details);
    // A closed account (…6): its way on is another account, not a number
    // to fix, and the link works without the app too.
    await fill(page, '234560006');
    await page.getByRole('button', { name: t.submit }).click();
    await heading(page, t.rejected);
    assert.equal(await page.getByRole('link', { name: t.fix }).count(), 0, 'a closed account has no number to fix');
    await page.getByRole('link', { name: t.another6 }).click();
    await heading(page, t.details);

    await fill(page, '234560003');
    await page.getByRole('button', { name: t.submit }).click();
    await heading(page, t.code);
    await state(page, `code-${lang}`);
    await page.getByRole('button', { name: t.codeSubmit }).click();
    await heading(page, t.code);
    await page.locator('#deposit-code').fill('11');
    await page.getByRole('button', { name: t.codeSubmit }).click();
    await heading(page, t.code);
    assert.equal(await page.locator('#deposit-code').inputValue(), '11');
    assert.ok((await mainText(page)).includes(t.codeWrong), await mainText(page));
    await state(page, `code-wrong-${lang}`);
    await page.locator('#deposit-code').fill('72');
    await page.getByRole('button', { name: t.codeSubmit }).click();
    await page.waitForURL(new RegExp(`^${MERCHANT}/done\\?.*as=CONNECTED`));
    noNumberInUrls(page);
  });
}

test('a form sent from another site is refused, and changes nothing', { skip: !SERVER_RENDERS }, async () => {
  const link = await connectLink('en_US');
  const res = await fetch(link.url, {
    method: 'POST', redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' },
    body: 'form=account&institution=x&number=1234560004&confirm=1234560004&authorization=yes&subtype=SAVINGS',
  });
  assert.equal(res.status, 403);
  const { json } = await ctx.server.merchant('GET', `/connect/link/${link.uuid}`);
  assert.notEqual(json.connect_link?.delivery_status, 'COMPLETED', JSON.stringify(json));
});
