// listen.mjs: browser tests for Listen, the anonymous listening exercises.
//
// Registered by run.mjs, which owns the server, the browser and the checks every page gets
// (axe-core and tidy, through visit() and submit()). The tests run in order and share the
// exercise they create: a facilitator creates and opens it; two visitors without accounts take
// part; the facilitator moderates and closes it; an admin edits the hold-word list; a
// facilitator's import with a title too long is shown again with the error beside that title.

import assert from 'node:assert/strict';

export const FACILITATOR = {
  email: 'fac@example.test',
  name: 'Test Facilitator',
  password: 'facilitator password for the browser tests',
};

const TITLE = 'Browser test: community therapy services';
const Q1 = 'What works well in your local service?';
const Q2 = 'What should change first?';
const EMAIL = 'someone.private@example.com';
const FIRST = `Email me at ${EMAIL} about the waiting list.\nThe physiotherapy team were kind.`;
const SECOND = 'A second thought that I will withdraw later.';
const OTHER = 'Parking at the clinic is very hard to find.';
const REPLY = 'The waiting list is long for us too.';

// ---- helpers --------------------------------------------------------------------------------------

const flash = (page, text) => page.locator('.nhsuk-notification-banner--success', { hasText: text }).waitFor();
const card = (page, text) => page.locator('.ahp-contribution', { hasText: text });

