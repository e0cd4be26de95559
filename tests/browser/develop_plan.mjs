// develop_plan.mjs: browser tests for the development plan.
//
// Registered by run.mjs, which owns the server, the browser and the checks every page gets
// (axe-core and tidy, through visit() and submit()). On a 390 px phone a member with a
// self-assessment opens their recommendations, reads why the first is recommended, adds it
// to their plan with one click, and marks it done — first without a reflection, which is
// refused at its field, then with one and a target date in the three date boxes — and the
// plan shows it done with the reflection. No page scrolls sideways. The goal and activity
// forms with a date mistake fit 320 px without JavaScript (plain_date.mjs).

import assert from 'node:assert/strict';
import { FACILITATOR } from './listen.mjs';
import { checkDateAt320 } from './plain_date.mjs';

const PHONE = { width: 390, height: 844 };
const path = (page) => new URL(page.url()).pathname;

async function noSideways(page) {
  const s = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [];
    for (const el of document.querySelectorAll('main *')) {
      if (el.closest('.ahp-table-scroll')) continue;
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > width + 1) wide.push(`${el.tagName.toLowerCase()}.${el.className || ''}`);
    }
    return { overflow: document.documentElement.scrollWidth - width, wide: wide.slice(0, 5) };
  });
  assert.ok(s.overflow <= 0 && s.wide.length === 0, `${path(page)} scrolls sideways: ${s.wide.join(', ')}`);
}

// Rates every statement of the area on the page at the level (0 for the first) and saves.
async function rateArea(page, submit, level) {
  const groups = page.locator('main form > .nhsuk-form-group');
  const n = await groups.count();
  for (let i = 0; i < n; i++)
    await groups.nth(i).locator('fieldset').first().locator('label.nhsuk-radios__label').nth(level).click();
  await submit(page, page.getByRole('button', { name: 'Save and continue' }));
}

export function registerDevelopPlanTests({ test, visit, submit, logIn }) {
  test('Develop: on a phone a member adds a recommended activity to their plan and marks it done with a reflection', async (page, context, { newPage }) => {
    const phone = await newPage({ viewport: PHONE });
    await logIn(phone, FACILITATOR);
    // a self-assessment: the wider system rated high, digital leadership low
    await visit(phone, '/develop');
    await submit(phone, phone.getByRole('button', { name: 'Start a self-assessment' }));
    const id = path(phone).match(/^\/develop\/self\/(\d+)\/domain\/1$/)[1];
    await rateArea(phone, submit, 3);
    await visit(phone, `/develop/self/${id}/domain/8`);
    await rateArea(phone, submit, 0);
    await visit(phone, `/develop/self/${id}/check`);
    await submit(phone, phone.getByRole('button', { name: 'Submit and see your results' }));

    // the recommendations, explained
    await visit(phone, '/develop');
    await submit(phone, phone.getByRole('link', { name: 'See activities recommended from your results' }));
    assert.equal(path(phone), '/develop/recommendations');
    await noSideways(phone);
    await phone.getByText('You rated ‘Digital leadership’ 1 out of 4', { exact: false }).first().waitFor();
    const first = phone.locator('main ol > li').first();
    const title = (await first.locator('h3 a').innerText()).trim();
    assert.match(await first.innerText(), /Why:/);
    await submit(phone, first.getByRole('button', { name: /^Add to my plan/ }));
    assert.equal(path(phone), '/develop/plan');
    await phone.locator('.nhsuk-inset-text', { hasText: `“${title}” is in your plan` }).waitFor();
    await noSideways(phone);

    // done needs a reflection: refused at its field, nothing lost
    await submit(phone, phone.getByRole('link', { name: 'Add a target date or link it to a goal' }));
    assert.match(path(phone), /^\/develop\/plan\/activities\/\d+$/);
    await noSideways(phone);
    await phone.locator('label', { hasText: 'Done' }).click();
    await phone.fill('#target', '31');
    await phone.fill('#target-month', '3');
    await phone.fill('#target-year', '2027');
    await submit(phone, phone.getByRole('button', { name: 'Save', exact: true }), 400);
    await phone.locator('.nhsuk-error-summary a[href="#reflection"]', { hasText: 'Write a reflection to mark it done' }).waitFor();
    assert.equal(await phone.inputValue('#target'), '31', 'the date comes back as typed');
    assert.ok(await phone.locator('input[name="status"][value="done"]').isChecked(), 'and the status');
    await noSideways(phone);
    const reflection = 'The sessions gave me words for what I do well.\n\nNext I will ask my team how I run handovers.';
    await phone.fill('#reflection', reflection);
    await submit(phone, phone.getByRole('button', { name: 'Save', exact: true }));
    assert.equal(path(phone), '/develop/plan');
    const item = phone.locator('main li', { hasText: title }).first();
    await item.locator('.nhsuk-tag', { hasText: 'Done' }).waitFor();
    assert.match(await item.innerText(), /by 31 March 2027/);
    // the reflection keeps the paragraphs it was written in
    assert.match(await item.innerText(), /what I do well\.\n+Next I will ask my team/);
    await noSideways(phone);
    await visit(phone, '/develop');
    await phone.getByText('1 of 1', { exact: false }).waitFor();

    // a goal with a target date that is not real: the summary links to the day's box
    await visit(phone, '/develop/plan/goals/new');
    await phone.fill('#title', 'Lead the move');
    await phone.fill('#target', '31');
    await phone.fill('#target-month', '6');
    await phone.fill('#target-year', '2027');
    await submit(phone, phone.getByRole('button', { name: 'Save goal' }), 400);
    await phone.locator('.nhsuk-error-summary a[href="#target"]', { hasText: 'Target date must be a real date' }).waitFor();
    assert.equal(await phone.locator('.nhsuk-date-input .nhsuk-input--error').count(), 3, 'the whole date marked');
    assert.equal(await phone.inputValue('#target'), '31');
    await noSideways(phone);

    // a goal's and an activity's target date with a mistake: 320 px, no JavaScript
    const target = {
      date: { day: '#target', month: '#target-month', year: '#target-year' },
      missing: 'target',
      day: 'target-day',
    };
    await checkDateAt320(phone, '/develop/plan/goals/new', { ...target, fields: { '#title': 'Lead the move' }, button: 'Save goal' });
    await checkDateAt320(phone, '/develop/plan/activities/new', {
      ...target,
      fields: { '#title': 'Shadow the clinical director' },
      button: 'Save',
    });
  });
}
