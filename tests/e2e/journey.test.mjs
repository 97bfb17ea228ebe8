// The journey a person actually walks (issue 14): an account waiting for the
// bank's approval that moves on by itself, reopened links that show where
// they are, buttons that say what is missing, wallets asked for their
// mobile number, Back / reload / leaving for the bank's app and returning, a
// payment that was not made, and the language of every page. Each walk runs at 360 px and 1280 px where the layout differs
// and in both languages where words are involved; every new state is
// screenshotted (target/e2e-screenshots/journey-*) and checked with axe.

import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { assertNotKept, assertSigned, axe, readLinkFromApi, useServerAndBrowser, watchedPage } from './harness.mjs';
import { t, words } from './words.mjs';

const EUR = 'eur_868d99a5-6578-40cf-8aec-e7a48085fa37';
const DAVIVIENDA = 'ins_9082d56c-4e1d-4967-a828-b7001755e88e';
const TENANT = '22637d15-5b37-4fb2-90e5-aa8751970469';
const MERCHANT = 'https://merchant.example';

const BOGOTA = { bank: 'Banco de Bogotá' };
const NOVO = { merchant: 'NOVO' };
/** A message's first sentence: the part every institution kind shares. */
const first = (key, vars) => (l) => t(key, l, vars).split(/(?<=\.) /)[0];
const T = words({
  cont: 'Continue', bank: 'ChooseBankTitle', details: 'AccountDetailsTitle', submit: 'SubmitAccount',
  intro: 'ConnectTitle', approve: ['PendingTitle', BOGOTA], connected: 'ConnectedTitle',
  waiting: ['WaitingFor', BOGOTA], returnTo: ['ReturnTo', NOVO],
  incomplete: 'FormIncomplete', chooseType: 'ErrChooseSubtype', wallet: 'WalletLabel',
  mobile: 'MobileNumberLabel', errMobile: 'ErrMobile',
  walletDetails: 'WalletDetailsTitle', submitWallet: 'SubmitWallet', walletConnected: 'ConnectedWalletTitle',
  choose: 'ChoosePaymentTitle',
  noAccount: 'NoAccountsYet', pay: ['PayAmount', { amount: { en_US: 'COP 20,000', es_CO: '$ 20.000' } }],
  authorizeDebit: 'ErrAuthorizeDebit',
  declined: 'DeclinedTitle', declinedWhy: ['DeclinedLimit', { bank: 'Davivienda' }],
  another: 'PayWithAnother', declinedMark: 'DeclinedMark',
  paid: 'PaidTitle', alreadyPaid: 'AlreadyPaidTitle', rejected: 'RejectedTitle',
  fix: 'FixNumber', serviceError: 'ServiceErrorTitle', notFound: 'NotFoundTitle',
  expiredBody: ['ExpiredBody', NOVO], still: 'StillWorking',
  holder: ['HolderLineId', { name: 'J••• D•••', id: (l) => `${t('IdLicense', l)} •••• 4321` }],
  hint11: first('AccountNumberHint', { digits: 11 }), len11: ['ErrLengthAt', { bank: 'Bancolombia', digits: 11 }],
  handoff: 'HandoffTitle', qrAlt: 'HandoffQrAlt', choose2: 'ChoosePaymentTitle', newAccount: 'ConnectNewAccount',
});
const WALKS = [['en_US', 360], ['es_CO', 1280], ['es_CO', 360], ['en_US', 1280]];

const ctx = useServerAndBrowser({ before, after, afterEach });
const nbsp = (s) => s.replace(/\u00a0/g, ' ');
const heading = (page, name) => page.getByRole('heading', { level: 1, name }).waitFor();
const mainText = async (page) => nbsp(await page.textContent('main'));

let people = 0;
/** A new end user, so accounts from other walks do not show or dedupe. */
async function newPerson() {
  people += 1;
  const { json } = await ctx.server.merchant('POST', '/end-users/create', {
    type: 'INDIVIDUAL', first_name: `Sofía${people}`, last_name: 'Ruiz', email: `sofia${people}@example.co`,
  });
  return json.end_user.uuid;
}