export function registerListenTests({ test, visit, submit, logIn, logOut, admin }) {
  let slug = '';
  const exercisePath = () => {
    assert.ok(slug, 'an earlier test created the exercise');
    return `/listen/${slug}`;
  };

  // Goes to the exercise from the list, as someone would.
  async function openExercise(page) {
    await visit(page, '/listen');
    await submit(page, page.getByRole('link', { name: TITLE }));
    assert.equal(new URL(page.url()).pathname, exercisePath());
  }

  test('Listen: a facilitator creates an exercise, previews it and opens it', async (page, context, { newPage }) => {
    await logIn(page, FACILITATOR);
    await visit(page, '/listen');
    await submit(page, page.getByRole('button', { name: 'Create a listening exercise' }));
    assert.equal(new URL(page.url()).pathname, '/listen/new');

    // Nothing filled in: the summary links to each field in error.
    await page.fill('#prompts', '');
    await submit(page, page.getByRole('button', { name: 'Save and preview' }), 400);
    for (const field of ['title', 'prompts'])
      assert.equal(await page.locator(`.nhsuk-error-summary a[href="#${field}"]`).count(), 1, `error for ${field}`);
    assert.equal(await page.locator('.nhsuk-form-group--error #title').count(), 1);

    await page.fill('#title', TITLE);
    await page.fill('#summary', 'We want to hear about **community** therapy.\n\n<script>alert(1)</script>');
    for (const box of ['#audience_citizen', '#audience_ahp', '#audience_staff']) assert.ok(await page.isChecked(box), `${box} is ticked`);
    await page.check('#moderation'); // shown straight away, checked afterwards
    await page.fill('#flag_threshold', '3');
    await page.fill('#prompts', `${Q1}\n\n${Q2}\n`);
    // The language people write in: English unless chosen (it steers the theme analysis).
    assert.equal(await page.inputValue('#language'), 'en', 'English by default');
    assert.ok(await page.locator('#language option[value="de"]').count(), 'German offered');
    await page.selectOption('#language', 'en');
    await submit(page, page.getByRole('button', { name: 'Save and preview' }));
    slug = new URL(page.url()).pathname.split('/')[2];
    assert.match(slug, /^[a-z0-9]+$/);
    await flash(page, 'The listening exercise has been saved');

    // A draft: a preview for facilitators only. Markdown is rendered, raw HTML is not.
    await page.getByRole('heading', { level: 2, name: 'This is a preview' }).waitFor();
    assert.equal((await page.locator('.nhsuk-tag', { hasText: 'Draft' }).count()), 1);
    assert.equal(await page.locator('.ahp-markdown strong', { hasText: 'community' }).count(), 1);
    assert.equal(await page.locator('.ahp-markdown script').count(), 0, 'raw HTML is not rendered');
    assert.equal(await page.locator('textarea[name="text"]').count(), 0, 'a draft takes no contributions');
    assert.equal(await page.locator('.nhsuk-summary-list__row', { hasText: 'Language' }).locator('dd').innerText(), 'English');

    // Someone without an account cannot see a draft.
    const visitor = await newPage();
    await visit(visitor, exercisePath(), 404);

    await submit(page, page.getByRole('button', { name: 'Open the exercise' }));
    await flash(page, 'Exercise opened');
    assert.equal(await page.locator('.nhsuk-tag', { hasText: 'Open' }).count(), 1);
    assert.equal(await page.getByRole('heading', { name: 'This is a preview' }).count(), 0);

    // Now it is listed for everyone.
    await openExercise(visitor);
    await logOut(page);
  });

  test('Listen: visitors without an account take part anonymously', async (a, contextA, { newPage }) => {
    // Visitor A: says who they are, then answers both questions.
    await openExercise(a);
    assert.equal(await a.locator('header').getByRole('link', { name: 'Log in' }).count(), 1, 'not logged in');
    await a.getByLabel('An allied health professional').check();
    await a.selectOption('#profession', 'physiotherapist');
    await a.selectOption('#region', 'london');
    await submit(a, a.getByRole('button', { name: 'Save who you are' }));
    assert.match(await a.locator('main').innerText(), /You told us: Allied health professional/);
    assert.equal(await a.locator('#profession').inputValue(), 'physiotherapist', 'the form shows what was saved');

    // An empty answer is refused, with the error linked to the field.
    await submit(a, a.getByRole('button', { name: 'Add your answer to question 1' }), 400);
    assert.equal(await a.locator('.nhsuk-error-summary a[href="#text"]').count(), 1);
    assert.equal(await a.locator('.nhsuk-form-group--error #text').count(), 1);

    await a.getByLabel(Q1).fill(FIRST);
    await submit(a, a.getByRole('button', { name: 'Add your answer to question 1' }));
    // An email address was taken out, so it waits for a moderator: what is left may still say
    // who someone is.
    await flash(a, 'Your contribution will be shown once a moderator has checked it');
    assert.equal(await card(a, '[email removed]').count(), 0, 'not shown until checked');
    const m = await newPage();
    await logIn(m, FACILITATOR);
    await visit(m, `${exercisePath()}/moderate`);
    const waiting = m.locator('.nhsuk-card', { hasText: '[email removed]' });
    assert.match(await waiting.innerText(), /Personal details were taken out of it/);
    await submit(m, waiting.getByRole('button', { name: /^Approve/ }));
    await flash(m, 'Your decision has been recorded');
    await logOut(m);
    await visit(a, exercisePath());
    const mine = card(a, '[email removed]');
    await mine.waitFor();
    assert.ok(!(await a.content()).includes(EMAIL), 'the email address is not on the page');
    assert.match(await mine.innerText(), /Allied health professional/);
    assert.match(await mine.innerText(), /You wrote this/);
    assert.equal(await mine.getByRole('button', { name: 'Agree' }).count(), 0, 'no vote on your own contribution');
    assert.equal(await mine.locator('.ahp-contribution__body').evaluate((el) => getComputedStyle(el).whiteSpace), 'pre-line');

    await visit(a, exercisePath());
    await a.getByLabel(Q2).fill(SECOND);
    await submit(a, a.getByRole('button', { name: 'Add your answer to question 2' }));
    await card(a, SECOND).waitFor();

    // Visitor B, in a browser of their own: agrees with A, replies to A and adds their own view.
    const b = await newPage();
    await openExercise(b);
    assert.equal(await b.getByText('You told us').count(), 0, 'B has told us nothing');
    const theirs = card(b, '[email removed]');
    assert.equal(await theirs.getByText('You wrote this').count(), 0);
    await submit(b, theirs.getByRole('button', { name: 'Agree', exact: true }));
    const agreed = card(b, '[email removed]');
    assert.match(await agreed.innerText(), /You agreed/);
    assert.match(await agreed.innerText(), /1 agree, 0 disagree/);
    assert.equal(await agreed.locator('button.nhsuk-button--secondary[value="agree"]').count(), 0, 'the chosen vote stands out');

    await agreed.locator('summary', { hasText: 'Reply' }).click();
    await agreed.getByLabel('Your reply').fill(REPLY);
    await submit(b, agreed.getByRole('button', { name: 'Add your reply' }));
    await b.locator('.ahp-reply', { hasText: REPLY }).waitFor();

    await visit(b, exercisePath());
    await b.getByLabel(Q1).fill(OTHER);
    await submit(b, b.getByRole('button', { name: 'Add your answer to question 1' }));
    await card(b, OTHER).waitFor();

    // A sees the vote and the reply, and reports B's contribution.
    await visit(a, exercisePath());
    assert.match(await card(a, '[email removed]').innerText(), /1 agree/);
    await a.locator('.ahp-reply', { hasText: REPLY }).waitFor();
    const other = card(a, OTHER);
    await other.locator('summary', { hasText: 'Report this to a moderator' }).click();
    await other.getByLabel('Why should a moderator look at it?').fill('It is not about the service');
    await submit(a, other.getByRole('button', { name: 'Report to a moderator' }));
    await flash(a, 'A moderator will look at the contribution you flagged');

    // A withdraws their second answer from "Your contributions".
    await submit(a, a.getByRole('link', { name: 'Your contributions' }).first());
    assert.equal(new URL(a.url()).pathname, `${exercisePath()}/mine`);
    assert.equal(await a.locator('.nhsuk-card').count(), 2, 'A wrote two answers');
    assert.equal(await a.getByText(OTHER).count(), 0, 'B’s contribution is not listed as A’s');
    const second = a.locator('.nhsuk-card', { hasText: SECOND });
    assert.match(await second.innerText(), /Shown/);
    await submit(a, second.getByRole('button', { name: /^Withdraw/ }));
    // asked once more, with the words it takes back
    await a.getByRole('heading', { name: /Are you sure you want to withdraw it/ }).waitFor();
    assert.equal(await a.getByText(SECOND).count(), 1);
    await submit(a, a.getByRole('button', { name: 'Yes, withdraw it' }));
    await flash(a, 'Your contribution has been withdrawn');
    assert.equal(await a.locator('.nhsuk-card').count(), 1);
    assert.equal(await a.getByText(SECOND).count(), 0);
    await visit(a, exercisePath());
    assert.equal(await card(a, SECOND).count(), 0, 'a withdrawn contribution is not shown');

    // B's browser knows nothing of A's contributions.
    await visit(b, `${exercisePath()}/mine`);
    assert.equal(await b.getByText('[email removed]').count(), 0);
  });

  test('Listen: the facilitator moderates, then closes the exercise', async (page, context, { newPage }) => {
    await logIn(page, FACILITATOR);
    await visit(page, exercisePath());
    await submit(page, page.getByRole('link', { name: 'Moderate contributions' }));
    assert.equal(new URL(page.url()).pathname, `${exercisePath()}/moderate`);

    // The flagged contribution is under "Flagged".
    await submit(page, page.locator('.ahp-filters').getByRole('link', { name: /^Flagged \(1\)/ }));
    const flagged = page.locator('.nhsuk-card', { hasText: OTHER });
    assert.match(await flagged.innerText(), /Reports\s+1/);

    // Under "All": the original of the redacted one is here, and only here.
    await submit(page, page.locator('.ahp-filters').getByRole('link', { name: /^All/ }));
    const redacted = page.locator('.nhsuk-card', { hasText: '[email removed]' }).first();
    await redacted.locator('summary', { hasText: 'What was written before it was redacted' }).click();
    assert.match(await redacted.innerText(), new RegExp(EMAIL.replace(/\./g, '\\.')));
    assert.match(await redacted.innerText(), /Removed automatically: email/);
    assert.match(await page.locator('.nhsuk-card', { hasText: SECOND }).innerText(), /Withdrawn/);

    // Reject B's contribution with a reason.
    const other = page.locator('.nhsuk-card', { hasText: OTHER });
    await other.locator('summary', { hasText: 'Reject' }).click();
    await other.getByLabel('Why is it rejected?').fill('Not about the service');
    await submit(page, other.getByRole('button', { name: /^Reject/ }));
    await flash(page, 'Your decision has been recorded');
    assert.equal(new URL(page.url()).searchParams.get('filter'), 'all', 'back to the same filter');
    const rejected = page.locator('.nhsuk-card', { hasText: OTHER });
    assert.match(await rejected.innerText(), /Rejected/);
    assert.match(await rejected.innerText(), /Not about the service/);

    // The edit form shows the exercise as saved.
    await visit(page, `${exercisePath()}/edit`);
    assert.equal(await page.inputValue('#title'), TITLE);
    assert.match(await page.inputValue('#prompts'), new RegExp(`${Q1.replace(/\?/g, '\\?')}\\n${Q2.replace(/\?/g, '\\?')}`));
    assert.ok(await page.isChecked('#moderation'), 'post-moderation is selected');

    // Who runs it: the creator is its facilitator (the page passes axe and tidy).
    await visit(page, `${exercisePath()}/facilitators`);
    assert.match(await page.locator("main").innerText(), /\(you\)/);

    // Close it: contributions stay readable, but nobody can add, vote or report.
    await visit(page, exercisePath());
    assert.equal(await card(page, OTHER).count(), 0, 'a rejected contribution is not shown');
    await submit(page, page.getByRole('button', { name: 'Close the exercise' }));
    // closing stops everyone taking part, so the page asks first
    await page.getByRole('heading', { level: 1, name: /Are you sure you want to close this exercise\?/ }).waitFor();
    await submit(page, page.getByRole('button', { name: 'Yes, close the exercise' }));
    await flash(page, 'Exercise closed');
    assert.equal(await page.locator('.nhsuk-tag', { hasText: 'Closed' }).count(), 1);
    const visitor = await newPage();
    await visit(visitor, exercisePath());
    await visitor.getByText('This exercise has closed').waitFor();
    await card(visitor, '[email removed]').waitFor();
    assert.equal(await visitor.locator('textarea').count(), 0, 'the contribution form is gone');
    assert.equal(await visitor.locator('form[action$="/vote"], form[action$="/flag"], form[action$="/about"]').count(), 0);
    await logOut(page);
  });

  test('Listen: an admin edits the hold-word list', async (page) => {
    await logIn(page, admin);
    await submit(page, page.locator('header').getByRole('link', { name: 'Administration' }));
    await submit(page, page.locator('main').getByRole('link', { name: 'Hold words' }));
    assert.equal(new URL(page.url()).pathname, '/admin/listen-words');
    await page.fill('#word', 'Parking Meter');
    await submit(page, page.getByRole('button', { name: 'Add to the list' }));
    await flash(page, 'The word list has been saved');
    const row = page.locator('tbody tr', { hasText: 'parking meter' });
    assert.equal(await row.count(), 1, 'kept in lower case');
    await submit(page, row.getByRole('button', { name: /^Remove/ }));
    assert.equal(await page.locator('tbody tr', { hasText: 'parking meter' }).count(), 0);
    await logOut(page);
  });

  // The import page has two forms, each with a title; a refused one is shown beside its own.
  test('Listen: an import whose title is too long shows the error beside that form\'s title', async (page) => {
    const long = `Imported conversation ${'x'.repeat(140)}`; // 162 characters, over 150
    const csv = (name, text) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
    await logIn(page, FACILITATOR);
    await visit(page, '/listen/import');
    await page.fill('#polis_title', long);
    await page.setInputFiles('#comments_file', csv('comments.csv',
      'timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n' +
      '1600000000000,x,0,1,1,0,1,Shorter waits\n'));
    await page.setInputFiles('#votes_file', csv('votes.csv',
      'timestamp,datetime,comment-id,voter-id,vote\n1600000000000,x,0,1,1\n'));
    await submit(page, page.getByRole('button', { name: 'Import the Pol.is export' }), 400);
    assert.match(await page.locator('#polis_title-error').innerText(), /A title must be 150 characters or fewer/);
    assert.equal(await page.locator('#csv_title-error').count(), 0, 'not beside the other form');
    assert.equal(await page.inputValue('#polis_title'), long, 'the title as typed');
    await page.locator('.nhsuk-error-summary a[href="#polis_title"]').click();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'polis_title');
    await logOut(page);
  });

}
