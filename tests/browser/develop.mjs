// develop.mjs: browser tests for Develop, the leadership self-assessment.
//
// Registered by run.mjs, which owns the server, the browser and the checks every page gets
// (axe-core and tidy, through visit() and submit()). A member rates themselves on a 320 px
// phone — a note that is too long comes back with its message and its text — leaves, comes
// back, submits and reads the results without the page scrolling sideways; an admin reads the
// shipped framework and tries an import with a mistake.

import assert from 'node:assert/strict';
import { RESPONDENT } from './assess.mjs';

const PHONE = { width: 320, height: 740 };
const path = (page) => new URL(page.url()).pathname;

// No part of the page is wider than the window, except inside the wrappers meant to scroll.
async function sideways(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [];
    for (const el of document.querySelectorAll('main *')) {
      if (el.closest('.ahp-table-scroll')) continue;
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > width + 1) wide.push(`${el.tagName.toLowerCase()}.${el.className || ''} (${Math.round(r.right)}px)`);
    }
    return { overflow: document.documentElement.scrollWidth - width, wide: wide.slice(0, 5) };
  });
}

async function noSideways(page) {
  const s = await sideways(page);
  assert.ok(s.overflow <= 0 && s.wide.length === 0, `${path(page)} scrolls sideways: ${s.wide.join(', ')}`);
}

