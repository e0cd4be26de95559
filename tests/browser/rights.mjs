// rights.mjs: browser tests for a member's data rights — downloading their data and deleting
// their account (src/account/rights_pages.c), on a 320 px phone.
//
// Registered by run.mjs, which owns the server, the browser and the checks every page gets
// (axe-core and tidy, through visit() and submit()). The member here exists only to be deleted.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

export const LEAVER = {
  email: 'leaver@example.test',
  name: 'Test Leaver',
  password: 'leaver password for the browser tests',
};

const PHONE = { width: 320, height: 640 };
const path = (page) => new URL(page.url()).pathname;

// How far the page is wider than the window: 0 when nothing makes a phone scroll sideways.
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

export function registerRightsTests({ test, visit, submit, logIn }) {
  test('Data rights: a member downloads their data and deletes their account on a phone', async (_page, _context, { newPage }) => {
    const page = await newPage({ viewport: PHONE });
    await logIn(page, LEAVER);
    await visit(page, '/account');
    await page.getByRole('link', { name: 'Download your data' }).waitFor();
    await submit(page, page.getByRole('link', { name: 'Download your data' }));
    assert.equal(path(page), '/account/data');
    assert.equal(await overflow(page), 0, '/account/data scrolls sideways');

    // The button gives a dated JSON file holding the member's account.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download your data' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^ahphub-data-\d{4}-\d{2}-\d{2}\.json$/);
    const doc = JSON.parse(readFileSync(await download.path(), 'utf8'));
    assert.equal(doc.account.email, LEAVER.email);
    assert.equal(doc.account.display_name, LEAVER.name);
    assert.ok(Array.isArray(doc.not_included) && doc.not_included.length >= 3);

    await visit(page, '/account/delete');
    assert.equal(await overflow(page), 0, '/account/delete scrolls sideways');
    // Nothing ticked and a wrong password: both errors, in the summary and at the fields.
    await page.fill('#password', 'not the password at all');
    await submit(page, page.getByRole('button', { name: 'Delete your account' }), 400);
    await page.locator('.nhsuk-error-summary', { hasText: 'Confirm that you understand' }).waitFor();
    assert.equal(await overflow(page), 0, 'the form with errors scrolls sideways');
    await page.locator('label[for="confirm"]').click();
    await page.fill('#password', 'not the password at all');
    await submit(page, page.getByRole('button', { name: 'Delete your account' }), 400);
    await page.locator('#password-error', { hasText: 'Your password is not correct' }).waitFor();
    assert.ok(await page.locator('#confirm').isChecked(), 'the ticked box stays ticked');
    await page.fill('#password', LEAVER.password);
    await submit(page, page.getByRole('button', { name: 'Delete your account' }));
    await page.getByRole('heading', { level: 1, name: 'Your account has been deleted' }).waitFor();
    assert.equal(await page.locator('header').getByRole('link', { name: 'Log in' }).count(), 1);
    // Logged out for good: the account page asks for a log in, and the password no longer works.
    await page.goto(page.url().replace(/\/account\/delete$/, '/account'));
    assert.equal(path(page), '/login');
  });
}
