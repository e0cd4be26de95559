// orgs.mjs: browser tests for organisations: an admin adds, changes and merges them, on a
// 320 px wide screen as well, and chooses one on "Your account" by typing its name.
//
// Registered by run.mjs, which owns the server, the browser and the checks every page gets
// (axe-core and tidy, through visit() and submit()).

import assert from 'node:assert/strict';

const flash = (page, text) => page.locator('.nhsuk-notification-banner--success', { hasText: text }).waitFor();

// Fails when the page is wider than the window: on a phone that means scrolling sideways.
async function fitsWidth(page) {
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(scroll <= client, `${page.url()} is ${scroll} px wide in a ${client} px window`);
}

export function registerOrgTests({ test, visit, submit, logIn, logOut, admin }) {
  test('Organisations: an admin adds, changes and merges them, also on a 320 px screen', async (page) => {
    await logIn(page, admin);
    await submit(page, page.locator('header').getByRole('link', { name: 'Administration' }));
    await submit(page, page.locator('main').getByRole('link', { name: 'Organisations' }));
    assert.equal(new URL(page.url()).pathname, '/admin/organisations');

    // Added twice over: the second time the name is taken, and what was typed stays.
    for (const [name, ods] of [['Browser Test Hospitals NHS Trust', 'rbt1'], ['Browser Test Hospitals', 'RBT2']]) {
      await submit(page, page.getByRole('button', { name: 'Add an organisation' }));
      await page.fill('#name', name);
      await page.fill('#ods_code', ods);
      await page.selectOption('#region', 'north-west');
      await submit(page, page.getByRole('button', { name: 'Add the organisation' }));
      await flash(page, 'The organisation has been saved');
    }
    await visit(page, '/admin/organisations/new');
    await page.fill('#name', 'browser test hospitals');
    await page.fill('#ods_code', 'RBT9');
    await submit(page, page.getByRole('button', { name: 'Add the organisation' }), 400);
    assert.equal(await page.locator('.nhsuk-error-summary a[href="#name"]').count(), 1);
    assert.equal(await page.inputValue('#name'), 'browser test hospitals');
    assert.equal(await page.inputValue('#ods_code'), 'RBT9');

    // Renamed.
    await page.setViewportSize({ width: 320, height: 720 });
    await visit(page, '/admin/organisations?q=browser');
    await fitsWidth(page);
    await submit(page, page.getByRole('link', { name: 'Change Browser Test Hospitals NHS Trust' }));
    await fitsWidth(page);
    await page.fill('#name', 'Browser Test Hospitals NHS Trust (old)');
    await submit(page, page.getByRole('button', { name: 'Save the changes' }));
    await flash(page, 'The organisation has been saved');

    // Merged: chosen, shown, confirmed.
    await submit(page, page.getByRole('link', { name: 'Merge Browser Test Hospitals NHS Trust (old) into another organisation' }));
    await fitsWidth(page);
    await page.selectOption('#into', { label: 'Browser Test Hospitals (RBT2)' });
    await submit(page, page.getByRole('button', { name: 'Continue' }));
    await fitsWidth(page);
    assert.match(await page.locator('.nhsuk-warning-callout').innerText(), /Browser Test Hospitals NHS Trust \(old\) is removed\./);
    await submit(page, page.getByRole('button', { name: 'Merge the organisations' }));
    await flash(page, 'The organisations have been merged');
    await page.setViewportSize({ width: 1280, height: 720 });
    await visit(page, '/admin/organisations?q=browser');
    assert.equal(await page.locator('tbody tr', { hasText: '(old)' }).count(), 0);
    assert.equal(await page.locator('tbody tr', { hasText: 'RBT2' }).count(), 1);

    // "Your account": the organisation is typed, by its ODS code here.
    await visit(page, '/account');
    await page.fill('#organisation_name', 'rbt2');
    await submit(page, page.getByRole('button', { name: 'Save your details' }));
    await flash(page, 'Your details have been saved');
    assert.equal(await page.inputValue('#organisation_name'), 'Browser Test Hospitals');
    await page.fill('#organisation_name', 'Nowhere Browser Trust');
    await submit(page, page.getByRole('button', { name: 'Save your details' }), 400);
    assert.equal(await page.locator('.nhsuk-error-summary a[href="#organisation_name"]').count(), 1);
    assert.equal(await page.inputValue('#organisation_name'), 'Nowhere Browser Trust');
    await logOut(page);
  });
}