async function connectLink(extra = {}) {
  const { status, json } = await ctx.server.merchant('POST', '/connect/link/create', {
    existing_end_user_id: extra.person ?? EUR,
    intro_text: 'NOVO uses DRUO to connect to your account.',
    redirect_url: `${MERCHANT}/done`,
    ...extra,
    person: undefined,
  });
  assert.equal(status, 200, JSON.stringify(json));
  return json.connect_link;
}

async function checkoutLink(person, extra = {}, tx = {}) {
  const { status, json } = await ctx.server.merchant('POST', '/checkout/link/create', {
    existing_end_user_id: person, link_name: 'Policy renewal', primary_reference: 'INV 1',
    redirect_url: `${MERCHANT}/order`, ...extra,
    // In the payers' language, as a merchant writes it (issue 29).
    transaction: { tenant_id: TENANT, amount: 2000000, description: extra.default_language === 'es_CO' ? 'Renovación de póliza' : 'Policy renewal', ...tx },
  });
  assert.equal(status, 200, JSON.stringify(json));
  return json.checkout_link;
}

/** Connects a Davivienda account for `person` as a checkout page does (a
 *  validated account, `POST /accounts/validate`, cannot pay until it is
 *  connected): through a checkout link of their own, whose sandbox
 *  connects any number but …2, …3 and …5. */
async function giveAccount(person, number, subtype = 'SAVINGS') {
  const slug = new URL((await checkoutLink(person)).url).searchParams.get('sl');
  const res = await fetch(`${ctx.server.link}/api/v1/checkout-links/${encodeURIComponent(slug)}/accounts`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID(), Origin: ctx.server.link },
    body: JSON.stringify({ institution_uuid: DAVIVIENDA, type: 'DEPOSITORY', subtype, account_number: number, user_authorization: true }),
  });
  const json = await res.json();
  assert.equal(res.status, 201, JSON.stringify(json));
  assert.equal(json.current_status, 'CONNECTED', JSON.stringify(json));
  return json;
}

async function openPage(width, options = {}) {
  const page = await watchedPage(ctx.browser, { width, height: 800, ...options });
  page.posts = [];
  page.on('request', (r) => r.method() === 'POST' && page.posts.push(r.url()));
  await page.route(`${MERCHANT}/**`, (route) => route.fulfill({ contentType: 'text/html', body: '<h1>Merchant</h1>' }));
  return page;
}

/**
 * A wallet is never called a bank (issue 29): once the phrases that name
 * both kinds ("bank or wallet", "banco o billetera") are set aside, the
 * whole page, its summary and footer included, says no "bank"/"banco".
 */
async function assertNoBank(page, where) {
  const text = nbsp(await page.locator('body').innerText());
  const rest = text.replace(/bank account or wallet|banks and wallets|bank or wallet|cuenta bancaria o billetera|bancos y billeteras|banco o billetera/gi, '');
  assert.doesNotMatch(rest, /\b(banks?|bancos?|bancarias?)\b/i, `${where}: ${text}`);
}

/**
 * A wallet's form and confirmation speak of the wallet (issue 29,
 * `Msg::for_kind`): their main content names no account, in either
 * language. (The footer's trust line speaks of accounts in general.)
 */
async function assertNoAccount(page, where) {
  const text = nbsp(await page.locator('main').innerText());
  assert.doesNotMatch(text, /\b(accounts?|cuentas?)\b/i, `${where}: ${text}`);
}

/** Shot and axe for a new state. */
async function state(page, name) {
  await page.shot(`journey-${name}`);
  await axe(page, name);
}

/** From the intro to a filled form at Banco de Bogotá. */
async function toForm(page, t, number, { subtype = true } = {}) {
  await page.getByRole('link', { name: t.cont, exact: true }).click();
  await heading(page, t.bank);
  await page.getByRole('combobox').fill('bogota');
  await page.keyboard.press('Enter');
  await heading(page, t.details);
  if (subtype) await page.locator('.subtypes input').first().check();
  await page.locator('#account-number').fill(number);
  await page.locator('#account-confirm').fill(number);
  await page.locator('#authorization').check();
}

