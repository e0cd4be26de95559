// report.mjs: browser tests for what follows a listening exercise: the analysis, the curation of
// its themes, the "What we heard" report and "You said, we did".
//
// Registered by run.mjs, which owns the server, the browser and the checks every page gets
// (axe-core and tidy, through visit() and submit()). The tests run in order and share the
// exercise the first one creates: a facilitator opens an exercise with one question and twelve
// visitors without accounts answer it, about waiting lists or about staff training, some of them
// voting on what others wrote; the facilitator asks for two themes, renames one, pins a quote and
// publishes the report; a visitor reads it and downloads it; the facilitator records an action
// against the renamed theme and a visitor sees it.

import assert from 'node:assert/strict';
import { FACILITATOR } from './listen.mjs';

const TITLE = 'Browser test: therapy waiting lists and staff training';
const QUESTION = 'What would most improve therapy services where you live or work?';

const CITIZEN = 'A member of the public';
const AHP = 'An allied health professional';

// Who each visitor says they are and what they write: two clear subjects, with both kinds of
// people on each side, so the report has quotes from citizens and from professionals.
const VISITORS = [
  [CITIZEN, 'The waiting list for physiotherapy is far too long. We waited months for a first appointment.'],
  [CITIZEN, 'Waiting lists for speech therapy are long and the wait is stressful for families.'],
  [AHP, 'Our waiting list for occupational therapy keeps growing and patients wait too long.'],
  [CITIZEN, 'Long waiting lists mean people get worse while they wait for treatment.'],
  [AHP, 'Cut the waiting list: the wait for a first therapy appointment is far too long.'],
  [CITIZEN, 'The waiting time for podiatry is long and the waiting list never gets shorter.'],
  [AHP, 'Staff need more training time and protected study days for training.'],
  [AHP, 'Training for new staff is rushed; staff need supervision and proper training.'],
  [CITIZEN, 'The staff seemed to need more training, and staff training should be a priority.'],
  [AHP, 'More staff training in digital skills would help staff in every team.'],
  [CITIZEN, 'Protected training time for staff would keep their skills and training up to date.'],
  [AHP, 'Staff training in dementia care should be offered to all therapy staff.'],
];
// Visitor i (a key here) votes on visitor j's contribution after adding their own.
const VOTES = new Map([
  [4, [1, 'Agree']],
  [5, [2, 'Agree']],
  [6, [0, 'Disagree']],
  [8, [5, 'Agree']],
  [9, [6, 'Agree']],
  [11, [4, 'Disagree']],
]);

// The names the facilitator gives the first theme, and the action recorded against it, by subject.
const WAITING = {
  name: 'Waiting too long for therapy',
  action: 'We are adding evening clinics and a weekly review of everyone waiting longer than 18 weeks.',
};
const TRAINING = {
  name: 'Training and study time for staff',
  action: 'Every therapist will have half a day a month of protected time for training.',
};
const ACTION_WHO = 'Therapy services leadership team';

// ---- helpers --------------------------------------------------------------------------------------

