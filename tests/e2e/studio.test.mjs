// The theme studio from a plain static file server, with no link-server:
// change a colour, see it in both frames, flag an invalid one, take the
// report's suggested shade in one click, walk every state of both link
// kinds in both languages, preview one language from a studio in the
// other, share the URL, copy the JSON; and the studio's own layout at
// 1280×800 and 360×740. Screenshots land in target/e2e-screenshots/.

import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startStaticServer, launch, watchedPage, checkOpenPages, axe, SHOTS } from './harness.mjs';
import { t, words } from './words.mjs';

let site;
let browser;
before(async () => {
  // The studio is its own build under dist/preview/ (scripts/build); any
  // static server of dist/ that falls back to its index.html serves it.
  site = await startStaticServer(undefined, 'preview/index.html');
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await site?.stop();
});
afterEach(checkOpenPages);

// Each kind's states, in menu order (core::studio::Kind::states).
const STATES = {
  connect: ['intro', 'picker', 'form', 'form-errors', 'pending', 'rejected', 'confirmation', 'used', 'expired', 'not-found', 'service-error'],
  checkout: ['intro', 'picker', 'form', 'form-errors', 'pending', 'rejected', 'declined', 'payment-pending', 'confirmation', 'used', 'expired', 'not-found', 'service-error'],
};
// The heading each checkout state shows, in English, and what the samples
// say: a connection that failed (UNABLE_TO_LOCATE_ACCOUNT) and a payment
// that failed (INSUFFICIENT_FUNDS).
const EN = 'en_US';
const CHECKOUT_HEADINGS = {
  intro: t('ChoosePaymentTitle', EN),
  pending: t('PendingTitle', EN, { bank: 'Banco de Bogotá' }),
  rejected: t('RejectedTitle', EN),
  declined: t('DeclinedTitle', EN),
  'payment-pending': t('PaymentPendingTitle', EN),
  confirmation: t('PaidTitle', EN),
  used: t('AlreadyPaidTitle', EN),
  expired: t('ExpiredTitle', EN),
};
const CHECKOUT_TEXTS = {
  rejected: t('EndedNotFound', EN, { bank: 'Banco de Bogotá', account: t('TheAccountEnding', EN, { last4: '5678' }) }),
  declined: t('DeclinedInsufficientFunds', EN),
};

async function openStudio(query, viewport = { width: 1700, height: 1100 }) {
  const page = await watchedPage(browser, viewport);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  page.requests = requests;
  await page.goto(`${site.url}/preview?${query}`);
  await page.getByRole('heading', { name: /Theme studio|Editor de diseño/ }).waitFor();
  return page;
}

const frameVar = (page, v) => page.locator('.preview-viewport').evaluateAll(
  (els, name) => els.map((e) => getComputedStyle(e).getPropertyValue(name).trim()), v);

test('a colour change shows in both frames; an invalid one is flagged and ignored', async () => {
  const page = await openStudio('kind=connect&state=intro');
  await page.locator('#color-button_color').fill('#0b5cad');
  await page.waitForFunction(() => location.search.includes('button_color=%230b5cad'));
  assert.deepEqual(await frameVar(page, '--button-bg'), ['#0b5cad', '#0b5cad']);
  const button = page.locator('.preview-viewport').first().getByRole('link', { name: 'Continue' });
  // Untouched colours show their default as a value, tagged "default".
  assert.equal(await page.inputValue('#color-button_text_color'), '#ffffff');
  const tags = await page.locator('.studio-color').filter({ has: page.locator('#color-button_text_color') }).locator('.studio-default-tag').count();
  assert.equal(tags, 1);
  assert.equal(await button.evaluate((b) => getComputedStyle(b).backgroundColor), 'rgb(11, 92, 173)');
  await page.shot('studio-colour-applied');
  await page.locator('#color-content_background_color').fill('#ffff');
  await page.locator('#color-content_background_color-error').filter({ hasText: 'default is used' }).waitFor();
  assert.deepEqual(await frameVar(page, '--box-bg'), ['#ffffff', '#ffffff']);
  await page.shot('studio-invalid-flagged');
  // Everything came from the static server: no API, no other origin.
  for (const u of page.requests) {
    assert.ok(u.startsWith(site.url) && !u.includes('/api/'), u);
  }
  await page.check();
});

