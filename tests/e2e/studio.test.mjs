// The theme studio from a plain static file server, with no link-server:
// change a colour, see it in both frames, flag an invalid one, walk every
// state of both link kinds in both languages, share the URL, copy the JSON.
// Screenshots land in target/e2e-screenshots/.

import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startStaticServer, launch, watchedPage, checkOpenPages } from './harness.mjs';

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

const STATES = ['intro', 'picker', 'form', 'form-errors', 'pending', 'rejected', 'confirmation', 'expired', 'not-found', 'service-error'];

async function openStudio(query) {
  const page = await watchedPage(browser, { width: 1700, height: 1100 });
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  page.requests = requests;
  await page.goto(`${site.url}/preview?${query}`);
  await page.getByRole('heading', { name: /Theme studio|Estudio de temas/ }).waitFor();
  return page;
}

const frameVar = (page, v) => page.locator('.preview-viewport').evaluateAll(
  (els, name) => els.map((e) => getComputedStyle(e).getPropertyValue(name).trim()), v);

test('a colour change shows in both frames; an invalid one is flagged and ignored', async () => {
  const page = await openStudio('kind=connect&state=intro');
  await page.locator('#color-button_color').fill('#0b5cad');
  await page.waitForFunction(() => location.search.includes('button_color=%230b5cad'));
  assert.deepEqual(await frameVar(page, '--button-bg'), ['#0b5cad', '#0b5cad']);
  const button = page.locator('.preview-viewport').first().getByRole('button', { name: 'Continue' });
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
      for (const state of STATES) {
        await page.selectOption('#studio-state', state);
        await page.waitForFunction((s) => location.search.includes(`state=${s}`), state);
        const frames = page.locator('.preview-viewport');
        assert.equal(await frames.count(), 2);
        for (let i = 0; i < 2; i++) {
          const h1 = frames.nth(i).locator('h1');
          await h1.first().waitFor();
          assert.ok((await h1.first().textContent()).trim().length > 0, `${kind} ${state} frame ${i}`);
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
  // The phone frame shows the collapsed summary, the desktop frame the sidebar.
  const open = await again.locator('details.summary-panel').evaluateAll((d) => d.map((x) => x.open));
  assert.deepEqual(open, [true, false]);
  const json = JSON.parse(await again.locator('#studio-json').textContent());
  assert.equal(json.sidebar_background_color, '#222222');
  assert.equal(json.default_language, 'es_CO');
  assert.equal(json.transaction.amount, 20000);
  await again.getByRole('button', { name: 'Copiar JSON' }).click();
  await again.getByRole('button', { name: 'Copiado' }).waitFor();
  await again.shot('studio-shared-url');
});
