// portfolio.mjs: browser tests for the portfolio, sharing it, and the non-medical CV.
//
// Registered by run.mjs, which owns the server, the browser and the checks every page gets
// (axe-core and tidy, through visit() and submit()). On a 390 px phone a member adds a
// portfolio entry with the NHS.UK date input — first with mistakes, which come back with
// their messages and the text as typed — chooses it for the CV, and downloads the CV as PDF,
// Word and JSON Resume, each checked for what it is; then shares the portfolio with a
// reviewer, who reads it, until the member withdraws the share. No page scrolls sideways.
// And on a 320 px phone, an entry sent after the session ended is shown back to copy.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { RESPONDENT } from './assess.mjs';
import { FACILITATOR } from './listen.mjs';

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

export function registerPortfolioTests({ test, visit, submit, logIn, dbFile }) {
  test('Develop: a member adds a portfolio entry on a phone, downloads the CV and shares it', async (page, context, { newPage }) => {
    const phone = await newPage({ viewport: PHONE });
    await logIn(phone, RESPONDENT);
    await visit(phone, '/develop/portfolio');
    await noSideways(phone);
    await submit(phone, phone.getByRole('button', { name: 'Add an entry' }));
    assert.equal(path(phone), '/develop/portfolio/new');
    await noSideways(phone);

    // Mistakes first: no kind, no title, 30 February.
    await phone.fill('#body', 'Waits fell from **18 weeks** to 11 weeks.');
    await phone.fill('#start-day', '30');
    await phone.fill('#start-month', '2');
    await phone.fill('#start-year', '2024');
    await submit(phone, phone.getByRole('button', { name: 'Add to portfolio' }), 400);
    for (const message of ['Choose what kind of entry this is', 'Enter a title', 'Start date must be a real date'])
      assert.equal(await phone.locator('.nhsuk-error-summary a', { hasText: message }).count(), 1, message);
    assert.equal(await phone.inputValue('#body'), 'Waits fell from **18 weeks** to 11 weeks.', 'the text comes back');
    assert.equal(await phone.inputValue('#start-day'), '30');
    await noSideways(phone);

    // Put right, as a person would: labels clicked, boxes ticked.
    await phone.locator('label', { hasText: /^Project$/ }).click();
    await phone.fill('#title', 'Cutting waits for a first appointment');
    await phone.fill('#context', 'Riverside Community Health NHS Trust');
    await phone.fill('#start-day', '1');
    await phone.locator('label', { hasText: 'Quality improvement' }).first().click();
    await phone.locator('label', { hasText: 'Stakeholder engagement' }).first().click();
    await phone.locator('label', { hasText: 'Show this entry on my CV' }).click();
    await submit(phone, phone.getByRole('button', { name: 'Add to portfolio' }));
    assert.match(path(phone), /^\/develop\/portfolio\/\d+$/);
    await phone.locator('.nhsuk-notification-banner--success', { hasText: 'The portfolio entry has been saved' }).waitFor();
    await phone.locator('main strong', { hasText: '18 weeks' }).waitFor();
    assert.ok(await phone.locator('main', { hasText: 'February 2024' }).count());
    await noSideways(phone);

    // The CV page, then each download is what it says.
    await visit(phone, '/develop/cv');
    await noSideways(phone);
    await phone.locator('main h3', { hasText: 'Quality improvement' }).waitFor();
    await phone.locator('main h4', { hasText: 'Cutting waits for a first appointment' }).waitFor();
    const [download] = await Promise.all([
      phone.waitForEvent('download'),
      phone.getByRole('link', { name: /^PDF/ }).click(),
    ]);
    const pdf = readFileSync(await download.path());
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-', 'the PDF download is a PDF');
    assert.ok(pdf.includes('/Lang (en-GB)'), 'the PDF says its language');
    const origin = new URL(phone.url()).origin;
    const docx = await phone.context().request.get(`${origin}/develop/cv.docx`);
    assert.equal(docx.status(), 200);
    assert.equal(docx.headers()['content-type'], 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    assert.equal((await docx.body()).subarray(0, 2).toString('latin1'), 'PK', 'the Word download is a zip');
    const json = await phone.context().request.get(`${origin}/develop/cv.json`);
    assert.equal(json.status(), 200);
    assert.match(json.headers()['content-type'], /^application\/json/);
    const resume = JSON.parse(await json.text());
    assert.equal(resume.basics.name, RESPONDENT.name);
    assert.equal(resume.projects[0].name, 'Cutting waits for a first appointment');
    assert.equal(resume.projects[0].startDate, '2024-02-01');

    // Share it with a reviewer, who can read it until the share is withdrawn.
    await visit(phone, '/develop/shares');
    await noSideways(phone);
    await phone.fill('#email', FACILITATOR.email);
    await submit(phone, phone.getByRole('button', { name: 'Share', exact: true }));
    await phone.locator('.nhsuk-notification-banner--success', { hasText: 'Your portfolio has been shared' }).waitFor();
    const reviewer = await newPage({ viewport: PHONE });
    await logIn(reviewer, FACILITATOR);
    await visit(reviewer, '/develop/shared');
    await submit(reviewer, reviewer.getByRole('link', { name: RESPONDENT.name }));
    const shared = path(reviewer);
    await reviewer.locator('main h2', { hasText: 'Cutting waits for a first appointment' }).waitFor();
    await noSideways(reviewer);
    await submit(phone, phone.getByRole('button', { name: /^Withdraw/ }));
    await phone.locator('.nhsuk-notification-banner--success', { hasText: 'The share has been withdrawn' }).waitFor();
    await visit(reviewer, shared, 404);
  });

  // The session ends (12 hours without use, or a log-out in another tab) while the member is
  // writing an entry on a 320 px phone: sending it keeps nothing, but the page shows what they
  // wrote to copy, and logging in from it comes back to the form (web/signed_out.h).
  test('Develop: an entry written as the session ends is shown back, not lost', async (page, context, { newPage }) => {
    const phone = await newPage({ viewport: { width: 320, height: 640 } });
    await logIn(phone, RESPONDENT);
    await visit(phone, '/develop/portfolio/new');
    await phone.fill('#title', 'Led the <b>winter</b> huddles');
    await phone.fill('#body', 'Every morning in January.\nWaits fell by a third.');
    const r = spawnSync('sqlite3', [dbFile(), `DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = '${RESPONDENT.email}')`], { encoding: 'utf8' });
    assert.equal(r.status, 0, `sqlite3: ${r.stderr}`);
    await submit(phone, phone.getByRole('button', { name: 'Add to portfolio' }), 401);
    await phone.getByRole('heading', { level: 1, name: 'You have been logged out' }).waitFor();
    assert.equal(await phone.getByLabel('The title').inputValue(), 'Led the <b>winter</b> huddles');
    assert.equal(await phone.getByLabel('What you did and learnt').inputValue(), 'Every morning in January.\nWaits fell by a third.');
    await noSideways(phone);
    await submit(phone, phone.getByRole('button', { name: 'Log in' }));
    await phone.fill('#email', RESPONDENT.email);
    await phone.fill('#password', RESPONDENT.password);
    await submit(phone, phone.locator('main').getByRole('button', { name: 'Log in', exact: true }));
    assert.equal(path(phone), '/develop/portfolio/new', 'back at the form');
  });
}