const flash = (page, text) => page.locator('.nhsuk-notification-banner--success', { hasText: text }).waitFor();
const card = (page, text) => page.locator('.ahp-contribution', { hasText: text });
const path = (page) => new URL(page.url()).pathname;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A date as the date inputs take it, days from today (UTC, as the server reads it), and as the
// pages show it ("1 December 2026").
const isoDay = (days) => new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
const longDay = (iso) =>
  new Date(`${iso}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

export function registerReportTests({ test, visit, submit, logIn, logOut }) {
  let slug = '';
  // The theme the facilitator renames: its name as found, and the name given to it.
  let found = '';
  let renamed = '';
  let actionWhat = '';
  let pinned = '';
  const exercisePath = (rest = '') => {
    assert.ok(slug, 'an earlier test created the exercise');
    return `/listen/${slug}${rest}`;
  };
  // The card of a contribution on the feed: on the page the visitor is on, else on the first or
  // the second (the feed shows 10 a page, voted ones last, in an order of its own for each person).
  const onFeed = async (v, text) => {
    for (const n of [1, 2]) {
      if ((await card(v, text).count()) > 0) break;
      await visit(v, exercisePath(`?page=${n}`));
    }
    assert.equal(await card(v, text).count(), 1, `"${text}" is on the feed`);
    return card(v, text);
  };

  test('Listen report: twelve visitors without accounts answer and vote', async (page, context, { newPage }) => {
    await logIn(page, FACILITATOR);
    await visit(page, '/listen');
    await submit(page, page.getByRole('button', { name: 'Create a listening exercise' }));
    await page.fill('#title', TITLE);
    await page.fill('#summary', 'We want to hear what would make the **biggest difference** to therapy services.');
    await page.check('#moderation');
    await page.fill('#prompts', `${QUESTION}\n`);
    await submit(page, page.getByRole('button', { name: 'Save and preview' }));
    slug = path(page).split('/')[2];
    assert.match(slug, /^[a-z0-9]+$/);
    await submit(page, page.getByRole('button', { name: 'Open the exercise' }));
    await flash(page, 'Exercise opened');
    await logOut(page);

    // Each visitor is a browser of their own, so a participant of their own.
    const takePart = async (i) => {
      const [who, text] = VISITORS[i];
      const v = await newPage();
      await visit(v, exercisePath());
      await v.getByLabel(who, { exact: true }).check();
      await submit(v, v.getByRole('button', { name: 'Save who you are' }));
      assert.match(await v.locator('main').innerText(), new RegExp(`You told us: ${who === CITIZEN ? 'Member of the public' : 'Allied health professional'}`));
      await v.getByLabel(QUESTION).fill(text);
      await submit(v, v.getByRole('button', { name: 'Add your answer to question 1' }));
      await flash(v, 'Your contribution has been added');
      assert.match(await (await onFeed(v, text)).innerText(), /You wrote this/);
      const vote = VOTES.get(i);
      if (vote) {
        const [j, choice] = vote;
        const theirs = await onFeed(v, VISITORS[j][1]);
        assert.equal(await theirs.getByText('You wrote this').count(), 0);
        await submit(v, theirs.getByRole('button', { name: choice, exact: true }));
        assert.match(await (await onFeed(v, VISITORS[j][1])).innerText(), new RegExp(`You ${choice.toLowerCase()}d`));
      }
      await v.context().close();
    };
    // One after another: the browser tests share two processors, so several at once is no faster.
    for (let i = 0; i < VISITORS.length; i++) await takePart(i);

    // Everyone's contribution is shown, to anyone, over two pages.
    const shown = [];
    for (const n of [1, 2]) {
      await visit(page, exercisePath(`?page=${n}`));
      assert.match(await page.locator('main').innerText(), /Contributions: 12\b/);
      shown.push(...(await page.locator('.ahp-contribution .ahp-contribution__body').allInnerTexts()).map((t) => t.trim()));
    }
    assert.deepEqual(shown.sort(), VISITORS.map(([, t]) => t).sort());
  });

  test('Listen report: the facilitator analyses, curates the themes and publishes the report', async (page) => {
    await logIn(page, FACILITATOR);
    await visit(page, exercisePath());
    await submit(page, page.getByRole('link', { name: 'Themes and opinion groups' }));
    assert.equal(path(page), exercisePath('/analysis'));
    await page.getByRole('heading', { level: 1, name: 'What we heard so far' }).waitFor();

    await page.getByLabel('Number of themes (optional)').fill('2');
    await submit(page, page.getByRole('button', { name: 'Run the analysis again' }));
    await flash(page, 'The analysis has started');

    // The worker runs it within seconds: reload until nothing is waiting and the newest run,
    // the one asked for two themes, is shown.
    const themes = page.locator('main .nhsuk-card[id^="theme-"]');
    const until = Date.now() + 20000;
    for (;;) {
      const pending = await page.getByText(/An analysis is \w+\. Refresh this page/).count();
      const newest = page.locator('main table').last().locator('tbody tr').first().locator('td');
      const asked = (await newest.count()) >= 3 ? (await newest.nth(2).innerText()).trim() : '';
      if (!pending && asked === '2' && (await themes.count()) === 2) break;
      assert.ok(Date.now() < until, `the analysis asked for 2 themes was not shown within 20 s (pending ${pending}, asked "${asked}", themes ${await themes.count()})`);
      await sleep(1000);
      await visit(page, exercisePath('/analysis'));
    }
    // the facilitators' page gives the run's own count, as its warning and table do (the
    // published report rounds it to the nearest 5 under the disclosure rule)
    assert.match(await page.locator('main').innerText(), /From 12 contributions/);

    // The two subjects come out as the two themes.
    const words = await themes.evaluateAll((cards) => cards.map((c) => c.innerText));
    assert.ok(words.some((w) => /Words that mark it:[^\n]*wait/i.test(w)), `a theme about waiting:\n${words.join('\n---\n')}`);
    assert.ok(words.some((w) => /Words that mark it:[^\n]*(train|staff)/i.test(w)), `a theme about training:\n${words.join('\n---\n')}`);

    // Rename the first theme through "Change this theme".
    const first = page.locator('#theme-0');
    found = (await first.locator('h3').innerText()).trim();
    assert.ok(found, 'the first theme has a name');
    const subject = /Words that mark it:[^\n]*wait/i.test(await first.innerText()) ? WAITING : TRAINING;
    renamed = subject.name;
    actionWhat = subject.action;
    await first.locator('summary', { hasText: 'Change this theme' }).click();
    await first.getByLabel('Name', { exact: true }).fill(renamed);
    await submit(page, first.getByRole('button', { name: 'Rename', exact: true }));
    await flash(page, 'The theme has been changed');
    assert.equal(path(page), exercisePath('/analysis'));
    assert.equal((await page.locator('#theme-0 h3').innerText()).trim(), renamed);
    await page.locator('#theme-0').getByText(`Found as “${found}”.`, { exact: true }).waitFor();

    // Pin its first quote to the report.
    const quote = page.locator('#theme-0 .ahp-curate-quote').first();
    pinned = (await quote.locator('.ahp-contribution__body').innerText()).trim().replace(/^“|”$/g, '');
    assert.ok(VISITORS.some(([, t]) => t === pinned), `the quote is a contribution: ${pinned}`);
    await submit(page, quote.getByRole('button', { name: 'Pin this quote to the report' }));
    await flash(page, 'The theme has been changed');
    const again = page.locator('#theme-0 .ahp-curate-quote', { hasText: pinned });
    await again.locator('.nhsuk-tag', { hasText: 'pinned' }).waitFor();
    assert.equal(await again.getByRole('button', { name: 'Unpin this quote' }).count(), 1);

    // The report, as a draft only facilitators see, then published.
    await submit(page, page.getByRole('link', { name: 'The “What we heard” report' }));
    assert.equal(path(page), exercisePath('/report'));
    const draft = page.locator('.nhsuk-warning-callout', { hasText: 'Draft' });
    await draft.getByRole('heading', { name: /Draft/ }).waitFor();
    assert.match(await draft.innerText(), /Only facilitators can see this draft/);
    await page.getByRole('heading', { level: 3, name: new RegExp(`^\\d\\. ${renamed}$`) }).waitFor();
    await submit(page, page.getByRole('button', { name: 'Publish this report' }));
    await flash(page, 'The report has been published');
    assert.equal(path(page), exercisePath('/report'));
    assert.equal(await page.locator('.nhsuk-warning-callout', { hasText: 'Draft' }).count(), 0, 'no longer a draft');
    assert.match(await page.locator('main').innerText(), /Published on \d{1,2} \w+ \d{4}/);
    await page.getByRole('button', { name: 'Withdraw the published report' }).waitFor();
    await logOut(page);
  });

  test('Listen report: a visitor without an account reads and downloads the report', async (page) => {
    await visit(page, exercisePath('/report'));
    assert.equal(await page.locator('header').getByRole('link', { name: 'Log in' }).count(), 1, 'not logged in');
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    assert.equal(await page.locator('.nhsuk-warning-callout', { hasText: 'Draft' }).count(), 0, 'not a draft');
    // twelve contributions are too few for themes to be findings, and the report says so
    await page.locator('.nhsuk-warning-callout', { hasText: 'Too little to analyse' }).waitFor();
    assert.equal(await page.locator('main form').count(), 0, 'nothing to publish or withdraw');

    // The renamed theme, under its new name only, with the pinned quote and both sides.
    const theme = page.locator('section.ahp-theme', { has: page.getByRole('heading', { level: 3, name: new RegExp(`^\\d\\. ${renamed}$`) }) });
    assert.equal(await theme.count(), 1, `a section for “${renamed}”`);
    assert.equal(await page.getByRole('heading', { level: 3, name: found, exact: true }).count(), 0, 'the computed name is not shown');
    await theme.locator('blockquote.ahp-quote', { hasText: pinned }).first().waitFor();
    await theme.getByRole('heading', { level: 4, name: 'What citizens said' }).waitFor();
    await theme.getByRole('heading', { level: 4, name: 'What professionals said' }).waitFor();
    assert.equal(await page.getByRole('heading', { level: 4, name: 'What citizens said' }).count(), 2, 'both themes');
    assert.equal(await page.getByRole('heading', { level: 4, name: 'What professionals said' }).count(), 2, 'both themes');
    assert.ok((await page.locator('main blockquote.ahp-quote').count()) >= 2, 'quotes are shown');

    // The chart is an image with a title, and its numbers are in a table too; when every
    // theme's number is a * (twelve visitors write fewer than 8 contributions a theme) there
    // is no chart of an empty axis but the reason in words, and the table all the same.
    const tooSmall = page.locator('#themes-too-small');
    let summary = 'The chart as a table';
    if (await tooSmall.count()) {
      assert.match((await tooSmall.textContent()) || '', /too few to show how many/);
      assert.equal(await page.locator('main svg#themes-chart, main svg[aria-labelledby^="themes-chart"]').count(), 0, 'no empty chart');
      summary = 'The themes as a table';
    } else {
      const chart = page.locator('main figure svg[role="img"]').first();
      await chart.waitFor();
      assert.ok(((await chart.locator('title').first().textContent()) || '').trim(), 'the chart has a <title>');
      assert.match((await chart.textContent()) || '', new RegExp(renamed), 'the chart names the renamed theme');
      assert.doesNotMatch((await chart.textContent()) || '', /fewer than 8 people/, 'a hidden bar counts contributions');
    }
    const details = page.locator('details', { has: page.locator('summary', { hasText: summary }) });
    const table = details.locator('table');
    assert.equal(await table.isVisible(), false, 'the table starts closed');
    await details.locator('summary').click();
    assert.equal(await table.isVisible(), true);
    assert.equal(await table.locator('tbody tr').count(), 2);
    assert.equal(await table.locator('tbody th', { hasText: renamed }).count(), 1);

    // The downloads the page links to.
    const link = async (name) => {
      const href = await page.getByRole('link', { name }).getAttribute('href');
      assert.ok(href && href.startsWith(exercisePath('/report/')), `${name}: ${href}`);
      const r = await page.request.get(new URL(href, page.url()).href);
      assert.equal(r.status(), 200, `GET ${href}`);
      return r;
    };
    const csv = await link('The themes as a spreadsheet (CSV)');
    assert.match(csv.headers()['content-type'], /^text\/csv/);
    assert.match(csv.headers()['content-disposition'] || '', /attachment/);
    const csvText = await csv.text();
    assert.ok(csvText.includes(renamed), 'the CSV has the renamed theme');
    assert.ok(!csvText.includes(found), 'the CSV does not use the name as found');
    const pdf = await link('The report to print or share (PDF)');
    assert.match(pdf.headers()['content-type'], /^application\/pdf/);
    const pdfBody = await pdf.body();
    assert.equal(pdfBody.subarray(0, 4).toString('latin1'), '%PDF');
    assert.ok(pdfBody.length > 1000, 'the PDF has something in it');
    assert.ok(pdfBody.includes('/StructTreeRoot') && pdfBody.includes('/Marked true'), 'the PDF is tagged');
    assert.ok(pdfBody.includes('/Lang (en-GB)'), 'the PDF says its language');
    const json = await (await link('The whole report as data (JSON)')).json();
    assert.ok(JSON.stringify(json).includes(renamed), 'the JSON has the renamed theme');
  });

  test('Listen report: the facilitator records an action and a visitor sees it', async (page, context, { newPage }) => {
    const due = isoDay(60);
    await logIn(page, FACILITATOR);
    await visit(page, exercisePath());
    await submit(page, page.getByRole('link', { name: 'Record what is being done (You said, we did)' }));
    assert.equal(path(page), exercisePath('/actions'));
    await page.getByRole('heading', { level: 1, name: /You said, we did/ }).waitFor();
    await page.getByText('No actions have been recorded yet').waitFor();
    // Both published themes are named once, the renamed one by its new name, with nothing done
    // yet: no section says "Nothing yet" over and over.
    const section = page.locator('section.ahp-theme', { has: page.getByRole('heading', { level: 3, name: new RegExp(renamed) }) });
    assert.equal(await page.locator('section.ahp-theme').count(), 0);
    const others = page.locator('ul', { has: page.locator('li', { hasText: renamed }) });
    assert.equal(await others.locator('li').count(), 2, 'both themes are named under “Other things you said”');
    await page.getByRole('heading', { level: 2, name: 'Other things you said' }).waitFor();

    await page.getByLabel('Theme', { exact: true }).selectOption({ label: renamed });
    await page.getByLabel('What will be done').fill(actionWhat);
    await page.getByLabel('Who is doing it').fill(ACTION_WHO);
    await page.getByLabel('In progress', { exact: true }).check();
    { // the NHS.UK date input: day, month and year boxes
      const [y, m, d] = due.split('-');
      await page.fill('#due-day', String(Number(d)));
      await page.fill('#due-month', String(Number(m)));
      await page.fill('#due-year', y);
    }
    await submit(page, page.getByRole('button', { name: 'Add the action' }));
    await flash(page, 'The action has been saved');
    assert.equal(path(page), exercisePath('/actions'));
    assert.match(new URL(page.url()).hash, /^#action-\d+$/);

    // Beside the theme it answers, which has a section of its own now.
    assert.equal(await section.count(), 1, `a section for “${renamed}”`);
    const mine = section.locator('li[id^="action-"]', { hasText: actionWhat });
    assert.equal(await mine.count(), 1, 'the action is beside its theme');
    assert.match(await mine.innerText(), /In progress/);
    assert.match(await mine.innerText(), new RegExp(`${ACTION_WHO}\\. Planned for ${longDay(due)}`));
    await mine.getByRole('link', { name: /^Edit the action:/ }).waitFor();
    assert.match(await page.locator('main').innerText(), /1 action: 0 done, 1 in progress and 0 planned\./);
    await logOut(page);

    // A visitor without an account sees it, and nothing to change it with.
    const visitor = await newPage();
    await visit(visitor, exercisePath());
    await submit(visitor, visitor.locator('main').getByRole('link', { name: 'You said, we did', exact: true }));
    assert.equal(path(visitor), exercisePath('/actions'));
    const seen = visitor
      .locator('section.ahp-theme', { has: visitor.getByRole('heading', { level: 3, name: new RegExp(renamed) }) })
      .locator('li', { hasText: actionWhat });
    assert.equal(await seen.count(), 1, 'the visitor sees the action beside its theme');
    assert.match(await seen.innerText(), new RegExp(`${ACTION_WHO}\\. Planned for ${longDay(due)}`));
    assert.equal(await visitor.locator('main form').count(), 0, 'no forms for a visitor');
    assert.equal(await visitor.getByRole('link', { name: /^Edit/ }).count(), 0);
    assert.equal(await visitor.getByRole('heading', { name: 'Add an action' }).count(), 0);
  });
}
