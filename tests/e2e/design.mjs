// The design gallery (issue 15, docs/design.md): every screen of the link
// pages at 360 px and 1280 px, in both languages, with the default theme
// and two merchant themes, walked on link-server like a person would. Each
// state is checked with axe (zero serious/critical) and for sideways
// scrolling, then the shots are laid side by side into one sheet per screen
// under docs/design/. Run by `scripts/design` after `scripts/build`; not
// part of CI (the suites check the same states; this draws the pictures).

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { join } from 'node:path';
import { ROOT, axe, launch, readLinkFromApi, startServer, watchedPage } from './harness.mjs';
import { MESSAGE_NAMES, messagesIn, oneOf, t, words } from './words.mjs';

const OUT = join(ROOT, 'target', 'design-shots');
const DOCS = join(ROOT, 'docs', 'design');
const TENANT = '22637d15-5b37-4fb2-90e5-aa8751970469';
const DAVIVIENDA = 'ins_9082d56c-4e1d-4967-a828-b7001755e88e';

/** Default, a dark brand (green page, light card) and a light brand whose
 *  pink button core/ must darken to keep white text readable. */
const THEMES = {
  default: { connect: {}, checkout: {} },
  andes: {
    connect: {
      background_color: '#0b3d2e', content_background_color: '#f4f8f5', content_box_text_color: '#10281f',
      button_color: '#1a7f4b', button_text_color: '#ffffff',
    },
    checkout: {
      background_color: '#0b3d2e', sidebar_background_color: '#e3efe8', sidebar_text_color: '#10281f',
      main_content_box_background_color: '#f4f8f5', main_content_box_text_color: '#10281f',
      button_color: '#1a7f4b', button_text_color: '#ffffff',
    },
  },
  rosa: {
    connect: {
      background_color: '#fff1f7', content_background_color: '#ffffff', content_box_text_color: '#3b1028',
      button_color: '#ff4fa3', button_text_color: '#ffffff',
    },
    checkout: {
      background_color: '#fff1f7', sidebar_background_color: '#ffe0ee', sidebar_text_color: '#3b1028',
      main_content_box_background_color: '#ffffff', main_content_box_text_color: '#3b1028',
      button_color: '#ff4fa3', button_text_color: '#ffffff',
    },
  },
};
const LANGS = ['en_US', 'es_CO'];
const WIDTHS = [360, 1280];
const WORDS = words({
  cont: 'Continue', details: 'AccountDetailsTitle', submit: 'SubmitAccount', another: 'ConnectNewAccount',
  walletDetails: 'WalletDetailsTitle', submitWallet: 'SubmitWallet',
});
for (const lang of LANGS) WORDS[lang].pay = new RegExp(`^${t('PayAmount', lang, { amount: '' })}`);

// The words walk sends more account submits and payments a minute than
// a person could: the per-client limit is raised for it.
const server = await startServer(process.argv[2] === 'words' ? { env: { LINK_CLIENT_WRITES_PER_MINUTE: '1000' } } : {});
const browser = await launch();
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const shots = new Map(); // screen → [{ theme, lang, width, file }]
let people = 0;