export function registerDevelopTests({ test, visit, submit, logIn, admin }) {
  test('Develop: a member rates themselves on a phone, leaves, comes back and sees results', async (page, context, { newPage }) => {
    const phone = await newPage({ viewport: PHONE });
    await logIn(phone, RESPONDENT);
    await visit(phone, '/develop');
    await noSideways(phone);
    await submit(phone, phone.getByRole('button', { name: 'Start a self-assessment' }));
    const m = path(phone).match(/^\/develop\/self\/(\d+)\/domain\/1$/);
    assert.ok(m, `started: ${path(phone)}`);
    const id = m[1];
    await noSideways(phone);

    // Rate every statement of the first area by clicking its labels, as a person would.
    const groups = phone.locator('main form > .nhsuk-form-group');
    const n = await groups.count();
    assert.ok(n >= 4, `the first area has its statements (${n})`);
    for (let i = 0; i < n; i++) {
      const labels = groups.nth(i).locator('fieldset').first().locator('label.nhsuk-radios__label');
      assert.equal(await labels.count(), 4, 'four levels');
      await labels.nth(i % 4).click();
    }
    // A note over 1000 characters: refused, with the text kept and the summary linked to it.
    const note = groups.nth(0).locator('textarea');
    await note.fill('x'.repeat(1001));
    await submit(phone, phone.getByRole('button', { name: 'Save and continue' }), 400);
    const link = phone.locator('.nhsuk-error-summary a', { hasText: 'your note must be 1000 characters or fewer' });
    assert.equal(await link.count(), 1);
    const target = (await link.getAttribute('href')).slice(1);
    assert.equal((await phone.locator(`[id="${target}"]`).inputValue()).length, 1001, 'the note comes back whole');
    assert.ok(await groups.nth(1).locator('input[type="radio"]').nth(1).isChecked(), 'the ratings come back too');
    await noSideways(phone);
    await phone.locator(`[id="${target}"]`).fill('Led the review of our referral pathway with the GP practices.');
    await submit(phone, phone.getByRole('button', { name: 'Save and continue' }));
    assert.equal(path(phone), `/develop/self/${id}/domain/2`);

    // Leave from the second area, and come back to it.
    await phone.locator('main form > .nhsuk-form-group').first().locator('label.nhsuk-radios__label').nth(2).click();
    await submit(phone, phone.getByRole('button', { name: 'Save and come back later' }));
    assert.equal(path(phone), '/develop');
    await submit(phone, phone.getByRole('link', { name: 'Continue your self-assessment' }));
    assert.equal(path(phone), `/develop/self/${id}/domain/3`);

    await visit(phone, `/develop/self/${id}/check`);
    await noSideways(phone);
    await phone.locator('.nhsuk-summary-list__row', { hasText: 'incomplete' }).first().waitFor();
    await submit(phone, phone.getByRole('button', { name: 'Submit and see your results' }));
    assert.equal(path(phone), `/develop/self/${id}`);
    await noSideways(phone);
    const rows = phone.locator('table tbody tr');
    assert.equal(await rows.count(), 9, 'a row per area');
    assert.match(await rows.nth(0).innerText(), /%/);
    assert.match(await rows.nth(3).innerText(), /Not rated/);
    assert.equal(await phone.locator('progress.ahp-develop-bar').count(), 2, 'a bar for each rated area');

    await visit(phone, '/develop');
    await phone.getByRole('heading', { name: 'Your latest results' }).waitFor();
    await noSideways(phone);
    await visit(phone, '/develop/compare');
    await phone.getByText('You need two submitted self-assessments to compare').waitFor();
  });

  test('Develop: an admin reads the framework and an import mistake is shown at its place', async (page) => {
    await logIn(page, admin);
    await visit(page, '/develop/frameworks');
    await submit(page, page.getByRole('link', { name: 'AHP clinical leadership' }));
    await page.getByText('I explain how my service fits into the wider health and care system.').waitFor();
    await visit(page, '/develop/frameworks/import');
    const text = '{"code": "x", "title": "X", "licence": "Ours", "scale": {"kind": "levels", "points": []}, "domains": []}';
    await page.fill('#definition', text);
    await submit(page, page.getByRole('button', { name: 'Save as a new version' }), 400);
    await page.locator('.nhsuk-error-summary a[href="#definition"]', { hasText: 'scale: there must be from 2 to 10 points' }).waitFor();
    assert.equal(await page.inputValue('#definition'), text);
  });

  // ---- Develop: catalogue ----
  test('Develop: a member finds a coaching activity on a phone; an admin adds one, mistakes first, and retires it', async (page, context, { newPage }) => {
    const phone = await newPage({ viewport: PHONE });
    await logIn(phone, RESPONDENT);
    await visit(phone, '/develop');
    await submit(phone, phone.getByRole('link', { name: 'Browse development activities' }));
    assert.equal(path(phone), '/develop/catalogue');
    await noSideways(phone);
    await phone.selectOption('#kind', 'coaching');
    await submit(phone, phone.getByRole('button', { name: 'Show activities' }));
    await phone.getByRole('heading', { name: '1 activity' }).waitFor();
    await noSideways(phone);
    await submit(phone, phone.getByRole('link', { name: 'Leadership coaching' }));
    await phone.getByText('Funded by employer').waitFor();
    await noSideways(phone);
    assert.equal(await phone.getByRole('button', { name: 'Retire the activity' }).count(), 0, 'members do not curate');

    const adm = await newPage({ viewport: PHONE });
    await logIn(adm, admin);
    await visit(adm, '/develop/catalogue/new');
    await noSideways(adm);
    await adm.fill('#title', 'Shadow a chief AHP for a week');
    await adm.fill('#link', 'not a link');
    await submit(adm, adm.getByRole('button', { name: 'Save the activity' }), 400);
    await adm.locator('.nhsuk-error-summary a[href="#provider"]', { hasText: 'Enter who provides it' }).waitFor();
    await adm.locator('.nhsuk-error-summary a[href="#link"]', { hasText: 'starting with https://' }).waitFor();
    assert.equal(await adm.inputValue('#title'), 'Shadow a chief AHP for a week', 'the title comes back');
    await noSideways(adm);
    await adm.locator('label[for="kind-shadowing"]').click();
    await adm.fill('#provider', 'Your trust\'s AHP leadership team');
    await adm.fill('#description', 'A week alongside a chief AHP.');
    await adm.locator('label[for="mode"]').click();
    await adm.locator('label[for="cost"]').click();
    await adm.fill('#link', 'https://example.org/shadowing');
    await adm.locator('label[for="fd-ahp-clinical-leadership-system"]').click();
    await submit(adm, adm.getByRole('button', { name: 'Save the activity' }));
    assert.match(path(adm), /^\/develop\/catalogue\/\d+$/);
    const where = path(adm);
    await adm.getByText('The activity has been saved').waitFor();
    await noSideways(adm);
    await submit(adm, adm.getByRole('button', { name: 'Retire the activity' }));
    await adm.getByText('The activity has been retired').waitFor();
    await visit(phone, where, 404);
    await visit(adm, '/develop/catalogue/import');
  });
}
