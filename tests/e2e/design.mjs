// The design gallery (issue 15, docs/design.md): every screen of the link
// pages at 360 px and 1280 px, in both languages, with the default theme
// and two merchant themes, walked on link-server like a person would. Each
// state is checked with axe (zero serious/critical) and for sideways
// scrolling, then the shots are laid side by side into one sheet per screen
// under docs/design/. Run by `scripts/design` after `scripts/build`; not
// part of CI (the suites check the same states; this draws the pictures).

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, axe, launch, readLinkFromApi, startServer, watchedPage } from './harness.mjs';

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
const WORDS = {
  en_US: { cont: 'Continue', details: 'Enter your account details', submit: 'Connect account', pay: /^Pay /, another: 'Connect a new account' },
  es_CO: { cont: 'Continuar', details: 'Ingresa los datos de tu cuenta', submit: 'Conectar cuenta', pay: /^Pagar /, another: 'Conectar una cuenta nueva' },
};

const server = await startServer();
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
    intro_text: { en_US: 'NOVO uses DRUO to connect to your bank account.', es_CO: 'NOVO usa DRUO para conectarse con tu cuenta bancaria.' },
    ...THEMES[theme].connect, ...extra,
  });
  return json.connect_link.url;
}
async function createCheckout(payer, theme, lang) {
  const json = await merchant('/checkout/link/create', {
    existing_end_user_id: payer, default_language: lang, link_name: 'Checkout Link #1234556',
    link_description: 'Insurance policy renewal', primary_reference: 'INV12324',
    redirect_url: 'https://merchant.example/order', ...THEMES[theme].checkout,
    transaction: { tenant_id: TENANT, amount: 2000000, description: 'Insurance policy renewal - INV12324', statement_descriptor: 'NOVO BILLING* INV12324' },
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
  if (end === 'rejected') await h1(page, /couldn't connect|No pudimos conectar/);
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

// DESIGN_ONLY=theme,lang,width walks one combination (while working on a screen).
const only = process.env.DESIGN_ONLY?.split(',');
try {
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
} finally {
  await browser.close();
  await server.stop();
}
