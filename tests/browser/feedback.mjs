// feedback.mjs: browser test for Develop's 360° feedback.
//
// Registered by run.mjs, which owns the server, the browser and the checks every page gets
// (axe-core and tidy, through visit() and submit()). On a 390 px phone a member asks five
// people for feedback (a line manager, three peers and one other) from a submitted
// self-assessment, with the NHS.UK date input; the five links are shown once. Each rater,
// in a browser of their own and with no account, opens their link, is told how their
// answers will be shown (the line manager: separately), rates an area, saves, comes back and
// submits with comments, and is thanked. The member sees "5 have answered" and
// no results while open, closes the request, and reads the report: the lone "other" is
// folded in with the peers, the line manager is shown separately, and no page scrolls
// sideways. After closing, a link says the request has closed, used or not.

import assert from 'node:assert/strict';
import { RESPONDENT } from './assess.mjs';

const PHONE = { width: 390, height: 800 };
const path = (page) => new URL(page.url()).pathname;

async function noSideways(page) {
  const s = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [];
    for (const el of document.querySelectorAll('main *')) {
      if (el.closest('.ahp-table-scroll')) continue;
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > width + 1) wide.push(`${el.tagName.toLowerCase()}.${el.className || ''} (${Math.round(r.right)}px)`);
    }
    return { overflow: document.documentElement.scrollWidth - width, wide: wide.slice(0, 5) };
  });
  assert.ok(s.overflow <= 0 && s.wide.length === 0, `${path(page)} scrolls sideways: ${s.wide.join(', ')}`);
}