for (const [lang, width] of WALKS.slice(0, 2)) {
  const t = T[lang];
  const tag = `${lang}-${width}`;

  test(`${tag}: an account waiting for the bank's approval is resumed after the bank's app, and moves on by itself`, async () => {
    const link = await connectLink({ default_language: lang, person: await newPerson() });
    const page = await openPage(width);
    await page.goto(link.url);
    await heading(page, t.intro);
    // …2: the institution approves the request 10 s after it was made.
    await toForm(page, t, '555551112');
    await page.getByRole('button', { name: t.submit }).click();
    await heading(page, t.approve);
    await page.getByRole('status').filter({ hasText: t.waiting }).waitFor();
    await assertNotKept(page, '555551112', ctx.server.link);
    // Off to the bank's app, and back: the link resumes the same wait.
    await page.goto('about:blank');
    await page.goBack();
    await heading(page, t.approve);
    await page.reload();
    await heading(page, t.approve);
    assert.ok(!(await mainText(page)).includes('already used') && !(await mainText(page)).includes('ya fue utilizado'));
    // The way back carries the status at this moment.
    const back = await page.getByRole('link', { name: t.returnTo }).getAttribute('href');
    assert.equal(new URL(back).searchParams.get('as'), 'VERIFICATION_PENDING');
    await state(page, `${tag}-approve-reopened`);
    // The bank approves: the page moves on by itself, with no other reload.
    await page.getByRole('heading', { level: 1, name: t.connected }).waitFor({ timeout: 20000 });
    await state(page, `${tag}-approved`);
    await page.getByRole('link', { name: t.returnTo }).click();
    await page.waitForURL(`${MERCHANT}/**`);
    assert.equal(new URL(page.url()).searchParams.get('as'), 'CONNECTED');
    assert.equal(page.posts.filter((u) => u.endsWith('/accounts')).length, 1);
  });

  test(`${tag}: "Connect account" with the type missing marks it, says so and focuses it`, async () => {
    const link = await connectLink({ default_language: lang, person: await newPerson() });
    const page = await openPage(width);
    await page.goto(link.url);
    await heading(page, t.intro);
    await toForm(page, t, '12345674', { subtype: false });
    const button = page.getByRole('button', { name: t.submit });
    assert.equal(await button.isEnabled(), true, 'never grey');
    await button.click();
    await page.getByRole('alert').filter({ hasText: t.incomplete }).waitFor();
    assert.ok((await mainText(page)).includes(t.chooseType));
    assert.equal(await page.evaluate(() => document.activeElement?.closest('.subtypes') !== null), true, 'focus on the type');
    assert.equal(page.posts.length, 0);
    await state(page, `${tag}-form-missing`);
    await page.locator('.subtypes input').first().check();
    await button.click();
    await heading(page, t.connected);
  });

  test(`${tag}: a wallet asks for its mobile number, with no account type`, async () => {
    const link = await connectLink({ default_language: lang, person: await newPerson() });
    const page = await openPage(width);
    await page.goto(link.url);
    await page.getByRole('link', { name: t.cont, exact: true }).click();
    await page.getByRole('combobox').fill('nequi');
    await page.keyboard.press('Enter');
    await heading(page, t.walletDetails);
    await assertNoAccount(page, 'the wallet form');
    const text = await mainText(page);
    assert.ok(text.includes(t.wallet) && text.includes(t.mobile), text);
    assert.equal(await page.locator('.subtypes').count(), 0, 'no account type');
    const number = page.locator('#account-number');
    assert.equal(await number.getAttribute('inputmode'), 'numeric');
    // Letters are refused as they are typed; a pasted number keeps its digits.
    await number.pressSequentially('40a0');
    assert.equal(await number.inputValue(), '400');
    await number.fill('');
    await number.pressSequentially('400123456');
    await number.pressSequentially('7');
    await page.locator('#account-confirm').fill('4001234567');
    await page.locator('#authorization').check();
    await page.getByRole('button', { name: t.submitWallet }).click();
    await page.getByText(t.errMobile).waitFor();
    await state(page, `${tag}-wallet-error`);
    await number.fill('300-123 4564');
    assert.equal(await number.inputValue(), '3001234564');
    await page.locator('#account-confirm').fill('3001234564');
    await page.getByRole('button', { name: t.submitWallet }).click();
    await heading(page, t.walletConnected);
    await assertNoAccount(page, 'the wallet connected');
    assert.ok((await mainText(page)).includes(t.wallet));
    await state(page, `${tag}-wallet-connected`);
    await page.getByRole('link', { name: t.returnTo }).click();
    await page.waitForURL(`${MERCHANT}/**`);
    const p = new URL(page.url()).searchParams;
    assert.equal(p.get('al4'), '4564');
    assert.equal(p.get('ain'), 'Nequi');
  });

  test(`${tag}: a wallet's connect and payment never call it a bank, from the form to the receipt`, async () => {
    const link = await connectLink({ default_language: lang, person: await newPerson() });
    const page = await openPage(width);
    const toWalletForm = async () => {
      await page.getByRole('combobox').fill('nequi');
      await page.keyboard.press('Enter');
      await heading(page, t.walletDetails);
      await assertNoBank(page, 'the wallet form');
    };
    const connectWallet = async (mobile) => {
      await page.locator('#account-number').fill(mobile);
      await page.locator('#account-confirm').fill(mobile);
      await page.locator('#authorization').check();
      await page.getByRole('button', { name: t.submitWallet }).click();
    };
    await page.goto(link.url);
    await page.getByRole('link', { name: t.cont, exact: true }).click();
    await toWalletForm();
    await page.getByRole('button', { name: t.submitWallet }).click();
    await page.getByRole('alert').filter({ hasText: t.incomplete }).waitFor();
    await assertNoBank(page, 'the wallet form, sent empty');
    await connectWallet('3001234564');
    await heading(page, t.walletConnected);
    await assertNoBank(page, 'the wallet connected');

    // A payment from a wallet beyond its limit (…16), then from another
    // wallet that pays (…44): the summary, the list, the decline, the receipt.
    const checkout = await checkoutLink(await newPerson(), { default_language: lang });
    await page.goto(checkout.url);
    await heading(page, t.bank);
    await toWalletForm();
    await connectWallet('3001234516');
    await heading(page, t.choose);
    await assertNoBank(page, 'the wallet to pay with');
    await page.locator('#debit-authorization').check();
    await page.getByRole('button', { name: t.pay }).click();
    await heading(page, t.declined);
    await assertNoBank(page, 'the wallet payment declined');
    await page.getByRole('link', { name: t.another }).click();
    await heading(page, t.choose);
    await page.getByRole('link', { name: t.newAccount }).click();
    await heading(page, t.bank);
    await toWalletForm();
    await connectWallet('3009876544');
    await heading(page, t.choose);
    await page.locator('#debit-authorization').check();
    await page.getByRole('button', { name: t.pay }).click();
    await heading(page, t.paid);
    await assertNoBank(page, 'the wallet payment and its receipt');
    await state(page, `${tag}-wallet-paid`);
  });

  test(`${tag}: a first-time payer goes straight to connecting, and Pay says what is missing`, async () => {
    const person = await newPerson();
    const link = await checkoutLink(person, { default_language: lang });
    const page = await openPage(width);
    await page.goto(link.url);
    await heading(page, t.bank);
    assert.equal(await page.getByRole('link', { name: /^(Back|Atrás)$/ }).count(), 0, 'nothing to go back to');
    await state(page, `${tag}-first-payer`);
    await page.getByRole('combobox').fill('davivienda');
    await page.keyboard.press('Enter');
    await heading(page, t.details);
    await page.locator('.subtypes input').first().check();
    await page.locator('#account-number').fill('2222333344');
    await page.locator('#account-confirm').fill('2222333344');
    await page.locator('#authorization').check();
    await page.getByRole('button', { name: t.submit }).click();
    await heading(page, t.choose);
    const pay = page.getByRole('button', { name: t.pay });
    assert.equal(await pay.isEnabled(), true);
    await pay.click();
    await page.getByRole('alert').filter({ hasText: t.authorizeDebit }).waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'debit-authorization');
    await state(page, `${tag}-pay-missing`);
    await page.locator('#debit-authorization').check();
    await pay.click();
    await heading(page, t.paid);
    // Back and reload after paying: the receipt stays, nothing is paid
    // twice, and the reloaded page says it was paid before (issue 29).
    await page.goBack();
    await heading(page, t.paid);
    await page.reload();
    await heading(page, t.alreadyPaid);
    await state(page, `${tag}-paid-reopened`);
    assert.equal(page.posts.filter((u) => u.endsWith('/pay')).length, 1);
  });

  test(`${tag}: a payment that was not made marks the account, does not preselect it, and can be cancelled`, async () => {
    const person = await newPerson();
    // …16: the payment fails for the account's limit (EXCEEDS_ACCOUNT_LIMIT).
    await giveAccount(person, '9876543216');
    await giveAccount(person, '9876543216', 'CHECKING');
    const link = await checkoutLink(person, { default_language: lang });
    const page = await openPage(width);
    await page.goto(link.url);
    await heading(page, t.choose);
    // Same bank and last four: told apart by type.
    const radios = await page.locator('.account-choice').allTextContents();
    assert.equal(radios.length, 2);
    assert.notEqual(radios[0], radios[1], radios.join(' | '));
    await state(page, `${tag}-twins`);
    await page.locator('#debit-authorization').check();
    await page.locator('button.primary').last().click();
    await heading(page, t.declined);
    assert.ok((await mainText(page)).includes(t.declinedWhy), await mainText(page));
    await state(page, `${tag}-declined`);
    await page.getByRole('link', { name: t.another }).click();
    await heading(page, t.choose);
    const checked = await page.locator('.account-choice input:checked').count();
    assert.equal(checked, 0, 'the declined account is not chosen again');
    assert.ok((await mainText(page)).includes(t.declinedMark));
    await state(page, `${tag}-declined-retry`);
    await page.goto(link.url);
    await page.locator('#debit-authorization').check();
    await page.locator('button.primary').last().click();
    await heading(page, t.declined);
    await page.getByRole('link', { name: t.returnTo }).click();
    await page.waitForURL(`${MERCHANT}/**`);
    assert.equal(new URL(page.url()).searchParams.get('status'), 'FAILED');
    // The way back from a decline is signed like every way back with parameters.
    assertSigned(page.url(), `${MERCHANT}/order`, ctx.server.signingSecret);
  });

  test(`${tag}: the error and not-found pages follow a browser in this language`, async () => {
    const locale = lang === 'es_CO' ? 'es-CO' : 'en-US';
    const page = await watchedPage(ctx.browser, { width, locale, allowErrors: true });
    await readLinkFromApi(page);
    await page.route('**/api/v1/connect-links/**', (route) => route.fulfill({ status: 503, body: 'down' }));
    const link = await connectLink();
    await page.goto(link.url);
    await heading(page, t.serviceError);
    await state(page, `${tag}-service-error`);
    await page.unroute('**/api/v1/connect-links/**');
    await page.goto(`${ctx.server.link}/connect/secure?sl=nope`);
    await heading(page, t.notFound);
    await page.goto(`${ctx.server.link}/nowhere`);
    await heading(page, t.notFound);
    await state(page, `${tag}-not-found`);
    // ?lang= wins over the browser on every page.
    const other = lang === 'es_CO' ? 'en_US' : 'es_CO';
    await page.goto(`${ctx.server.link}/nowhere?lang=${other}`);
    await heading(page, T[other].notFound);
    const expired = await connectLink({ default_language: lang, expiration_date: '2021-11-16T23:23:38' });
    await page.goto(expired.url);
    await page.getByText(t.expiredBody).waitFor();
  });
}