async function merchant(path, body) {
  const { status, json } = await server.merchant('POST', path, body);
  assert.equal(status, 200, JSON.stringify(json));
  return json;
}
async function person() {
  people += 1;
  const json = await merchant('/end-users/create', {
    type: 'INDIVIDUAL', first_name: 'Sofía', last_name: 'Ruiz', email: `sofia${people}@example.co`,
  });
  return json.end_user.uuid;
}
async function connectLink(theme, lang, extra = {}) {
  const json = await merchant('/connect/link/create', {
    existing_end_user_id: await person(), default_language: lang, redirect_url: 'https://merchant.example/done',
    intro_text: { en_US: 'NOVO uses DRUO to connect your bank account or wallet.', es_CO: 'NOVO usa DRUO para conectar tu cuenta bancaria o billetera.' },
    ...THEMES[theme].connect, ...extra,
  });
  return json.connect_link.url;
}
/** What a merchant sells, as it would describe it to its payers. */
const SAMPLE = {
  en_US: { about: 'Insurance policy renewal', what: 'Insurance policy renewal - INV12324' },
  es_CO: { about: 'Renovación de póliza de seguro', what: 'Renovación de póliza de seguro - INV12324' },
};
async function createCheckout(payer, theme, lang) {
  const json = await merchant('/checkout/link/create', {
    existing_end_user_id: payer, default_language: lang, link_name: 'Checkout Link #1234556',
    // A merchant writes its descriptions in its payers' language (issue 29).
    link_description: SAMPLE[lang].about, primary_reference: 'INV12324',
    redirect_url: 'https://merchant.example/order', ...THEMES[theme].checkout,
    transaction: { tenant_id: TENANT, amount: 2000000, description: SAMPLE[lang].what, statement_descriptor: 'NOVO BILLING* INV12324' },
  });
  return json.checkout_link.url;
}

/** A payer with one connected Davivienda account, per number (made once:
 *  a …2 account waits 10 s for the sandbox bank's approval). The account
 *  is connected as a checkout page connects one, through the page's API
 *  (a validated account, `POST /accounts/validate`, cannot pay). */
const payers = new Map();
async function payerWith(number) {
  if (payers.has(number)) return payers.get(number);
  const payer = await person();
  const slug = new URL(await createCheckout(payer, 'default', 'en_US')).searchParams.get('sl');
  const api = `${server.link}/api/v1/checkout-links/${encodeURIComponent(slug)}/accounts`;
  const res = await fetch(api, {
    method: 'POST',
    // What the page's own fetch sends: the public API takes writes from
    // the link's origin only (issue 25).
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID(), Origin: server.link },
    body: JSON.stringify({ institution_uuid: DAVIVIENDA, type: 'DEPOSITORY', subtype: 'SAVINGS', account_number: number, user_authorization: true }),
  });
  let account = await res.json();
  assert.equal(res.status, 201, JSON.stringify(account));
  // A …3 account waits for the deposit's code: the sandbox's is 72.
  if (account.current_status === 'VERIFICATION_IN_PROGRESS') {
    account = await (await fetch(`${api}/${account.uuid}/authenticate`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID(), Origin: server.link },
      body: JSON.stringify({ otp: '72' }),
    })).json();
  }
  for (let i = 0; account.current_status === 'VERIFICATION_PENDING' && i < 20; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    account = await (await fetch(`${api}/${account.uuid}/refresh`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: server.link },
      body: '{}',
    })).json();
  }
  assert.equal(account.current_status, 'CONNECTED', JSON.stringify(account));
  payers.set(number, payer);
  return payer;
}

/** A checkout link; with `account`, for a payer who has that account. */
async function checkoutLink(theme, lang, { account } = {}) {
  return createCheckout(account ? await payerWith(account) : await person(), theme, lang);
}

/** Screenshot, axe and the no-sideways-scroll check of one state. */
async function shot(page, screen, combo) {
  await page.evaluate(() => document.fonts?.ready);
  const wide = await page.evaluate(() => document.documentElement.scrollWidth > innerWidth);
  assert.equal(wide, false, `${screen} ${JSON.stringify(combo)} scrolls sideways`);
  await axe(page, `design ${screen} ${combo.theme} ${combo.lang} ${combo.width}`);
  const file = join(OUT, `${screen}-${combo.theme}-${combo.lang}-${combo.width}.png`);
  await page.screenshot({ path: file, fullPage: true });
  if (!shots.has(screen)) shots.set(screen, []);
  shots.get(screen).push({ ...combo, file });
}

const h1 = (page, name) => page.getByRole('heading', { level: 1, name }).waitFor();

