// The journey a person actually walks (issue 14): pending accounts that
// finish, reopened links that show their outcome, buttons that say what is
// missing, wallets asked for their mobile number, Back / reload / leaving
// for the bank's app and returning, a declined payment, and the language of
// every page. Each walk runs at 360 px and 1280 px where the layout differs
// and in both languages where words are involved; every new state is
// screenshotted (target/e2e-screenshots/journey-*) and checked with axe.

import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { assertNotKept, axe, readLinkFromApi, useServerAndBrowser, watchedPage } from './harness.mjs';

const EUR = 'eur_868d99a5-6578-40cf-8aec-e7a48085fa37';
const DAVIVIENDA = 'ins_9082d56c-4e1d-4967-a828-b7001755e88e';
const TENANT = '22637d15-5b37-4fb2-90e5-aa8751970469';
const MERCHANT = 'https://merchant.example';

const T = {
  en_US: {
    cont: 'Continue', bank: 'Choose your bank', details: 'Enter your account details', submit: 'Connect account',
    intro: 'Connect your bank account', pendingDone: 'Account pending confirmation', connected: 'Account connected',
    nextBank: 'Next: open the Banco de Bogotá app, or visit a branch', returnTo: 'Return to NOVO',
    incomplete: 'Some details are missing', chooseType: 'Choose the account type.', wallet: 'Wallet',
    mobile: 'Mobile number', errMobile: 'Enter a mobile number of 10 digits that starts with 3.',
    nextWallet: 'Next: open the Nequi app and approve', choose: 'How do you want to pay?',
    noAccount: 'You have no connected account yet.', pay: 'Pay COP 20,000', authorizeDebit: 'Tick the box to authorize the payment.',
    declined: 'Payment declined', another: 'Pay with another account', declinedMark: 'declined just now',
    cancel: 'Cancel and return to NOVO', paid: 'Payment successful', rejected: 'We could not connect this account',
    fix: 'Fix the number', serviceError: 'We could not load this page', notFound: 'Link not found',
    expiredBody: 'Ask NOVO for a new link.', still: 'Still working',
  },
  es_CO: {
    cont: 'Continuar', bank: 'Elige tu banco', details: 'Ingresa los datos de tu cuenta', submit: 'Conectar cuenta',
    intro: 'Conecta tu cuenta bancaria', pendingDone: 'Cuenta pendiente de confirmación', connected: 'Cuenta conectada',
    nextBank: 'Ahora: abre la aplicación de Banco de Bogotá, o visita una oficina', returnTo: 'Volver a NOVO',
    incomplete: 'Faltan datos', chooseType: 'Elige el tipo de cuenta.', wallet: 'Billetera',
    mobile: 'Número de celular', errMobile: 'Ingresa un número de celular de 10 dígitos que empiece por 3.',
    nextWallet: 'Ahora: abre la aplicación de Nequi y aprueba', choose: '¿Cómo quieres pagar?',
    noAccount: 'Aún no tienes una cuenta conectada.', pay: 'Pagar $ 20.000', authorizeDebit: 'Marca la casilla para autorizar el pago.',
    declined: 'Pago rechazado', another: 'Pagar con otra cuenta', declinedMark: 'rechazada hace un momento',
    cancel: 'Cancelar y volver a NOVO', paid: 'Pago exitoso', rejected: 'No pudimos conectar esta cuenta',
    fix: 'Corregir el número', serviceError: 'No pudimos cargar esta página', notFound: 'Enlace no encontrado',
    expiredBody: 'Pide a NOVO un enlace nuevo.', still: 'Seguimos en ello',
  },
};
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
    transaction: { tenant_id: TENANT, amount: 20000, description: 'Policy renewal', ...tx },
  });
  assert.equal(status, 200, JSON.stringify(json));
  return json.checkout_link;
}

async function giveAccount(person, number, subtype = 'SAVINGS') {
  const { status, json } = await ctx.server.merchant('POST', '/accounts/validate', {
    user_authorization: true, institution_uuid: DAVIVIENDA, type: 'DEPOSITORY', subtype,
    account_number: number, existing_end_user_id: person,
  });
  assert.equal(status, 200, JSON.stringify(json));
  return json.account;
}

async function openPage(width, options = {}) {
  const page = await watchedPage(ctx.browser, { width, height: 800, ...options });
  page.posts = [];
  page.on('request', (r) => r.method() === 'POST' && page.posts.push(r.url()));
  await page.route(`${MERCHANT}/**`, (route) => route.fulfill({ contentType: 'text/html', body: '<h1>Merchant</h1>' }));
  return page;
}

/** Shot and axe for a new state. */
async function state(page, name) {
  await page.shot(`journey-${name}`);
  await axe(page, name);
}