// Issue 27: before anything is typed, the details step says whose account
// is expected (masked: the seeded John Doe, a US driver's license ending
// 4321) and the chosen bank's own digit count; a number of the wrong
// length is refused by that rule, in words that name the bank.
for (const [lang, width] of WALKS) {
  const t = T[lang];
  const tag = `${lang}-${width}`;

  test(`${tag}: the details step names whose account, and Bancolombia's numbers have 11 digits`, async () => {
    const link = await connectLink({ default_language: lang });
    const page = await openPage(width);
    await page.goto(link.url);
    await page.getByRole('link', { name: t.cont, exact: true }).click();
    await heading(page, t.bank);
    await page.getByRole('combobox').fill('bancolombia');
    await page.keyboard.press('Enter');
    await heading(page, t.details);
    assert.equal(nbsp(await page.locator('.holder').textContent()), t.holder);
    assert.ok(!(await page.content()).includes('987654321'), 'the document never reaches the page');
    const hint = nbsp(await page.locator('#account-number-hint').textContent());
    assert.ok(hint.startsWith(t.hint11), hint);
    await page.locator('.subtypes input').first().check();
    await page.locator('#account-number').fill('1687366004');
    await page.locator('#account-confirm').fill('1687366004');
    await page.locator('#authorization').check();
    await page.getByRole('button', { name: t.submit }).click();
    await page.locator('#account-number-error', { hasText: t.len11 }).waitFor();
    assert.equal(await page.locator('#account-number').getAttribute('aria-invalid'), 'true');
    assert.equal(page.posts.length, 0, 'refused before anything is sent');
    await state(page, `${tag}-holder-and-bank-rule`);
    await page.locator('#account-number').fill('01687366004');
    await page.locator('#account-confirm').fill('01687366004');
    await page.getByRole('button', { name: t.submit }).click();
    await heading(page, t.connected);
  });
}