/** Intro → picker → form (empty, then filled) → the account's outcome. */
async function connectWalk(page, combo, { number, end }) {
  const w = WORDS[combo.lang];
  await page.goto(await connectLink(combo.theme, combo.lang));
  await page.getByRole('link', { name: w.cont, exact: true }).waitFor();
  if (end === 'connected') await shot(page, 'connect-1-intro', combo);
  await page.getByRole('link', { name: w.cont, exact: true }).click();
  await page.getByRole('combobox').waitFor();
  if (end === 'connected') await shot(page, 'connect-2-picker', combo);
  await page.getByRole('combobox').fill('bogota');
  await page.keyboard.press('Enter');
  await h1(page, w.details);
  if (end === 'connected') {
    await page.getByRole('button', { name: w.submit }).click();
    await page.locator('[aria-invalid="true"]').first().waitFor();
    await shot(page, 'connect-3-form-missing', combo);
  }
  await page.locator('.subtypes input').first().check();
  await page.locator('#account-number').fill(number);
  await page.locator('#account-confirm').fill(number);
  await page.locator('#authorization').check();
  if (end === 'connected') await shot(page, 'connect-4-form', combo);
  await page.getByRole('button', { name: w.submit }).click();
  if (end === 'rejected') await h1(page, oneOf('RejectedTitle'));
  else if (end === 'pending') await h1(page, /Approve the request in|Aprueba la solicitud en/);
  else if (end === 'code') await h1(page, /Confirm the small deposit|Confirma el pequeño depósito/);
  else await page.locator('.icon-badge').waitFor();
  await shot(page, `connect-5-${end}`, combo);
}

async function walk(combo) {
  const page = await watchedPage(browser, { width: combo.width, height: 800, reducedMotion: 'reduce', locale: combo.lang.replace('_', '-') });
  await page.route('https://merchant.example/**', (r) => r.fulfill({ contentType: 'text/html', body: '<h1>Merchant</h1>' }));
  // By the number's last digit: …4 connected, …2 the live wait for the
  // bank's approval, …3 the small deposit's code, …5 not found.
  await connectWalk(page, combo, { number: '003265674', end: 'connected' });
  await connectWalk(page, combo, { number: '555551112', end: 'pending' });
  await connectWalk(page, combo, { number: '555551113', end: 'code' });
  await connectWalk(page, combo, { number: '234560005', end: 'rejected' });
  await page.goto(await connectLink(combo.theme, combo.lang, { expiration_date: '2021-11-16T23:23:38' }));
  await page.locator('.icon-badge').waitFor();
  await shot(page, 'end-expired', combo);
  await page.goto(`${server.link}/connect/secure?sl=no-such-link`);
  await page.locator('.icon-badge').waitFor();
  await shot(page, 'end-not-found', combo);
  // The service down: the page must read its link itself (not carry the
  // one link-server rendered into it) for the read to fail.
  const down = await watchedPage(browser, { width: combo.width, height: 800, reducedMotion: 'reduce', locale: combo.lang.replace('_', '-'), allowErrors: true });
  await readLinkFromApi(down);
  await down.route('**/api/v1/connect-links/**', (r) => r.fulfill({ status: 503, body: 'down' }));
  await down.goto(await connectLink(combo.theme, combo.lang));
  await down.locator('.icon-badge').waitFor();
  await shot(down, 'end-service-error', combo);
  await down.close();

  const w = WORDS[combo.lang];
  // Checkout: the choice, paid, then the same link reopened.
  const paidUrl = await checkoutLink(combo.theme, combo.lang, { account: '4003260544' });
  await page.goto(paidUrl);
  await page.getByRole('button', { name: w.pay }).waitFor();
  await shot(page, 'checkout-1-choice', combo);
  await page.locator('#debit-authorization').check();
  await page.getByRole('button', { name: w.pay }).click();
  await page.locator('.icon-badge').waitFor();
  await shot(page, 'checkout-4-paid', combo);
  await page.goto(paidUrl);
  await page.locator('.icon-badge').waitFor();
  await shot(page, 'checkout-7-already-paid', combo);
  // A first-time payer starts at the picker.
  await page.goto(await checkoutLink(combo.theme, combo.lang));
  await page.getByRole('combobox').waitFor();
  await shot(page, 'checkout-2-new-account', combo);
  // By the paying account's last digits: not made (…16, over the
  // account's limit) and in process (…2, PENDING).
  for (const [account, screen] of [['4003260516', 'checkout-3-declined'], ['4003260512', 'checkout-5-pending']]) {
    await page.goto(await checkoutLink(combo.theme, combo.lang, { account }));
    await page.locator('#debit-authorization').check();
    await page.getByRole('button', { name: w.pay }).click();
    await page.locator('.icon-badge').waitFor();
    await shot(page, screen, combo);
  }
  await page.close();
}