// A submitted self-assessment to ask about, if the member has none yet.
async function ensureSubmitted(phone, visit, submit) {
  await visit(phone, '/develop/feedback');
  if (await phone.getByRole('button', { name: 'Ask for 360° feedback' }).count()) return;
  await visit(phone, '/develop');
  const cont = phone.getByRole('link', { name: 'Continue your self-assessment' });
  if (await cont.count()) await submit(phone, cont);
  else await submit(phone, phone.getByRole('button', { name: 'Start a self-assessment' }));
  const id = path(phone).match(/^\/develop\/self\/(\d+)\//)[1];
  await visit(phone, `/develop/self/${id}/domain/1`);
  await phone.locator('main form > .nhsuk-form-group').first().locator('label.nhsuk-radios__label').nth(2).click();
  await submit(phone, phone.getByRole('button', { name: 'Save and continue' }));
  await visit(phone, `/develop/self/${id}/check`);
  await submit(phone, phone.getByRole('button', { name: 'Submit and see your results' }));
  await visit(phone, '/develop/feedback');
}

export function registerFeedbackTests({ test, visit, submit, logIn }) {
  test('Develop: a member asks five people for 360° feedback on a phone, they answer through their links, and the member reads the results', async (page, context, { newPage }) => {
    const phone = await newPage({ viewport: PHONE });
    await logIn(phone, RESPONDENT);
    await ensureSubmitted(phone, visit, submit);
    await noSideways(phone);
    await submit(phone, phone.getByRole('button', { name: 'Ask for 360° feedback' }));
    assert.match(path(phone), /^\/develop\/self\/\d+\/feedback$/);
    await noSideways(phone);

    // A mistake first: a closing date in the past, shown at its place with what was typed.
    await phone.fill('#closes-day', '1');
    await phone.fill('#closes-month', '1');
    await phone.fill('#closes-year', '2020');
    await phone.fill('[id="email.1"]', 'lead@example.test');
    await submit(phone, phone.getByRole('button', { name: 'Send the requests' }), 400);
    await phone.locator('.nhsuk-error-summary a[href="#closes-day"]', { hasText: 'must be after today' }).waitFor();
    assert.equal(await phone.inputValue('[id="email.1"]'), 'lead@example.test');
    await noSideways(phone);

    const soon = new Date(Date.now() + 14 * 86400 * 1000);
    await phone.fill('#closes-day', String(soon.getUTCDate()));
    await phone.fill('#closes-month', String(soon.getUTCMonth() + 1));
    await phone.fill('#closes-year', String(soon.getUTCFullYear()));
    const raters = [
      ['lead@example.test', 'manager'],
      ['peer.one@example.test', 'peer'],
      ['peer.two@example.test', 'peer'],
      ['peer.three@example.test', 'peer'],
      ['friend@example.test', 'other'],
    ];
    for (let i = 0; i < raters.length; i++) {
      await phone.fill(`[id="email.${i + 1}"]`, raters[i][0]);
      await phone.selectOption(`[id="group.${i + 1}"]`, raters[i][1]);
    }
    await submit(phone, phone.getByRole('button', { name: 'Send the requests' }), 201);
    await phone.getByText('The links are shown only now').waitFor();
    await noSideways(phone);
    const links = [];
    for (let i = 1; i <= raters.length; i++) links.push(new URL(await phone.inputValue(`#link-${i}`)).pathname);
    assert.equal(new Set(links).size, 5, 'five different links');
    await submit(phone, phone.getByRole('link', { name: 'Go to your request' }));
    const request = path(phone);
    await phone.getByText('0 have answered').waitFor();
    assert.equal(await phone.getByRole('heading', { name: 'Results by area' }).count(), 0, 'no results while open');

    // Each rater, in a browser of their own, with no account.
    for (let r = 0; r < links.length; r++) {
      const rater = await newPage({ viewport: PHONE });
      await visit(rater, links[r]);
      await noSideways(rater);
      if (r === 0) await rater.getByText('Your answers are not anonymous').waitFor();
      else await rater.getByText('combined with those of at least 2 other people').waitFor();
      await submit(rater, rater.getByRole('button', { name: 'Start', exact: true }));
      assert.equal(path(rater), `${links[r]}/domain/1`);
      const groups = rater.locator('main form > .nhsuk-form-group');
      const n = await groups.count();
      for (let i = 0; i < n; i++) await groups.nth(i).locator('label.nhsuk-radios__label').nth((r + i) % 4).click();
      await noSideways(rater);
      // save, leave and come back through the same link
      await submit(rater, rater.getByRole('button', { name: 'Save and come back later' }));
      await submit(rater, rater.getByRole('button', { name: 'Continue', exact: true }));
      assert.equal(path(rater), `${links[r]}/domain/2`);
      await visit(rater, `${links[r]}/comments`);
      await noSideways(rater);
      await rater.fill('#strengths', `Rater ${r + 1}: makes time for the team`);
      await rater.fill('#differently', 'Share the plan for next year; call me on 07700 900123');
      await submit(rater, rater.getByRole('button', { name: 'Submit your feedback' }));
      await rater.getByRole('heading', { name: 'Thank you for your feedback' }).waitFor();
      await noSideways(rater);
    }

    // The member: counts but no results while open; closes; reads the report.
    await visit(phone, request);
    await phone.getByText('5 have answered').waitFor();
    await submit(phone, phone.getByRole('button', { name: 'Close the request now' }));
    assert.equal(path(phone), request);
    await phone.getByRole('heading', { name: 'Results by area' }).waitFor();
    await noSideways(phone);
    const head = await phone.locator('table thead').innerText();
    assert.match(head, /Line manager \(1\)/);
    assert.match(head, /All raters except you \(5\)/);
    assert.doesNotMatch(head, /Peers|Others/, 'the lone other folds, taking the peers with it');
    await phone.getByRole('heading', { name: 'What people said' }).waitFor();
    const said = await phone.locator('main').innerText();
    assert.ok(!said.includes('07700'), 'the phone number is removed');
    assert.match(said, /\[phone number removed\]/);
    await phone.getByText('Raters in groups too small to show on their own').waitFor();

    // After closing, every link takes nothing more, and says the same whether it was used.
    const late = await newPage({ viewport: PHONE });
    await visit(late, links[0], 409);
    await late.getByText('This request for feedback closed on').waitFor();
  });
}
