// assess.mjs: browser tests for Assess, the digital capability assessments.
//
// Registered by run.mjs, which owns the server, the browser and the checks every page gets
// (axe-core and tidy, through visit() and submit()). The tests run in order and share the round
// the first one creates: a facilitator starts an anonymous round of "AHP digital capability"; a
// member answers it on a phone, saves, and finishes on another device through the resume link;
// someone without an account tries the error paths; the facilitator and the member read the
// benchmarks; the facilitator closes the round.
//
// The browser test database has no organisations (they come from `ahphub demo` only, and no page
// creates one), so invitation links are tested only as far as refusing a link for no
// organisation; with an organisation in the list, one is made and its page opened.

import assert from 'node:assert/strict';
import { FACILITATOR } from './listen.mjs';

// A member who is only ever a member (run.mjs's MEMBER becomes a facilitator in an earlier test).
export const RESPONDENT = {
  email: 'respondent@example.test',
  name: 'Test Respondent',
  password: 'respondent password for the browser tests',
};

const TITLE = 'Browser test: AHP digital capability, everyone, this year';
const INSTRUMENT = 'AHP digital capability';
const PHONE = { width: 375, height: 740 };
const SECTIONS = 9;
const QUESTIONS = 40;
// Sections whose first question is left out, to check "incomplete" and the counts.
const SKIP_FIRST = new Set([3, 6]);

// ---- helpers --------------------------------------------------------------------------------------

const flash = (page, text) => page.locator('.nhsuk-notification-banner--success', { hasText: text }).waitFor();
const path = (page) => new URL(page.url()).pathname;

// A date as the date inputs take it, days from today (UTC, as the server reads it).
const isoDay = (days) => new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);

// No part of the page is wider than the window (nothing makes a phone scroll sideways), except
// inside the wrappers meant to scroll.
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

// Answers the questions of the section on screen by clicking their labels, as a person would;
// questions whose number (1-based) is in `skip` are left out. Returns how many were answered.
async function answerSection(page, section, skip = new Set()) {
  const questions = page.locator('main form fieldset');
  const n = await questions.count();
  assert.ok(n >= 4, `section ${section} has its questions (${n})`);
  let answered = 0;
  for (let q = 0; q < n; q++) {
    if (skip.has(q + 1)) continue;
    const labels = questions.nth(q).locator('label.nhsuk-radios__label');
    const options = await labels.count();
    assert.ok(options >= 2, `question ${q + 1} of section ${section} has options`);
    const k = (section + q) % options; // a spread of answers, not all the same
    await labels.nth(k).click();
    assert.ok(await questions.nth(q).locator('input[type="radio"]').nth(k).isChecked(), `clicking label ${k + 1} chose it`);
    answered++;
  }
  return answered;
}

// The numbers in one column of a table body, by the text of its header.
async function column(table, header) {
  const headers = await table.locator('thead th').allInnerTexts();
  const i = headers.findIndex((h) => h.trim() === header);
  assert.ok(i >= 0, `a column "${header}" in ${headers.join(' | ')}`);
  return table.locator('tbody tr').evaluateAll((rows, i) => rows.map((r) => r.children[i].textContent.trim()), i);
}

// run.mjs's admin, for the instrument editor (run.mjs may pass its own as `admin`).
const ADMIN = { email: 'admin@example.test', password: 'admin password for the browser tests' };