for (const kind of ['connect', 'checkout']) {
  for (const lang of ['en_US', 'es_CO']) {
    test(`${kind} in ${lang}: every state renders in both frames`, async () => {
      const page = await openStudio(`kind=${kind}&lang=${lang}&button_color=%230b5cad&background_color=%230b3d2e`);
      const offered = await page.locator('#studio-state option').evaluateAll((os) => os.map((o) => o.value));
      assert.deepEqual(offered, STATES[kind]);
      for (const state of STATES[kind]) {
        await page.selectOption('#studio-state', state);
        await page.waitForFunction((s) => location.search.includes(`state=${s}`), state);
        const frames = page.locator('.preview-viewport');
        assert.equal(await frames.count(), 2);
        for (let i = 0; i < 2; i++) {
          const h1 = frames.nth(i).locator('h1');
          await h1.first().waitFor();
          const text = (await h1.first().textContent()).trim();
          assert.ok(text.length > 0, `${kind} ${state} frame ${i}`);
          if (kind === 'checkout' && lang === 'en_US' && CHECKOUT_HEADINGS[state]) {
            assert.equal(text, CHECKOUT_HEADINGS[state], `${state} frame ${i}`);
          }
          if (kind === 'checkout' && lang === 'en_US' && CHECKOUT_TEXTS[state]) {
            const body = (await frames.nth(i).locator('main').textContent()).replace(/\u00a0/g, ' ');
            assert.ok(body.includes(CHECKOUT_TEXTS[state]), `${state} frame ${i}: ${body}`);
          }
        }
        await page.shot(`studio-${kind}-${lang}-${state}`);
      }
      const html = await page.getAttribute('html', 'lang');
      assert.equal(html, lang === 'es_CO' ? 'es-CO' : 'en-US');
      await page.check();
    });
  }
}

test('the URL restores the exact preview, and the JSON matches the theme', async () => {
  const page = await openStudio('kind=checkout&state=form-errors&lang=es_CO');
  await page.locator('#color-sidebar_background_color').fill('#222222');
  await page.waitForFunction(() => location.search.includes('sidebar_background_color'));
  const shared = page.url();
  const again = await openStudio(new URL(shared).search.slice(1));
  assert.equal(await again.inputValue('#color-sidebar_background_color'), '#222222');
  assert.equal(await again.inputValue('#studio-state'), 'form-errors');
  assert.deepEqual(await frameVar(again, '--sidebar-bg'), ['#222222', '#222222']);
  // The phone frame (first) shows the collapsed summary, the desktop frame the sidebar.
  const open = await again.locator('details.summary-panel').evaluateAll((d) => d.map((x) => x.open));
  assert.deepEqual(open, [false, true]);
  const json = JSON.parse(await again.locator('#studio-json').textContent());
  assert.equal(json.sidebar_background_color, '#222222');
  assert.equal(json.default_language, 'es_CO');
  assert.equal(json.transaction.amount, 2000000);
  await again.getByRole('button', { name: 'Copiar JSON' }).click();
  await again.getByRole('button', { name: 'Copiado' }).waitFor();
  await again.shot('studio-shared-url');
});