// Issue 27, "Continue on your phone": on a desktop, the link page offers a
// QR code of itself at its step (drawn by link-server, no other origin)
// and its address in words; the desktop follows the link and shows the
// end the phone reached, without a reload. Phones never see it.
for (const [lang, width] of WALKS) {
  const t = T[lang];
  const tag = `${lang}-${width}`;
  const qrPath = (src) => new URL(src, 'http://x').searchParams.get('u');

  test(`${tag}: "Continue on your phone" on a desktop only; the desktop shows what the phone finished`, async () => {
    const link = await connectLink({ default_language: lang, person: await newPerson() });
    const page = await openPage(width);
    const qrs = [];
    page.on('request', (r) => r.url().includes('/qr.svg') && qrs.push(r.url()));
    await page.goto(link.url);
    await heading(page, t.intro);
    const summary = page.locator('details.handoff > summary');
    if (width === 360) {
      assert.equal(await summary.isVisible(), false, 'not on a phone');
      await page.getByRole('link', { name: t.cont, exact: true }).click();
      await heading(page, t.bank);
      assert.deepEqual(qrs, [], 'no QR fetched on a phone');
      return;
    }
    await page.evaluate(() => { window.__sameDocument = true; });
    await page.getByRole('link', { name: t.cont, exact: true }).click();
    await heading(page, t.bank);
    await summary.filter({ hasText: t.handoff }).click();
    const img = page.getByRole('img', { name: t.qrAlt });
    await img.waitFor();
    await page.waitForFunction(() => document.querySelector('.handoff-qr')?.naturalWidth > 0);
    // The QR is this page at this step, from this origin.
    const src = await img.getAttribute('src');
    assert.ok(src.startsWith('/api/v1/qr.svg?u='), src);
    const here = await page.evaluate(() => location.pathname + location.search);
    assert.equal(qrPath(src), here);
    assert.ok(qrs.every((u) => u.startsWith(ctx.server.link)), 'no other origin');
    const svg = await fetch(`${ctx.server.link}${src}`);
    assert.equal(svg.headers.get('content-type'), 'image/svg+xml');
    assert.equal(nbsp(await page.locator('.handoff-url').textContent()), link.url);
    await state(page, `${tag}-handoff`);

    // The phone opens the QR's address and connects there.
    const phone = await openPage(360);
    await phone.goto(`${ctx.server.link}${qrPath(src)}`);
    await heading(phone, t.bank);
    await phone.getByRole('combobox').fill('bogota');
    await phone.keyboard.press('Enter');
    await heading(phone, t.details);
    await phone.locator('.subtypes input').first().check();
    await phone.locator('#account-number').fill('700001234');
    await phone.locator('#account-confirm').fill('700001234');
    await phone.locator('#authorization').check();
    await phone.getByRole('button', { name: t.submit }).click();
    await heading(phone, t.connected);
    // The desktop follows, in the same document.
    await heading(page, t.connected);
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no reload');
    await state(page, `${tag}-handoff-followed`);
  });

  if (width === 1280) {
    test(`${tag}: a checkout paid on the phone shows as paid on the desktop`, async () => {
      const person = await newPerson();
      await giveAccount(person, '9876543214');
      const link = await checkoutLink(person, { default_language: lang });
      const page = await openPage(width);
      await page.goto(link.url);
      await heading(page, t.choose2);
      await page.evaluate(() => { window.__sameDocument = true; });
      await page.locator('details.handoff > summary').click();
      const src = await page.getByRole('img', { name: t.qrAlt }).getAttribute('src');
      const phone = await openPage(360);
      await phone.goto(`${ctx.server.link}${qrPath(src)}`);
      await heading(phone, t.choose2);
      await phone.locator('#debit-authorization').check();
      await phone.getByRole('button', { name: t.pay }).click();
      await heading(phone, t.paid);
      await heading(page, t.paid);
      assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no reload');
      await state(page, `${tag}-handoff-paid`);
    });
  }
}