export function registerAssessTests({ test, visit, submit, logIn, logOut, admin = ADMIN }) {
  let slug = '';
  const roundPath = (rest = '') => {
    assert.ok(slug, 'an earlier test created the round');
    return `/assess/${slug}${rest}`;
  };

  test('Assess: a facilitator starts a round and manages its links', async (page) => {
    await logIn(page, FACILITATOR);
    await visit(page, '/assess');
    await submit(page, page.getByRole('button', { name: 'Start an assessment round' }));
    assert.equal(path(page), '/assess/rounds/new');

    // No title: refused, with the summary linked to the field.
    await page.fill('#title', '');
    await submit(page, page.getByRole('button', { name: 'Create the round' }), 400);
    assert.equal(await page.locator('.nhsuk-error-summary a[href="#title"]').count(), 1);
    assert.equal(await page.locator('.nhsuk-form-group--error #title.nhsuk-input--error').count(), 1);
    assert.match((await page.locator('#title').getAttribute('aria-describedby')) || '', /title-error/);

    await page.fill('#title', TITLE);
    const option = page.locator('#instrument option', { hasText: INSTRUMENT });
    assert.equal(await option.count(), 1, `the instrument list offers ${INSTRUMENT}`);
    await page.selectOption('#instrument', await option.getAttribute('value'));
    await page.locator('label[for="audience"]').click();
    await page.locator('label[for="mode"]').click();
    assert.ok(await page.isChecked('#audience'), 'individuals');
    assert.ok(await page.isChecked('#mode'), 'anonymous');
    const closing = isoDay(365).split('-'); // the NHS.UK date input: day, month and year boxes
    await page.fill('#closes-day', String(Number(closing[2])));
    await page.fill('#closes-month', String(Number(closing[1])));
    await page.fill('#closes-year', closing[0]);
    await submit(page, page.getByRole('button', { name: 'Create the round' }));
    const m = path(page).match(/^\/assess\/([a-z0-9]+)\/manage$/);
    assert.ok(m, `lands on the manage page, not ${path(page)}`);
    slug = m[1];
    await flash(page, 'The assessment round has been saved');
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    const summary = await page.locator('.nhsuk-summary-list').innerText();
    assert.match(summary, /open/i);
    assert.match(summary, new RegExp(`${INSTRUMENT}, version \\d+`));
    assert.match(summary, /Individuals, anonymously/);
    assert.match(summary, /0 submitted, 0 started/);
    assert.equal(await page.inputValue('#closes-day'), String(Number(closing[2])), 'the closing date is kept');
    assert.equal(await page.inputValue('#closes-year'), closing[0]);
    assert.equal(await page.locator('main a', { hasText: `/assess/${slug}` }).count(), 1, 'the link for respondents');

    // Invitation links: no organisation chosen is refused on the field.
    await submit(page, page.getByRole('button', { name: 'Make the link' }), 400);
    assert.equal(await page.locator('.nhsuk-error-summary a[href="#organisation"]').count(), 1);
    assert.equal(await page.locator('.nhsuk-form-group--error #organisation').count(), 1);
    const orgs = page.locator('#organisation option:not([value=""])');
    if ((await orgs.count()) > 0) {
      const org = (await orgs.first().innerText()).trim();
      await page.selectOption('#organisation', await orgs.first().getAttribute('value'));
      await submit(page, page.getByRole('button', { name: 'Make the link' }));
      await flash(page, 'The invitation link is ready to send');
      const row = page.locator('#links ~ table tbody tr', { hasText: org });
      assert.equal(await row.count(), 1);
      await submit(page, row.getByRole('link'));
      assert.match(await page.locator('main').innerText(), new RegExp(`You are answering for ${org.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    } else {
      // Organisations come from `ahphub demo` only; nothing here creates one.
      assert.match(await page.locator('#links ~ table').innerText(), /No links yet/);
    }

    // The round is listed as open, with its counts and a way to manage it.
    await visit(page, '/assess');
    const item = page.locator('main li', { hasText: TITLE });
    assert.match(await item.innerText(), /anonymous/);
    assert.match(await item.innerText(), /0 started, 0 submitted/);
    await submit(page, item.getByRole('link', { name: `Manage ${TITLE}` }));
    assert.equal(path(page), roundPath('/manage'));
    await logOut(page);
  });

  let resume = '';
  test('Assess: a member answers on a phone, saves and finishes on another device', async (first, contextA, { newPage }) => {
    const phone = await newPage({ viewport: PHONE });
    await logIn(phone, RESPONDENT);
    await visit(phone, '/assess');
    assert.equal(await phone.getByRole('button', { name: 'Start an assessment round' }).count(), 0, 'members do not start rounds');
    await submit(phone, phone.getByRole('link', { name: TITLE }));
    assert.equal(path(phone), roundPath());
    await phone.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    assert.match(await phone.locator('main').innerText(), new RegExp(`There are ${QUESTIONS} questions in ${SECTIONS} sections`));
    await phone.selectOption('#profession', 'physiotherapist');
    await phone.selectOption('#region', 'london');
    await submit(phone, phone.getByRole('button', { name: 'Start now' }));
    assert.equal(path(phone), roundPath('/section/1'));

    // Section 1 on a phone: the progress, every question answered by tapping its label.
    await phone.getByRole('heading', { level: 1, name: 'Digital leadership' }).waitFor();
    assert.match(await phone.locator('#progress-text').innerText(), new RegExp(`Section 1 of ${SECTIONS} · 0 of ${QUESTIONS} questions answered`));
    const layout = await sideways(phone);
    assert.ok(layout.overflow <= 0, `section 1 scrolls sideways on a phone by ${layout.overflow}px: ${layout.wide.join(', ')}`);
    const inSection1 = await answerSection(phone, 1);
    await submit(phone, phone.getByRole('button', { name: 'Save and come back later' }));
    assert.equal(path(phone), roundPath('/saved'));
    await phone.getByRole('heading', { level: 1, name: 'Your answers have been saved' }).waitFor();
    assert.match(await phone.locator('main').innerText(), new RegExp(`You have answered ${inSection1} of ${QUESTIONS} questions`));
    const link = phone.locator('main a[href*="/resume/"]');
    assert.equal(await link.count(), 1, 'the saved page gives a resume link');
    resume = (await link.getAttribute('href')) || '';
    assert.equal((await link.innerText()).trim(), resume, 'the link is shown in full, to copy');
    const r = new URL(resume);
    assert.match(r.pathname, new RegExp(`^/assess/${slug}/resume/[0-9a-f]{64}$`));
    assert.ok((await sideways(phone)).overflow <= 0, 'the long resume link wraps on a phone');

    // This browser remembers: the round page offers to carry on.
    await visit(phone, roundPath());
    assert.match(await phone.locator('main').innerText(), new RegExp(`You have answered ${inSection1} questions so far`));
    await phone.getByRole('button', { name: 'Carry on where you stopped' }).waitFor();

    // Another device, not logged in: the resume link carries on at section 2.
    const other = await newPage({ viewport: PHONE });
    await visit(other, r.pathname);
    assert.equal(path(other), roundPath('/section/2'));
    assert.equal(await other.locator('header').getByRole('link', { name: 'Log in' }).count(), 1, 'not logged in');
    assert.match(await other.locator('#progress-text').innerText(), new RegExp(`Section 2 of ${SECTIONS} · ${inSection1} of ${QUESTIONS}`));

    // Section 1's answers are there on this device too.
    await submit(other, other.getByRole('link', { name: 'Previous section' }));
    assert.equal(path(other), roundPath('/section/1'));
    assert.equal(await other.locator('main form input[type="radio"]:checked').count(), inSection1);
    await submit(other, other.getByRole('button', { name: 'Save and continue' }));
    assert.equal(path(other), roundPath('/section/2'));

    let answered = inSection1;
    for (let s = 2; s <= SECTIONS; s++) {
      assert.equal(path(other), roundPath(`/section/${s}`));
      assert.match(await other.locator('#progress-text').innerText(), new RegExp(`Section ${s} of ${SECTIONS} · ${answered} of`));
      answered += await answerSection(other, s, SKIP_FIRST.has(s) ? new Set([1]) : new Set());
      const next = s === SECTIONS ? 'Save and check your answers' : 'Save and continue';
      await submit(other, other.getByRole('button', { name: next }));
    }
    assert.equal(answered, QUESTIONS - SKIP_FIRST.size);

    // Check your answers: the counts, and the sections with a question left out.
    assert.equal(path(other), roundPath('/check'));
    await other.getByRole('heading', { level: 1, name: 'Check your answers' }).waitFor();
    assert.match(await other.locator('main').innerText(), new RegExp(`You have answered ${answered} of ${QUESTIONS} questions`));
    // Every question with its answer (the NHS.UK check-answers pattern), under its section.
    const rows = other.locator('.nhsuk-summary-list__row');
    assert.equal(await rows.count(), QUESTIONS);
    assert.equal(await other.locator('.nhsuk-summary-list__value', { hasText: 'Not answered' }).count(), SKIP_FIRST.size);
    assert.equal(await other.locator('main h2', { hasText: /^\d+\. / }).count(), SECTIONS);
    const unanswered = other.locator('.nhsuk-summary-list__row', { hasText: 'Not answered' }).first();
    assert.ok((await unanswered.getByRole('link', { name: /^Answer/ }).getAttribute('href')).startsWith(roundPath('/section/3#item.')),
      'the first question left out is answered on section 3');
    assert.ok((await rows.first().getByRole('link', { name: /^Change/ }).getAttribute('href')).startsWith(roundPath('/section/1#item.')));

    await submit(other, other.getByRole('button', { name: 'Submit and see your results' }));
    assert.equal(path(other), roundPath('/result'));
    await other.getByRole('heading', { level: 1, name: 'Your results' }).waitFor();
    assert.match(await other.locator('.ahp-panel-confirm').innerText(), /\d+% overall/);

    // The chart is an image with a name; the table gives the same numbers.
    const chart = other.locator('main figure svg[role="img"]');
    assert.equal(await chart.count(), 1, 'one chart');
    const chartTitle = (await chart.locator('title').first().textContent()).trim();
    assert.ok(chartTitle.length > 0, 'the chart has a <title>');
    // On a phone the chart fits the column, scaled, and its text stays readable (drawn 400
    // units wide for phones: its 16-unit text is 12 px or more here).
    assert.ok((await other.locator('main figure').boundingBox()).width <= PHONE.width, 'the chart frame fits a phone');
    const chartWidth = (await chart.boundingBox()).width;
    assert.ok(chartWidth <= PHONE.width, 'the chart fits a phone');
    const viewWidth = Number((await chart.getAttribute('viewBox')).split(' ')[2]);
    assert.ok((16 * chartWidth) / viewWidth >= 12, `the chart's text is readable (${((16 * chartWidth) / viewWidth).toFixed(1)} px)`);
    const table = other.locator('main table', { hasText: 'Your results by domain' });
    assert.equal(await table.locator('tbody tr').count(), SECTIONS, 'a row per domain');
    const domains = await table.locator('tbody th').allInnerTexts();
    assert.equal(domains[0].trim(), 'Digital leadership');
    // While the round is open, no average of other people: it would move with each answer.
    assert.equal(await table.locator('thead th', { hasText: 'Physiotherapist average (%)' }).count(), 0, 'no profession column while open');
    await other.getByText('once the round has closed').first().waitFor();
    const baseline = await column(table, 'National baseline (%)');
    for (const v of ['28', '38', '50']) assert.ok(baseline.includes(v), `the national baseline ${v} is in ${baseline.join(', ')}`);
    const mine = await column(table, 'You (%)');
    for (const v of mine) assert.match(v, /^\d+$/, 'every domain has a percentage');

    // Submitted answers cannot be changed: the sections lead to the result.
    await visit(other, roundPath('/section/2'));
    assert.equal(path(other), roundPath('/result'));
    // The first device holds the same answers, so it sees the result too.
    await visit(phone, roundPath());
    await submit(phone, phone.getByRole('link', { name: 'See your results' }));
    assert.equal(path(phone), roundPath('/result'));
    await logOut(phone);

    // The result fits a phone: nothing but a table's own scroller may be wider than the window.
    await visit(other, roundPath('/result'));
    const fit = await sideways(other);
    assert.ok(fit.overflow <= 0, `the result page scrolls sideways on a phone by ${fit.overflow}px: ${fit.wide.join(', ')}`);
  });

  test('Assess: someone without an account leaves everything out, and a section that does not exist is not found', async (page) => {
    await visit(page, roundPath());
    await submit(page, page.getByRole('button', { name: 'Start now' }));
    assert.equal(path(page), roundPath('/section/1'));

    // Nothing chosen is fine: on to section 2, with nothing answered.
    await submit(page, page.getByRole('button', { name: 'Save and continue' }));
    assert.equal(path(page), roundPath('/section/2'));
    assert.match(await page.locator('#progress-text').innerText(), /· 0 of \d+ questions answered/);

    // Sections outside 1..9 are not found.
    for (const n of ['99', '0', `${SECTIONS + 1}`, 'two']) {
      await visit(page, roundPath(`/section/${n}`), 404);
      await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    }

    // Submitting without a single answer is refused, with the message in the summary.
    await visit(page, roundPath('/check'));
    assert.match(await page.locator('main').innerText(), new RegExp(`You have answered 0 of ${QUESTIONS} questions`));
    await submit(page, page.getByRole('button', { name: 'Submit and see your results' }), 400);
    const summary = page.locator('.nhsuk-error-summary');
    assert.match(await summary.innerText(), /Answer at least one question before you submit/);
    const target = await summary.locator('a').first().getAttribute('href');
    assert.equal(await page.locator(target).count(), 1, `the summary's link ${target} goes somewhere on the page`);

    // A resume link that is not one gives a page that says so.
    await visit(page, roundPath(`/resume/${'0'.repeat(64)}`), 404);
    assert.match(await page.locator('main').innerText(), /This resume link does not match/);
  });

  test('Assess: the facilitator and a member read the benchmarks', async (page, context, { newPage }) => {
    await logIn(page, FACILITATOR);
    await visit(page, roundPath('/manage'));
    assert.match(await page.locator('.nhsuk-summary-list').innerText(), /1 submitted, 2 started/);
    await submit(page, page.locator('main').getByRole('link', { name: 'Benchmarks', exact: true }));
    assert.equal(path(page), roundPath('/benchmarks'));
    await page.getByRole('heading', { level: 1, name: 'Benchmarks' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'By profession', exact: true }).waitFor();
    assert.equal(await page.locator('main figure svg[role="img"]').count(), 2, 'the national chart and the heat map');
    for (const svg of await page.locator('main figure svg[role="img"]').all())
      assert.ok(((await svg.locator('title').first().textContent()) || '').trim(), 'each chart has a <title>');
    const national = page.locator('main table', { hasText: 'Percentages by domain, every respondent' });
    assert.equal(await national.locator('tbody tr').count(), SECTIONS + 1, 'a row per domain and one overall');
    const baseline = await column(national, 'National baseline');
    for (const v of ['28', '38', '50']) assert.ok(baseline.includes(v), `the national baseline ${v} is in ${baseline.join(', ')}`);
    // One respondent: every figure about them is hidden.
    const counts = await column(national, 'Respondents');
    assert.ok(counts.every((c) => c === '*'), `a group of one is shown as * (${counts.join(', ')})`);
    const physios = page.locator('main table', { hasText: 'Mean percentage by profession' }).locator('tbody tr', { hasText: 'Physiotherapist' });
    for (const row of await physios.all())
      assert.ok((await row.locator('td').allInnerTexts()).every((t) => t.trim() === '*'), 'the one physiotherapist is not shown');

    // Group by organisation, for those who run rounds.
    const dims = await page.locator('#by option').evaluateAll((os) => os.map((o) => o.value));
    assert.ok(dims.includes('organisation'), `organisation is offered to a facilitator (${dims.join(', ')})`);
    await page.selectOption('#by', 'organisation');
    await submit(page, page.getByRole('button', { name: 'Show the groups' }));
    assert.equal(new URL(page.url()).searchParams.get('by'), 'organisation');
    await page.getByRole('heading', { level: 2, name: 'By organisation' }).waitFor();
    assert.equal(await page.inputValue('#by'), 'organisation');
    await submit(page, page.getByRole('link', { name: 'Manage this round' }));
    assert.equal(path(page), roundPath('/manage'));
    await logOut(page);

    // A member, while the round is open: no figures yet, and the page says when they come.
    const member = await newPage({ viewport: PHONE });
    await logIn(member, RESPONDENT);
    await visit(member, roundPath('/benchmarks'));
    await member.getByText('published once it has closed').waitFor();
    assert.equal(await member.getByRole('heading', { level: 2, name: 'By profession', exact: true }).count(), 0);
    assert.equal(await member.getByRole('link', { name: 'Manage this round' }).count(), 0);
    await visit(member, roundPath('/manage'), 403);
    await logOut(member);

    // Without an account, no benchmarks: log in first, and come back.
    const visitor = await newPage();
    await visit(visitor, roundPath('/benchmarks'));
    assert.equal(path(visitor), '/login');
    assert.equal(new URL(visitor.url()).searchParams.get('next'), roundPath('/benchmarks'));
  });

  test('Assess: the facilitator closes the round', async (page, context, { newPage }) => {
    await logIn(page, FACILITATOR);
    await visit(page, roundPath('/manage'));
    await submit(page, page.getByRole('button', { name: 'Close the round now' }));
    // it asks first, saying the round cannot be opened again
    await page.getByText('cannot be opened again').waitFor();
    await submit(page, page.getByRole('button', { name: 'Close the round', exact: true }));
    assert.equal(path(page), roundPath('/manage'));
    await flash(page, 'The assessment round has been closed');
    assert.match(await page.locator('.nhsuk-summary-list .nhsuk-tag').innerText(), /closed/i);
    assert.equal(await page.getByRole('button', { name: 'Close the round now' }).count(), 0);

    // The round's page says so, to everyone, and offers no way to start.
    const visitor = await newPage();
    await visit(visitor, roundPath());
    const inset = visitor.locator('.nhsuk-inset-text', { hasText: 'It takes no more answers' });
    await inset.waitFor();
    assert.equal(await visitor.getByRole('button', { name: 'Start now' }).count(), 0);
    await inset.getByRole('link', { name: 'See its benchmarks' }).waitFor();

    // The list moves it from "Open now" to the earlier rounds.
    await visit(page, '/assess');
    const earlier = page.locator('h2', { hasText: 'Earlier and upcoming rounds' });
    await earlier.waitFor();
    assert.equal(await page.locator('main li', { hasText: TITLE }).getByRole('link', { name: TITLE, exact: true }).count(), 0, 'no longer a round to open');
    await page.locator('main li', { hasText: TITLE }).getByRole('link', { name: `Benchmarks of ${TITLE}` }).waitFor();

    // The resume link of the member's answers now shows the submitted result, nothing to change.
    const device = await newPage();
    await visit(device, new URL(resume).pathname);
    assert.equal(path(device), roundPath('/result'));
    await logOut(page);

    // Closed: a member now reads the national figures, but is offered no organisations.
    const member = await newPage({ viewport: PHONE });
    await logIn(member, RESPONDENT);
    await visit(member, roundPath('/benchmarks'));
    await member.getByRole('heading', { level: 2, name: 'By profession', exact: true }).waitFor();
    const offered = await member.locator('#by option').evaluateAll((os) => os.map((o) => o.value));
    assert.ok(!offered.includes('organisation'), `organisation is not offered to a member (${offered.join(', ')})`);
    assert.ok(offered.includes('region'));
    await visit(member, roundPath('/benchmarks?by=organisation'));
    await member.getByRole('heading', { level: 2, name: 'By profession', exact: true }).waitFor();
    await logOut(member);

    // It closed today, and the round's page says so (dates are UTC on the server).
    const today = new Date().toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    const said = (await inset.innerText()).trim();
    assert.match(said, new RegExp(`This round closed on ${today}\\.`), `it closed today, ${today}, but the page says: ${said}`);
  });

  // Last, so the rounds above keep the shipped instruments as they were: nothing here changes
  // one; the instrument it saves is a new one.
  test('Assess: an admin edits an instrument with the form, without JSON', async (page) => {
    await logIn(page, admin);
    await visit(page, '/assess/instruments');
    await submit(page, page.locator('main').getByRole('link', { name: INSTRUMENT }));
    await submit(page, page.getByRole('link', { name: 'Edit, as a new version' }));
    assert.match(path(page), /^\/assess\/instruments\/\d+\/edit$/);
    await page.getByRole('heading', { level: 1, name: 'Edit an instrument' }).waitFor();
    assert.equal(await page.inputValue('#code'), 'ahp-digital-capability');
    const items = await page.locator('#domain > fieldset').count();
    assert.ok(items >= 2, `the open domain shows its items (${items})`);

    // Adding an item shows the form again with one more, and what was typed; nothing is saved.
    await page.fill('#title', 'AHP digital capability (being edited)');
    await submit(page, page.getByRole('button', { name: 'Add an item to this domain' }));
    assert.equal(path(page), '/assess/instruments/editor');
    assert.equal(await page.locator('#domain > fieldset').count(), items + 1);
    assert.equal(await page.inputValue('#title'), 'AHP digital capability (being edited)');
    assert.equal(await page.inputValue(`[id="item_text.${items + 1}"]`), '');

    // Another domain opens for editing.
    await submit(page, page.getByRole('button', { name: 'Edit domain 2' }));
    assert.match(await page.locator('#domain > legend').innerText(), /Domain 2/);
    await page.getByRole('link', { name: 'Edit as JSON instead' }).waitFor();

    // A new instrument: the empty form refuses to save, naming the fields, then saves.
    await visit(page, '/assess/instruments/new');
    await submit(page, page.getByRole('button', { name: 'Save as a new version' }).last(), 400);
    assert.ok(await page.locator('.nhsuk-error-summary a[href="#code"]').count() === 1, 'the summary links to the code');
    await page.fill('#code', 'browser-check');
    await page.fill('#title', 'Browser check');
    await page.fill('[id="band_name.1"]', 'Everyone');
    await page.fill('#domain_id', 'basics');
    await page.fill('#domain_title', 'The basics');
    await page.fill('[id="item_id.1"]', 'basics-1');
    await page.fill('[id="item_text.1"]', 'We check the basics every week.');
    await page.selectOption('[id="item_kind.1"]', 'choice');
    await submit(page, page.getByRole('button', { name: 'Update the form' }).first());
    await page.fill('[id="option_label.1.1"]', 'No');
    await page.fill('[id="option_score.1.1"]', '0');
    await page.fill('[id="option_label.1.2"]', 'Yes, always');
    await page.fill('[id="option_score.1.2"]', '100');
    await submit(page, page.getByRole('button', { name: 'Save as a new version' }).last());
    assert.match(path(page), /^\/assess\/instruments\/\d+$/);
    await page.getByRole('heading', { level: 1, name: 'Browser check' }).waitFor();
    assert.match(await page.locator('main').textContent(), /Yes, always: 100/);
    await logOut(page);
  });
}
