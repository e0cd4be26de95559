// plain_date.mjs: a form's NHS.UK date input on a 320 px phone with JavaScript off — a helper
// for the browser tests of the forms that use the shared date input (src/web/date_input.c),
// not a test itself, so run.mjs does not register it.
//
// The forms must work without JavaScript and fit a 320 px screen (WCAG 1.4.10) when they come
// back with a mistake as well as when they are new. checkDateAt320() opens a form in a context
// of its own, without JavaScript and logged in as the given page is, sends a date with a part
// left out, then a day of 300 characters (which the request layer refuses), and checks each
// answer: 400, the error summary's one link for the date going to the box it names, the
// message beside the date, what was typed kept, only that box marked, and no sideways scroll.
// axe-core and tidy need JavaScript, so they run on the same pages in the tests' own steps.

import assert from 'node:assert/strict';

// Sends the form by its button without JavaScript; the answer's status.
async function send(page, buttonName) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.request().resourceType() === 'document'),
    page.getByRole('button', { name: buttonName, exact: true }).click(),
  ]);
  await page.waitForLoadState();
  return response.status();
}

async function sideways(page) {
  return page.evaluate(() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth));
}

// date: { day, month, year } selectors of the boxes; fields: other boxes to fill ({selector:
// value}); missing: the link a month left out gives (the month's box, or the date's own field);
// day: the link a refused day gives (its box's name).
export async function checkDateAt320(loggedIn, url, { date, fields = {}, button, missing, day }) {
  const context = await loggedIn.context().browser().newContext({
    javaScriptEnabled: false,
    viewport: { width: 320, height: 640 },
    storageState: await loggedIn.context().storageState(),
  });
  try {
    const page = await context.newPage();
    const fill = async (values) => {
      for (const [sel, v] of Object.entries({ ...fields, ...values })) await page.fill(sel, v);
    };
    const answer = await page.goto(new URL(url, loggedIn.url()).href);
    assert.equal(answer.status(), 200, `${url} without JavaScript`);
    assert.equal(await sideways(page), 0, `${url} scrolls sideways at 320 px`);
    const year = String(new Date().getUTCFullYear() + 1);

    // a month left out: its message, linked, and the month marked
    await fill({ [date.day]: '3', [date.month]: '', [date.year]: year });
    assert.equal(await send(page, button), 400);
    const link = page.locator(`.nhsuk-error-summary a[href="#${missing}"]`);
    assert.equal(await link.count(), 1, `one link to #${missing}`);
    assert.match(await link.innerText(), /must include a month/);
    assert.equal(await page.locator('.nhsuk-date-input .nhsuk-input--error').count(), 1, 'one box marked');
    assert.ok(await page.locator(`${date.month}.nhsuk-input--error`).count(), 'the month marked');
    assert.equal(await page.inputValue(date.day), '3');
    assert.equal(await sideways(page), 0, `${url} with a mistake scrolls sideways at 320 px`);

    // a day of 300 characters: the request layer's message alone, the day as typed
    const long = 'x'.repeat(300);
    await fill({ [date.day]: long, [date.month]: '3', [date.year]: year });
    assert.equal(await send(page, button), 400);
    const refused = page.locator(`.nhsuk-error-summary a[href="#${day}"]`);
    assert.equal(await refused.count(), 1, `one link to #${day}`);
    const message = (await refused.innerText()).trim();
    assert.match(message, /characters or fewer/);
    assert.equal(await page.locator(`#${day}`).count(), 1, `the link to #${day} lands`);
    assert.equal(await page.locator('.nhsuk-error-summary a', { hasText: /date/i }).count(), 0, 'no other message for the date');
    assert.equal((await page.locator('.nhsuk-date-input').locator('xpath=../..').locator('.nhsuk-error-message').innerText()).replace(/^Error:\s*/, ''), message);
    assert.equal(await page.inputValue(date.day), long);
    assert.ok(await page.locator(`${date.day}.nhsuk-input--error`).count(), 'the day marked');
    assert.equal(await page.locator('.nhsuk-date-input .nhsuk-input--error').count(), 1, 'only the day marked');
    assert.equal(await sideways(page), 0, `${url} with a refused day scrolls sideways at 320 px`);
  } finally {
    await context.close();
  }
}