/** From the intro to a filled form at Banco de Bogotá. */
async function toForm(page, t, number, { subtype = true } = {}) {
  await page.getByRole('button', { name: t.cont, exact: true }).click();
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

  test(`${tag}: a pending account finishes with what to do next, and the reopened link shows it after the bank's app`, async () => {
    const link = await connectLink({ default_language: lang, person: await newPerson() });
    const page = await openPage(width);
    await page.goto(link.url);
    await heading(page, t.intro);
    await toForm(page, t, '5555551111');
    await page.getByRole('button', { name: t.submit }).click();
    await heading(page, t.pendingDone);
    assert.ok((await mainText(page)).includes(t.nextBank), await mainText(page));
    await state(page, `${tag}-pending-done`);
    await assertNotKept(page, '5555551111', ctx.server.link);
    // Off to the bank's app, and back: the link shows the same outcome.
    await page.goto('about:blank');
    await page.goBack();
    await heading(page, t.pendingDone);
    await page.reload();
    await heading(page, t.pendingDone);
    assert.ok(!(await mainText(page)).includes('already used') && !(await mainText(page)).includes('ya fue utilizado'));
    await state(page, `${tag}-pending-reopened`);
    await page.getByRole('link', { name: t.returnTo }).click();
    await page.waitForURL(`${MERCHANT}/**`);
    assert.equal(new URL(page.url()).searchParams.get('as'), 'VALIDATION_PENDING');
    assert.equal(page.posts.filter((u) => u.endsWith('/accounts')).length, 1);
  });

  test(`${tag}: "Connect account" with the type missing marks it, says so and focuses it`, async () => {
    const link = await connectLink({ default_language: lang, person: await newPerson() });
    const page = await openPage(width);
    await page.goto(link.url);
    await heading(page, t.intro);
    await toForm(page, t, '12345678', { subtype: false });
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
    await page.getByRole('button', { name: t.cont, exact: true }).click();
    await page.getByRole('combobox').fill('nequi');
    await page.keyboard.press('Enter');
    await heading(page, t.details);
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
    await page.getByRole('button', { name: t.submit }).click();
    await page.getByText(t.errMobile).waitFor();
    await state(page, `${tag}-wallet-error`);
    await number.fill('300-123 4567');
    assert.equal(await number.inputValue(), '3001234567');
    await page.locator('#account-confirm').fill('3001234567');
    await page.getByRole('button', { name: t.submit }).click();
    await heading(page, t.connected);
    assert.ok((await mainText(page)).includes(t.wallet));
    await state(page, `${tag}-wallet-connected`);
    await page.getByRole('link', { name: t.returnTo }).click();
    await page.waitForURL(`${MERCHANT}/**`);
    const p = new URL(page.url()).searchParams;
    assert.equal(p.get('al4'), '4567');
    assert.equal(p.get('ain'), 'Nequi');
  });

  test(`${tag}: a first-time payer goes straight to connecting, and Pay says what is missing`, async () => {
    const person = await newPerson();
    const link = await checkoutLink(person, { default_language: lang });
    const page = await openPage(width);
    await page.goto(link.url);
    await heading(page, t.bank);
    assert.equal(await page.getByRole('button', { name: /^(Back|Atrás)$/ }).count(), 0, 'nothing to go back to');
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
    // Back and reload after paying: the receipt stays, nothing is paid twice.
    await page.goBack();
    await heading(page, t.paid);
    await page.reload();
    await heading(page, t.paid);
    await state(page, `${tag}-paid-reopened`);
    assert.equal(page.posts.filter((u) => u.endsWith('/pay')).length, 1);
  });

  test(`${tag}: a declined payment marks the account, does not preselect it, and can be cancelled`, async () => {
    const person = await newPerson();
    await giveAccount(person, '9876543210');
    await giveAccount(person, '9876543210', 'CHECKING');
    const link = await checkoutLink(person, { default_language: lang }, { amount: 20013 });
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
    await state(page, `${tag}-declined`);
    await page.getByRole('button', { name: t.another }).click();
    await heading(page, t.choose);
    const checked = await page.locator('.account-choice input:checked').count();
    assert.equal(checked, 0, 'the declined account is not chosen again');
    assert.ok((await mainText(page)).includes(t.declinedMark));
    await state(page, `${tag}-declined-retry`);
    await page.goto(link.url);
    await page.locator('#debit-authorization').check();
    await page.locator('button.primary').last().click();
    await heading(page, t.declined);
    await page.getByRole('link', { name: t.cancel }).click();
    await page.waitForURL(`${MERCHANT}/**`);
    assert.equal(new URL(page.url()).searchParams.get('status'), 'DECLINED');
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

for (const [lang, width] of WALKS.slice(2)) {
  const t = T[lang];
  const tag = `${lang}-${width}`;

  test(`${tag}: Back and reload walk the steps; after the finish Back never submits again`, async () => {
    const link = await connectLink({ default_language: lang, person: await newPerson() });
    const page = await openPage(width);
    await page.goto(link.url);
    await heading(page, t.intro);
    await toForm(page, t, '12340987');
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
    await page.getByRole('button', { name: /^(Back|Atrás)$/ }).click();
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
    await page.locator('#account-number').fill('12340987');
    await page.locator('#account-confirm').fill('12340987');
    await page.locator('#authorization').check();
    await page.getByRole('button', { name: t.submit }).click();
    await heading(page, t.connected);
    await page.goBack();
    await heading(page, t.connected);
    assert.equal(page.posts.filter((u) => u.endsWith('/accounts')).length, 1);
    await assertNotKept(page, '12340987', ctx.server.link);

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
    await toForm(page, t, '1234560000');
    await page.getByRole('button', { name: t.submit }).click();
    await page.getByRole('status').filter({ hasText: t.still }).waitFor();
    await state(page, `${tag}-slow`);
    await heading(page, t.rejected);
    await page.getByRole('button', { name: t.fix }).click();
    await heading(page, t.details);
    await page.waitForFunction(() => document.activeElement?.id === 'account-number');
  });

  test(`${tag}: custom confirmation page: a pending account goes straight back with its status`, async () => {
    const link = await connectLink({ default_language: lang, custom_confirmation_page: true, person: await newPerson() });
    const page = await openPage(width);
    await page.goto(link.url);
    await toForm(page, t, '4444441111');
    await Promise.all([page.waitForURL(`${MERCHANT}/**`), page.getByRole('button', { name: t.submit }).click()]);
    assert.equal(new URL(page.url()).searchParams.get('as'), 'VALIDATION_PENDING');
    // Back from the merchant: the link shows its outcome, no redirect loop.
    await page.goBack();
    await heading(page, t.pendingDone);
    await state(page, `${tag}-custom-pending-back`);
  });
}