test('the preview language is separate from the studio language', async () => {
  // A Spanish-speaking designer previews the English page.
  const page = await openStudio('kind=connect&state=intro&lang=es_CO&plang=en_US');
  assert.equal(await page.getAttribute('html', 'lang'), 'es-CO');
  assert.equal(await page.inputValue('#studio-plang'), 'en_US');
  const headings = () => page.locator('.preview-viewport h1').allTextContents();
  assert.deepEqual(await headings(), ['Connect your bank account or wallet', 'Connect your bank account or wallet']);
  assert.deepEqual(await page.locator('.preview-viewport').evaluateAll((v) => v.map((e) => e.lang)), ['en-US', 'en-US']);
  await page.locator('.studio-panel').getByText('Idioma de la vista previa').waitFor();
  // The preview switches; the studio stays in Spanish.
  await page.selectOption('#studio-plang', 'es_CO');
  await page.waitForFunction(() => location.search.includes('plang=es_CO'));
  await page.locator('.preview-viewport h1').first().filter({ hasText: 'Conecta tu cuenta bancaria' }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'es-CO');
  // The studio's own switch changes the studio only.
  await page.locator('.studio-header .lang-switch').getByRole('link', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Theme studio' }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'en-US');
  assert.deepEqual(await headings(), ['Conecta tu cuenta bancaria o billetera', 'Conecta tu cuenta bancaria o billetera']);
  // A frame's own switch changes the preview, not the studio.
  await page.locator('.preview-viewport').first().locator('.lang-switch').getByRole('link', { name: 'English' }).click();
  await page.waitForFunction(() => location.search.includes('plang=en_US'));
  await page.locator('.preview-viewport h1').first().filter({ hasText: 'Connect your bank account' }).waitFor();
  await page.getByRole('heading', { name: 'Theme studio' }).waitFor();
  const json = JSON.parse(await page.locator('#studio-json').textContent());
  assert.equal(json.default_language, 'en_US');
  await page.check();
});

test('a failing brand colour gets a shade of itself, taken in one click; messages name colours, never variables', async () => {
  const page = await openStudio('kind=connect&state=intro&lang=en_US');
  await page.locator('#color-button_color').fill('#4da3ff');
  await page.waitForFunction(() => location.search.includes('button_color=%234da3ff'));
  const report = page.locator('.contrast-box');
  const use = report.getByRole('button', { name: /^Use #[0-9a-f]{6}$/ });
  await use.waitFor();
  const text = await report.textContent();
  assert.ok(text.includes('Button on card background'), text);
  assert.ok(/Too light on “Card background”: the page will use #[0-9a-f]{6}, a darker shade of your color/.test(text), text);
  assert.ok(!text.includes('--'), `no CSS variable names: ${text}`);
  const shade = (await use.textContent()).trim().slice('Use '.length);
  // The live page already uses the shade; the button writes it into the field.
  assert.deepEqual(await frameVar(page, '--button-bg'), [shade, shade]);
  assert.deepEqual(await frameVar(page, '--accent'), [shade, shade]);
  await page.shot('studio-fix-suggested');
  await use.click();
  await page.waitForFunction((c) => location.search.includes(`button_color=%23${c.slice(1)}`), shade);
  assert.equal(await page.inputValue('#color-button_color'), shade);
  assert.equal(await report.getByRole('button', { name: /^Use / }).count(), 0);
  // Reset (to the default): the default again, as a value, and out of the JSON.
  await page.locator('.studio-color').filter({ has: page.locator('#color-button_color') }).getByRole('button', { name: 'Reset', exact: true }).click();
  await page.waitForFunction(() => !location.search.includes('button_color='));
  assert.equal(await page.inputValue('#color-button_color'), '#1b2a4a');
  const json = JSON.parse(await page.locator('#studio-json').textContent());
  assert.equal(json.button_color, undefined);
  // Text on its own background: black or white, said in words.
  await page.locator('#color-button_text_color').fill('#1b2a4a');
  await report.getByText('The page shows this text in white so it stays readable.').waitFor();
  await page.check();
});

/** The page never scrolls sideways, and the contrast table never wraps a ratio. */
async function layoutHolds(page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
  }));
  assert.ok(scrollWidth <= innerWidth, `page scrolls sideways: ${scrollWidth} > ${innerWidth}`);
  const wrapped = await page.locator('.contrast td.nowrap, .contrast th').evaluateAll((cells) => cells.filter((c) => {
    const r = document.createRange();
    r.selectNodeContents(c);
    const lines = new Set([...r.getClientRects()].map((x) => Math.round(x.top)));
    return lines.size > 1 || getComputedStyle(c).overflowWrap === 'anywhere';
  }).map((c) => c.textContent));
  assert.deepEqual(wrapped, []);
}

test('at 1280×800 the phone frame is in view and the report never wraps a ratio', async () => {
  const page = await openStudio('kind=checkout&state=intro&lang=es_CO&button_color=%23ffd21f&main_content_box_text_color=%23999999', { width: 1280, height: 800 });
  await page.locator('.contrast-box').getByRole('button', { name: /^Usar #/ }).waitFor();
  await layoutHolds(page);
  const phone = await page.locator('.preview-frame.phone').boundingBox();
  assert.ok(phone.x >= 0 && phone.x + phone.width <= 1280, JSON.stringify(phone));
  const desktop = await page.locator('.preview-frame.desktop').boundingBox();
  assert.ok(desktop.x + desktop.width <= 1280, JSON.stringify(desktop));
  await page.screenshot({ path: join(SHOTS, 'studio-1280.png') });
  await page.shot('studio-1280-full');
  await axe(page, 'studio 1280');
  await page.check();
});

test('at 360×740 the studio stacks and never scrolls sideways', async () => {
  const page = await openStudio('kind=connect&state=form&lang=en_US&button_color=%234da3ff', { width: 360, height: 740 });
  await layoutHolds(page);
  const panel = await page.locator('.studio-panel').boundingBox();
  const phone = await page.locator('.preview-frame.phone').boundingBox();
  assert.ok(panel.y + panel.height <= phone.y, 'panel above the frames');
  assert.ok(phone.x >= 0 && phone.x + phone.width <= 360, JSON.stringify(phone));
  await page.selectOption('#studio-state', 'confirmation');
  await page.waitForFunction(() => location.search.includes('state=confirmation'));
  await layoutHolds(page);
  await page.screenshot({ path: join(SHOTS, 'studio-360.png') });
  await page.shot('studio-360-full');
  await page.check();
});

// Issue 27: the studio reads a create request. A checkout body with the
// seeds' fields (end user, tenant, receipt flag) is taken whole: kind,
// colours, language, texts and amount; what "Copy JSON" then gives comes
// back unchanged through the box; a dropped file is read like a paste; and
// a body with a misspelt field names its line and field and changes
// nothing. In both studio languages, at 360 px and 1280 px.
const IMPORT = words({
  applied: 'StudioImportApplied',
  unknown: ['StudioImportUnknown', { line: 3, field: 'buton_color' }],
  notJson: ['StudioImportNotJson', { line: 2 }],
  apply: 'StudioImportApply',
});
const REQUEST = {
  existing_end_user_id: 'eur_868d99a5-6578-40cf-8aec-e7a48085fa37',
  link_name: 'Pedido 77',
  link_description: 'Renovación de póliza',
  button_color: '#0a7d55',
  sidebar_background_color: '#112233',
  default_language: 'es_CO',
  redirect_url: 'https://example.com/done',
  transaction: {
    tenant_id: '22637d15-5b37-4fb2-90e5-aa8751970469', amount: 4990000,
    description: 'Póliza 77', statement_descriptor: 'NOVO*77', auto_send_receipt: false,
  },
};

for (const [lang, width] of [['en_US', 360], ['es_CO', 1280], ['es_CO', 360], ['en_US', 1280]]) {
  const t = IMPORT[lang];
  test(`${lang} ${width}: a pasted create request is applied and round-trips with Copy JSON; a bad one changes nothing`, async () => {
    const page = await openStudio(`kind=connect&state=intro&lang=${lang}`, { width, height: 800 });
    const box = page.locator('#studio-import');
    const said = page.locator('#studio-import-said');
    const json = async () => JSON.parse(await page.locator('#studio-json').textContent());
    await box.fill(JSON.stringify(REQUEST, null, 2));
    await page.getByRole('button', { name: t.apply }).click();
    await said.filter({ hasText: t.applied }).waitFor();
    await page.waitForFunction(() => location.search.includes('kind=checkout'));
    const applied = await json();
    assert.equal(applied.button_color, '#0a7d55');
    assert.equal(applied.sidebar_background_color, '#112233');
    assert.equal(applied.default_language, 'es_CO');
    assert.equal(applied.link_name, 'Pedido 77');
    assert.deepEqual(applied.transaction, { amount: 4990000, description: 'Póliza 77', statement_descriptor: 'NOVO*77' });
    assert.deepEqual(await frameVar(page, '--sidebar-bg'), ['#112233', '#112233']);
    // Both frames show the request's link name (the phone frame's summary is folded).
    await page.waitForFunction(() => [...document.querySelectorAll('.preview-viewport')]
      .every((v) => v.textContent.includes('Pedido 77')));
    await layoutHolds(page);
    await page.shot(`studio-import-${lang}-${width}`);
    await axe(page, `studio import ${lang} ${width}`);

    // A misspelt field: its line and name, and nothing changes.
    const before = page.url();
    await box.fill('{\n  "link_name": "Otro",\n  "buton_color": "#ffffff"\n}');
    await page.getByRole('button', { name: t.apply }).click();
    await said.filter({ hasText: t.unknown }).waitFor();
    assert.equal(await box.getAttribute('aria-invalid'), 'true');
    assert.equal(page.url(), before);
    assert.deepEqual(await json(), applied);
    await page.shot(`studio-import-refused-${lang}-${width}`);
    await axe(page, `studio import refused ${lang} ${width}`);
    await box.fill('{\n  "link_name": "Otro",,\n}');
    await page.getByRole('button', { name: t.apply }).click();
    await said.filter({ hasText: t.notJson }).waitFor();
    assert.deepEqual(await json(), applied);

    // What Copy JSON gives, dropped as a file into a studio showing the
    // other kind, comes back as the same request.
    const copied = await page.locator('#studio-json').textContent();
    await page.locator('input[name=kind][value=connect]').check();
    await page.waitForFunction(() => location.search.includes('kind=connect'));
    await box.fill('');
    await box.evaluate((el, text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'request.json', { type: 'application/json' }));
      el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, copied);
    await said.filter({ hasText: t.applied }).waitFor();
    await page.waitForFunction(() => location.search.includes('kind=checkout'));
    assert.deepEqual(await json(), applied);
    assert.equal(await box.inputValue(), copied, 'the dropped file shows in the box');
    await page.check();
  });
}
