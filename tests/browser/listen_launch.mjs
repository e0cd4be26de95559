// listen_launch.mjs: Listen on launch day, as a citizen and a facilitator meet it on a phone
// (390 px) and a laptop (1280 px).
//
// Registered by run.mjs, which owns the server, the browser and the checks every page gets
// (axe-core and tidy, through visit() and submit()). The tests run in order and share one
// exercise: people answer; a citizen votes one statement at a time (with JavaScript, through
// the API without leaving the page; without it, by posting the form and landing back on the
// next statement), undoes a vote and changes one from "Your votes"; someone reports a
// contribution and the facilitator sees why and decides several at once; the facilitator
// closes the exercise (asked first) and publishes the report, which a visitor then finds from
// the exercise's page and the list. No Listen page scrolls sideways at 320 px.

import assert from 'node:assert/strict';
import { FACILITATOR } from './listen.mjs';

const TITLE = 'Launch day: what would make therapy services better?';
const QUESTION = 'What would make the biggest difference?';
const ANSWERS = [
  'Shorter waiting lists for physiotherapy would change everything for my mum.',
  'Evening appointments, because I cannot take time off work for every session.',
  'The speech and language therapists were brilliant with our son; more of them, please.',
  'Parking at the community clinic is impossible before ten in the morning.',
  'One named therapist who knows my history, instead of someone new each time.',
];
const REASON = 'It mentions a member of staff by their first name';
const PHONE = { width: 390, height: 844 };
const NARROW = { width: 320, height: 700 };

const flash = (page, text) => page.locator('.nhsuk-notification-banner--success', { hasText: text }).waitFor();
const path = (page) => new URL(page.url()).pathname;

// True when the page is no wider than the window: nothing to scroll sideways (WCAG 1.4.10).
async function noSidewaysScroll(page, what) {
  const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scroll <= inner, `${what} scrolls sideways at ${inner} px: it is ${scroll} px wide`);
}