// `scripts/design words` (issue 29): every message read in place. Walks
// every outcome the sandbox gives (each account digit, each payment row)
// and the states around them, at 360 px in both languages, and writes
// target/wording/: a screenshot per state, and coverage.json, which names
// the catalog's messages each screen shows or says (text, alt, labels) and
// those no screen showed. A reader then reads each message on its screens.
const WORDING = join(ROOT, 'target', 'wording');
const PAYMENT_ROWS = ['13', '23', '33', '43', '53', '63', '03', '16', '26', '36', '46', '56', '66', '76', '86', '96', '11', '12', '17', '18', '19', '10'];

async function wording() {
  rmSync(WORDING, { recursive: true, force: true });
  mkdirSync(WORDING, { recursive: true });
  const screens = [];
  const record = async (page, screen, lang) => {
    await page.evaluate(() => document.fonts?.ready);
    const said = await page.evaluate(() => {
      const parts = [document.title, document.body.innerText];
      for (const el of document.querySelectorAll('[alt], [aria-label], [title], [placeholder]')) {
        for (const a of ['alt', 'aria-label', 'title', 'placeholder']) parts.push(el.getAttribute(a) ?? '');
      }
      return parts.join('\n');
    });
    const file = `${screen}-${lang}.png`;
    await page.screenshot({ path: join(WORDING, file), fullPage: true });
    screens.push({ screen, lang, file, messages: messagesIn(said, lang) });
  };
  for (const lang of LANGS) {
    const open = async (options = {}) => {
      const page = await watchedPage(browser, { width: 360, height: 800, reducedMotion: 'reduce', locale: lang.replace('_', '-'), ...options });
      await page.route('https://merchant.example/**', (r) => r.fulfill({ contentType: 'text/html', body: '<h1>Merchant</h1>' }));
      return page;
    };
    const w = WORDS[lang];
    const page = await open();
    // A wallet's form and button name the wallet (Msg::for_kind).
    const toForm = async (bank, details = w.details) => {
      await page.goto(await connectLink('default', lang));
      await page.getByRole('link', { name: w.cont, exact: true }).click();
      await page.getByRole('combobox').fill(bank);
      await page.keyboard.press('Enter');
      await h1(page, details);
    };
    const fill = async (number, confirm = number) => {
      await page.locator('#account-number').fill(number);
      await page.locator('#account-confirm').fill(confirm);
    };
    const send = async (submit = w.submit) => {
      await page.getByRole('button', { name: submit }).click();
      await page.waitForFunction(() => !document.querySelector('#account-number'));
      await page.locator('h1').first().waitFor();
    };

    // Connect: the intro, the picker, a search that finds nothing.
    await page.goto(await connectLink('default', lang));
    await record(page, 'connect-intro', lang);
    await page.getByRole('link', { name: w.cont, exact: true }).click();
    await page.getByRole('combobox').waitFor();
    await record(page, 'connect-picker', lang);
    await page.getByRole('combobox').fill('zzzq');
    await record(page, 'connect-picker-no-match', lang);
    // The form: sent empty, then numbers too short and not the same.
    await toForm('bogota');
    await page.getByRole('button', { name: w.submit }).click();
    await page.locator('[aria-invalid="true"]').first().waitFor();
    await record(page, 'connect-form-empty', lang);
    await page.locator('.subtypes input').first().check();
    await fill('12345', '12399');
    await page.locator('#authorization').check();
    await record(page, 'connect-form-wrong', lang);
    // Every account digit of the sandbox's connection table.
    for (const d of ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0']) {
      await toForm('bogota');
      await page.locator('.subtypes input').first().check();
      await fill(`23456000${d}`);
      await page.locator('#authorization').check();
      await send();
      await record(page, `connect-digit-${d}`, lang);
      if (d === '3') {
        // The deposit code wrong, wrong again (the last try), then a third time.
        for (const n of [1, 2, 3]) {
          await page.getByLabel(t('OtpLabel', lang)).fill('11');
          await page.getByRole('button', { name: t('OtpSubmit', lang) }).click();
          if (n < 3) await page.getByRole('alert').filter({ hasText: n === 1 ? t('OtpWrong', lang, { left: 2 }) : t('OtpWrongLast', lang) }).waitFor();
          else await h1(page, t('RejectedTitle', lang));
          await record(page, `connect-code-wrong-${n}`, lang);
        }
      }
    }
    // A wallet: a number that is not a mobile one, then connected.
    await toForm('nequi', w.walletDetails);
    await fill('4001234567');
    await page.locator('#authorization').check();
    await page.getByRole('button', { name: w.submitWallet }).click();
    await page.getByText(t('ErrMobile', lang)).first().waitFor();
    await record(page, 'connect-wallet-error', lang);
    await fill('3001234564');
    await send(w.submitWallet);
    await record(page, 'connect-wallet-connected', lang);
    // A wallet whose details were received (…1): received as a wallet.
    await toForm('nequi', w.walletDetails);
    await fill('3001234561');
    await page.locator('#authorization').check();
    await send(w.submitWallet);
    await record(page, 'connect-wallet-received', lang);
    // Bancolombia's numbers have 11 digits.
    await toForm('bancolombia');
    await fill('1234567890');
    await page.locator('#account-number').blur();
    await record(page, 'connect-bancolombia-length', lang);
    // Offline while sending.
    await toForm('bogota');
    await page.locator('.subtypes input').first().check();
    await fill('234560004');
    await page.locator('#authorization').check();
    await page.context().setOffline(true);
    await page.getByRole('button', { name: w.submit }).click();
    await page.getByRole('alert').filter({ hasText: t('SubmitOffline', lang) }).waitFor();
    await record(page, 'connect-offline', lang);
    await page.context().setOffline(false);
    // The ends: expired, not found, used, the service down.
    await page.goto(await connectLink('default', lang, { expiration_date: '2021-11-16T23:23:38' }));
    await page.locator('.icon-badge').waitFor();
    await record(page, 'end-expired', lang);
    await page.goto(`${server.link}/connect/secure?sl=no-such-link&lang=${lang}`);
    await page.locator('.icon-badge').waitFor();
    await record(page, 'end-not-found', lang);
    const used = await connectLink('default', lang);
    await page.goto(used);
    await page.getByRole('link', { name: w.cont, exact: true }).click();
    await page.getByRole('combobox').fill('bogota');
    await page.keyboard.press('Enter');
    await page.locator('.subtypes input').first().check();
    await fill('234560004');
    await page.locator('#authorization').check();
    await send();
    await page.goto(used);
    await page.locator('.icon-badge').waitFor();
    await record(page, 'end-used', lang);
    const down = await open({ allowErrors: true });
    await readLinkFromApi(down);
    await down.route('**/api/v1/connect-links/**', (r) => r.fulfill({ status: 503, body: 'down' }));
    await down.goto(await connectLink('default', lang));
    await down.locator('.icon-badge').waitFor();
    await record(down, 'end-service-error', lang);
    await down.close();

    // Checkout: a first-time payer, the choice, Pay pressed too soon, paid, reopened.
    await page.goto(await checkoutLink('default', lang));
    await page.getByRole('combobox').waitFor();
    await record(page, 'checkout-new-payer', lang);
    const paid = await checkoutLink('default', lang, { account: '4003260544' });
    await page.goto(paid);
    await page.getByRole('button', { name: w.pay }).waitFor();
    await record(page, 'checkout-choice', lang);
    await page.getByRole('button', { name: w.pay }).click();
    await page.getByRole('alert').filter({ hasText: t('ErrAuthorizeDebit', lang) }).waitFor();
    await record(page, 'checkout-pay-unauthorized', lang);
    await page.locator('#debit-authorization').check();
    await page.getByRole('button', { name: w.pay }).click();
    await page.locator('.icon-badge').waitFor();
    await record(page, 'checkout-paid', lang);
    await page.goto(paid);
    await page.locator('.icon-badge').waitFor();
    await record(page, 'checkout-already-paid', lang);
    // Every row of the sandbox's transaction table the pages can reach
    // (…5 accounts are not found, so a …x5 payment has no payer).
    for (const row of PAYMENT_ROWS) {
      await page.goto(await checkoutLink('default', lang, { account: `40032600${row}` }));
      await page.locator('#debit-authorization').check();
      await page.getByRole('button', { name: w.pay }).click();
      await page.locator('.icon-badge').waitFor();
      await record(page, `checkout-payment-${row}`, lang);
      if (row === '16') {
        await page.getByRole('link', { name: t('PayWithAnother', lang) }).click();
        await h1(page, t('ChoosePaymentTitle', lang));
        await record(page, 'checkout-after-decline', lang);
      }
    }
    await page.close();
    // A desktop: "Continue on your phone", opened.
    const wide = await open({ width: 1280 });
    await wide.goto(await checkoutLink('default', lang, { account: '4003260544' }));
    await wide.getByRole('button', { name: w.pay }).waitFor();
    await wide.getByText(t('HandoffTitle', lang)).first().click();
    await wide.getByRole('img', { name: t('HandoffQrAlt', lang) }).waitFor();
    await record(wide, 'checkout-desktop-handoff', lang);
    await wide.close();
    // The studio, in its own language: the states no walk above reaches
    // (a link used or paid elsewhere), then a designer's mistakes.
    const studio = await open({ width: 1280 });
    for (const [kind, state] of [['connect', 'used'], ['checkout', 'used'], ['checkout', 'form-errors']]) {
      await studio.goto(`${server.link}/preview?lang=${lang}&kind=${kind}&state=${state}`);
      await studio.getByRole('heading', { level: 1 }).first().waitFor();
      await record(studio, `studio-${kind}-${state}`, lang);
    }
    await studio.goto(`${server.link}/preview?lang=${lang}&kind=connect&state=intro`);
    await studio.getByRole('heading', { level: 1 }).first().waitFor();
    await studio.locator('#color-button_color').fill('#4da3ff');
    await studio.locator('.contrast-box').getByRole('button').first().waitFor();
    await studio.locator('#color-button_text_color').fill('#1b2a4a');
    await studio.locator('#color-content_background_color').fill('#zz');
    await studio.locator('#color-content_background_color').blur();
    await record(studio, 'studio-colors', lang);
    const box = studio.locator('#studio-import');
    const said = studio.locator('#studio-import-said');
    for (const [name, body] of [
      ['not-json', '{\n  nope'], ['not-object', '[1]'], ['unknown', '{\n  "buton_color": "#ffffff"\n}'],
      // Each kind of value a field takes, named when it is wrong.
      ['wrong-type', '{\n  "button_color": 5\n}'], ['wrong-language', '{\n  "default_language": "fr"\n}'],
      ['wrong-intro', '{\n  "intro_text": 5\n}'], ['wrong-transaction', '{\n  "link_name": "A",\n  "transaction": 5\n}'],
      ['wrong-amount', '{\n  "link_name": "A",\n  "transaction": { "amount": "20000" }\n}'],
      // Applied with and without a language (then it says why English).
      ['applied', '{\n  "button_color": "#0b5cad"\n}'], ['applied-language', `{\n  "default_language": "${lang}"\n}`],
    ]) {
      await box.fill(body);
      await studio.getByRole('button', { name: t('StudioImportApply', lang) }).click();
      await said.filter({ hasText: /\S/ }).waitFor();
      await studio.waitForTimeout(200);
      await record(studio, `studio-import-${name}`, lang);
    }
    await studio.close();
    // The card a messaging app shows: link-server's page for its crawler
    // (a request without a browser's fetch metadata, as crawlers send).
    const card = await new Promise((resolve, reject) => {
      const req = httpGet(paid, { headers: { 'User-Agent': 'facebookexternalhit/1.1', 'Accept-Language': lang.replace('_', '-') } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => { body += c; });
        res.on('end', () => resolve(body));
      });
      req.on('error', reject);
    });
    const plain = card.replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    screens.push({ screen: 'preview-card', lang, file: null, messages: messagesIn(plain, lang) });
  }
  const unseen = Object.fromEntries(LANGS.map((lang) => {
    const seenHere = new Set(screens.filter((s) => s.lang === lang).flatMap((s) => s.messages));
    return [lang, MESSAGE_NAMES.filter((m) => !seenHere.has(m))];
  }));
  writeFileSync(join(WORDING, 'coverage.json'), JSON.stringify({ screens, unseen }, null, 1));
  for (const lang of LANGS) console.log(`wording ${lang}: ${MESSAGE_NAMES.length - unseen[lang].length} of ${MESSAGE_NAMES.length} messages on ${screens.filter((s) => s.lang === lang).length} screens; not seen: ${unseen[lang].join(', ')}`);
}