for (const [lang, width] of WALKS.slice(2)) {
  const t = T[lang];
  const tag = `${lang}-${width}`;

  test(`${tag}: Back and reload walk the steps; after the finish Back never submits again`, async () => {
    const link = await connectLink({ default_language: lang, person: await newPerson() });
    const page = await openPage(width);
    await page.goto(link.url);
    await heading(page, t.intro);
    await toForm(page, t, '12340984');
    await page.goBack();
    await heading(page, t.bank);
    await page.goBack();
    await heading(page, t.intro);
    await page.goForward();
    await heading(page, t.bank);
    await page.goForward();
    await heading(page, t.details);
    // The page's own Back agrees with the browser's: "Change" on the form
    // goes back to the picker, and the browser's Back then lands on the
    // intro, not on the form again.
    const entries = await page.evaluate(() => history.length);
    await page.locator('#change-bank').click();
    await heading(page, t.bank);
    await page.goBack();
    await heading(page, t.intro);
    // The picker's own Back too: Forward still leads to the picker.
    await page.goForward();
    await heading(page, t.bank);
    await page.getByRole('link', { name: /^(Back|Atrás)$/ }).click();
    await heading(page, t.intro);
    await page.goForward();
    await heading(page, t.bank);
    assert.equal(await page.evaluate(() => history.length), entries, 'no entries added');
    await page.getByRole('combobox').fill('bogota');
    await page.keyboard.press('Enter');
    await heading(page, t.details);
    // Reload: the same step, the bank and the account type kept, the
    // number and the authorization never.
    await page.locator('.subtypes input').nth(1).check();
    await page.locator('#authorization').check();
    await page.waitForURL(/[?&]type=CHECKING/);
    await page.reload();
    await heading(page, t.details);
    // The bank's name comes with the catalog (carried by a server-rendered
    // page, else read by the live page).
    await page.locator('.chosen-bank .bank-name', { hasText: 'Banco de Bogotá' }).waitFor();
    assert.ok((await mainText(page)).includes('Banco de Bogotá'));
    assert.ok(await page.locator('.subtypes input').nth(1).isChecked(), 'the account type is kept');
    assert.ok(!(await page.locator('#authorization').isChecked()), 'the authorization is given again');
    assert.equal(await page.locator('#account-number').inputValue(), '');
    assert.ok(new URL(page.url()).searchParams.get('sl'));
    await state(page, `${tag}-reloaded-form`);
    // Back to the picker, reload there (the bank is no longer chosen in
    // the page), then Forward: the form the entry names, with its bank
    // and type, never the picker under a details URL.
    await page.goBack();
    await heading(page, t.bank);
    await page.reload();
    await heading(page, t.bank);
    await page.goForward();
    await heading(page, t.details);
    assert.equal(new URL(page.url()).searchParams.get('step'), 'details');
    assert.ok((await mainText(page)).includes('Banco de Bogotá'));
    assert.ok(await page.locator('.subtypes input').nth(1).isChecked(), 'the account type comes back');
    await page.locator('.subtypes input').first().check();
    await page.locator('#account-number').fill('12340984');
    await page.locator('#account-confirm').fill('12340984');
    await page.locator('#authorization').check();
    await page.getByRole('button', { name: t.submit }).click();
    await heading(page, t.connected);
    await page.goBack();
    await heading(page, t.connected);
    assert.equal(page.posts.filter((u) => u.endsWith('/accounts')).length, 1);
    await assertNotKept(page, '12340984', ctx.server.link);

    // Opened straight on the form (no entry of ours before it): "Change"
    // names the picker in the same entry instead of leaving the page.
    const fresh = await connectLink({ default_language: lang, person: await newPerson() });
    const direct = new URL(fresh.url);
    direct.searchParams.set('step', 'details');
    direct.searchParams.set('inst', DAVIVIENDA);
    const other = await openPage(width);
    await other.goto(direct.href);
    await heading(other, t.details);
    const before = await other.evaluate(() => history.length);
    await other.locator('#change-bank').click();
    await heading(other, t.bank);
    assert.equal(new URL(other.url()).searchParams.get('step'), 'bank');
    assert.equal(await other.evaluate(() => history.length), before);
  });

  test(`${tag}: "Fix the number" focuses the number; a slow submit says it is still working`, async () => {
    const link = await connectLink({ default_language: lang, person: await newPerson() });
    const page = await openPage(width);
    await page.route('**/api/v1/connect-links/*/accounts', async (route) => {
      await new Promise((r) => setTimeout(r, 3000));
      return route.continue();
    });
    await page.goto(link.url);
    await toForm(page, t, '234560005');
    await page.getByRole('button', { name: t.submit }).click();
    await page.getByRole('status').filter({ hasText: t.still }).waitFor();
    await state(page, `${tag}-slow`);
    await heading(page, t.rejected);
    await page.getByRole('link', { name: t.fix }).click();
    await heading(page, t.details);
    await page.waitForFunction(() => document.activeElement?.id === 'account-number');
  });

  test(`${tag}: custom confirmation page: an account waiting for the bank goes straight back once approved, with its status`, async () => {
    const link = await connectLink({ default_language: lang, custom_confirmation_page: true, person: await newPerson() });
    const page = await openPage(width);
    await page.goto(link.url);
    await toForm(page, t, '444441112');
    await page.getByRole('button', { name: t.submit }).click();
    // The wait is the person's to finish: it shows even with the
    // merchant's own confirmation page, and nothing leaves before.
    await heading(page, t.approve);
    assert.equal(new URL(page.url()).origin, ctx.server.link);
    await state(page, `${tag}-custom-approve`);
    await page.waitForURL(`${MERCHANT}/**`, { timeout: 20000 });
    assert.equal(new URL(page.url()).searchParams.get('as'), 'CONNECTED');
    assert.equal(new URL(page.url()).searchParams.get('al4'), '1112');
    // Back from the merchant: the link shows its outcome, no redirect loop.
    await page.goBack();
    await heading(page, t.connected);
    assert.equal(new URL(page.url()).origin, ctx.server.link);
    await state(page, `${tag}-custom-approved-back`);
  });
}