export function registerListenLaunchTests({ test, visit, submit, logIn, logOut }) {
  let slug = '';
  const at = (rest = '') => {
    assert.ok(slug, 'an earlier test created the exercise');
    return `/listen/${slug}${rest}`;
  };

  test('Listen launch: a facilitator opens an exercise and five people answer', async (page, context, { newPage }) => {
    await logIn(page, FACILITATOR);
    await visit(page, '/listen/new');
    await page.fill('#title', TITLE);
    await page.check('#moderation');
    await page.fill('#prompts', `${QUESTION}\n`);
    await submit(page, page.getByRole('button', { name: 'Save and preview' }));
    slug = path(page).split('/')[2];
    await submit(page, page.getByRole('button', { name: 'Open the exercise' }));
    // a confirmation after every change
    await flash(page, 'Exercise opened');
    await logOut(page);
    for (const text of ANSWERS) {
      const v = await newPage();
      await visit(v, at());
      await v.getByLabel(QUESTION).fill(text);
      await submit(v, v.getByRole('button', { name: 'Add your answer to question 1' }));
      await flash(v, 'Your contribution has been added');
      await v.context().close();
    }
  });

  test('Listen launch: on a phone a citizen votes one statement at a time, undoes and changes a vote', async (page, context, { newPage }) => {
    const phone = await newPage({ viewport: PHONE });
    await visit(phone, at());
    const cardBox = phone.locator('#vote');
    const progress = cardBox.locator('[data-vote-progress]');
    const body = cardBox.locator('[data-vote-body]');
    assert.equal((await progress.innerText()).trim(), 'Statement 1 of 5');
    const first = (await body.innerText()).trim();
    assert.ok(ANSWERS.includes(first), `the card shows an answer: ${first}`);

    // With JavaScript: the vote goes through the API; the page neither reloads nor jumps.
    await cardBox.scrollIntoViewIfNeeded();
    await phone.evaluate(() => {
      window.__stayed = true;
    });
    const before = await phone.evaluate(() => [window.scrollY, document.querySelector('#vote').getBoundingClientRect().top]);
    await cardBox.getByRole('button', { name: 'Agree', exact: true }).click();
    await cardBox.getByText('Your vote has been recorded. You agreed.').waitFor();
    assert.equal((await progress.innerText()).trim(), 'Statement 2 of 5');
    const second = (await body.innerText()).trim();
    assert.notEqual(second, first, 'the next statement is shown');
    const after = await phone.evaluate(() => [window.scrollY, document.querySelector('#vote').getBoundingClientRect().top, window.__stayed === true]);
    assert.equal(after[2], true, 'no page load: the vote went through the API');
    assert.ok(Math.abs(after[0] - before[0]) <= 2 && Math.abs(after[1] - before[1]) <= 2, `no scroll jump: ${before} then ${after}`);
    await noSidewaysScroll(phone, 'the exercise page after a vote');

    // Undo brings that statement back, to vote on afresh.
    await cardBox.getByRole('button', { name: /^Undo/ }).click();
    await cardBox.getByText('Your vote has been taken back.').waitFor();
    assert.equal((await body.innerText()).trim(), first);
    assert.equal((await progress.innerText()).trim(), 'Statement 1 of 5');
    await cardBox.getByRole('button', { name: 'Disagree', exact: true }).click();
    await cardBox.getByText('Your vote has been recorded. You disagreed.').waitFor();
    assert.equal(await phone.evaluate(() => window.__stayed === true), true);

    // Without JavaScript (the script answers nothing): the form posts, and the page comes back
    // on the voting card with the next statement and the confirmation.
    const plain = await newPage({ viewport: PHONE });
    await plain.route('**/assets/listen_vote.js', (r) => r.fulfill({ contentType: 'text/javascript', body: '' }));
    await visit(plain, at());
    const plainCard = plain.locator('#vote');
    const shown = (await plainCard.locator('[data-vote-body]').innerText()).trim();
    await submit(plain, plainCard.getByRole('button', { name: 'Pass', exact: true }));
    assert.equal(new URL(plain.url()).hash, '#vote', 'back at the voting card');
    await plainCard.getByText('Your vote has been recorded. You passed.').waitFor();
    assert.equal((await plainCard.locator('[data-vote-progress]').innerText()).trim(), 'Statement 2 of 5');
    assert.notEqual((await plainCard.locator('[data-vote-body]').innerText()).trim(), shown);
    const top = await plain.evaluate(() => document.querySelector('#vote').getBoundingClientRect().top);
    assert.ok(top >= -2 && top < 120, `the card is at the top of the screen, not 3,000 px down (${top})`);

    // "Your votes": the vote is listed, and can be changed there.
    await submit(phone, phone.getByRole('link', { name: 'Your votes' }).first());
    assert.equal(path(phone), at('/votes'));
    const mine = phone.locator('.nhsuk-card', { hasText: first });
    assert.match(await mine.innerText(), /You disagreed/);
    await submit(phone, mine.getByRole('button', { name: 'Agree', exact: true }));
    await flash(phone, 'Your vote has been recorded');
    assert.match(await phone.locator('.nhsuk-card', { hasText: first }).innerText(), /You agreed/);
    await noSidewaysScroll(phone, 'Your votes');
  });

  test('Listen launch: a facilitator sees why a contribution was reported and decides several at once', async (page, context, { newPage }) => {
    const v = await newPage({ viewport: PHONE });
    await visit(v, at());
    const target = v.locator('.ahp-contribution', { hasText: ANSWERS[4] });
    await target.locator('summary', { hasText: 'Report this to a moderator' }).click();
    await target.getByLabel('Why should a moderator look at it?').fill(REASON);
    await submit(v, target.getByRole('button', { name: 'Report to a moderator' }));
    await flash(v, 'A moderator will look at the contribution you flagged');

    const fac = await newPage({ viewport: PHONE });
    await logIn(fac, FACILITATOR);
    await visit(fac, at('/moderate?filter=flagged'));
    const item = fac.locator('.nhsuk-card', { hasText: ANSWERS[4] });
    await item.getByText('Why people reported it').waitFor();
    await item.getByText(REASON).waitFor();
    await item.getByText(QUESTION).waitFor();
    await noSidewaysScroll(fac, 'the moderation queue');

    // Two ticked, one decision, back at the same place with a confirmation.
    await visit(fac, at('/moderate?filter=approved'));
    for (const text of [ANSWERS[0], ANSWERS[1]])
      await fac.locator('.nhsuk-card', { hasText: text }).getByLabel(/Tick to decide with others/).check();
    await submit(fac, fac.getByRole('button', { name: 'Approve the ticked contributions' }));
    await flash(fac, 'The contributions you ticked have been approved');
    assert.equal(path(fac), at('/moderate'));
    assert.equal(new URL(fac.url()).searchParams.get('filter'), 'approved', 'the same filter');
  });

  test('Listen launch: after publication the report is found from the exercise and the list', async (page, context, { newPage }) => {
    await logIn(page, FACILITATOR);
    // the analysis: queued from its page, run by the server's worker
    await visit(page, at('/analysis'));
    await submit(page, page.getByRole('button', { name: 'Run the analysis again' }));
    for (let i = 0; i < 60 && (await page.locator('#theme-0').count()) === 0; i++) {
      await new Promise((r) => setTimeout(r, 500));
      await visit(page, at('/analysis'));
    }
    await page.locator('#theme-0').waitFor();
    // five contributions are too few for themes, and the page says so
    await page.locator('.nhsuk-warning-callout', { hasText: 'Too little to analyse' }).waitFor();

    // "You said, we did" is not public before publication
    const early = await newPage();
    await visit(early, at('/actions'), 404);
    await early.getByText('have not been published yet').waitFor();

    // closing asks first
    await visit(page, at());
    await submit(page, page.getByRole('button', { name: 'Close the exercise' }));
    await submit(page, page.getByRole('button', { name: 'Yes, close the exercise' }));
    await flash(page, 'Exercise closed');
    await visit(page, at('/report'));
    await submit(page, page.getByRole('button', { name: 'Publish this report' }));
    await flash(page, 'The report has been published');
    await logOut(page);

    // A visitor on a phone: the exercise says what happened next and leads to both pages.
    const v = await newPage({ viewport: PHONE });
    await visit(v, at());
    const next = v.locator('#results');
    await next.getByRole('heading', { name: 'What happened next' }).waitFor();
    await submit(v, next.getByRole('link', { name: 'What we heard' }));
    assert.equal(path(v), at('/report'));
    await noSidewaysScroll(v, 'the report');
    // the chart scales to the screen: nothing of it is hidden to the side
    // (five people's themes are all *: then no chart, and the page says why)
    if (await v.locator('#themes-too-small').count() === 0) {
      const fig = await v.locator('figure.ahp-figure').first().evaluate((f) => [f.scrollWidth, f.clientWidth, f.scrollHeight, f.clientHeight, getComputedStyle(f).overflowX, getComputedStyle(f).overflowY]);
      assert.ok(fig[0] <= fig[1] + 1, `the theme chart fits the width: ${fig}`);
    }
    await visit(v, at());
    await submit(v, v.locator('#results').getByRole('link', { name: 'You said, we did' }));
    assert.equal(path(v), at('/actions'));
    // and the list says "Results published"
    await visit(v, '/listen');
    const entry = v.locator('.nhsuk-card', { hasText: TITLE });
    await entry.getByText('Results published').waitFor();
    await submit(v, entry.getByRole('link', { name: /^What we heard/ }));
    assert.equal(path(v), at('/report'));
  });

  test('Listen launch: no Listen page scrolls sideways at 320 px', async (page, context, { newPage }) => {
    const anon = await newPage({ viewport: NARROW });
    for (const p of ['/listen', at(), at('/report'), at('/actions'), at('/votes'), at('/mine')]) {
      await visit(anon, p);
      await noSidewaysScroll(anon, p);
    }
    const fac = await newPage({ viewport: NARROW });
    await logIn(fac, FACILITATOR);
    for (const p of [at(), at('/analysis'), at('/moderate?filter=all'), at('/report'), at('/actions'), at('/edit'), at('/facilitators')]) {
      await visit(fac, p);
      await noSidewaysScroll(fac, `${p} (facilitator)`);
    }
    // and at 1280 px nothing changes: the same pages, no sideways scroll
    await visit(page, at('/report'));
    await noSidewaysScroll(page, 'the report at 1280 px');
  });
}