// DESIGN_ONLY=theme,lang,width walks one combination (while working on a screen).
const only = process.env.DESIGN_ONLY?.split(',');
async function gallery() {
for (const theme of Object.keys(THEMES)) {
  for (const lang of LANGS) {
    for (const width of WIDTHS) {
      if (only && (only[0] !== theme || only[1] !== lang || Number(only[2]) !== width)) continue;
      await walk({ theme, lang, width });
    }
  }
}

// One sheet per screen: the phones in a row, then the desktops two by two,
// each captioned; JPEG keeps the repository light.
const docs = only ? join(OUT, 'sheets') : DOCS;
rmSync(docs, { recursive: true, force: true });
mkdirSync(docs, { recursive: true });
const sheet = await (await browser.newContext({ viewport: { width: 1800, height: 800 } })).newPage();
for (const [screen, list] of shots) {
  const cell = (s) => `<figure class="w${s.width}"><img src="data:image/png;base64,${readFileSync(s.file).toString('base64')}"><figcaption>${s.theme} · ${s.lang} · ${s.width} px</figcaption></figure>`;
  const phones = list.filter((s) => s.width === 360).map(cell).join('');
  const desktops = list.filter((s) => s.width === 1280).map(cell).join('');
  await sheet.setContent(`<style>
    body { margin: 0; padding: 16px; font: 14px system-ui; background: #fff; width: max-content; }
    h1 { font-size: 18px; margin: 0 0 12px; }
    .row { display: flex; gap: 12px; align-items: flex-start; margin-bottom: 16px; flex-wrap: wrap; max-width: 1776px; }
    figure { margin: 0; } figcaption { color: #333; margin-top: 4px; }
    img { display: block; border: 1px solid #ccc; }
    .w360 img { width: 284px; } .w1280 img { width: 580px; }
  </style><h1>${screen}</h1><div class="row">${phones}</div><div class="row">${desktops}</div>`);
  await sheet.waitForFunction(() => [...document.images].every((i) => i.complete));
  await sheet.screenshot({ path: join(docs, `${screen}.jpg`), type: 'jpeg', quality: 70, fullPage: true });
}
console.log(`design: ${[...shots.values()].flat().length} states, ${shots.size} sheets in ${docs}`);
}

try {
  if (process.argv[2] === 'words') await wording();
  else await gallery();
} finally {
  await browser.close();
  await server.stop();
}
