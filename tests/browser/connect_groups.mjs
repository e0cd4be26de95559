// connect_groups.mjs: browser tests for Connect's regional interest groups.
//
// Registered by run.mjs, which owns the server, the browser and the checks every page gets
// (axe-core and tidy, through visit() and submit()). A facilitator creates a members-only
// group and starts a discussion; a member on a 390 px phone finds the group, sees only its
// join page, joins, reads the discussion, replies (an empty reply first comes back with its
// message), changes and deletes it, leaves the group and still changes and deletes a reply
// of theirs from the groups page (which, with those pages, fits 320 px without JavaScript),
// and downloads the event's calendar file, without the page scrolling sideways. The event
// form with a date mistake fits 320 px without JavaScript (plain_date.mjs).

import assert from 'node:assert/strict';
import { FACILITATOR } from './listen.mjs';
import { RESPONDENT } from './assess.mjs';
import { checkDateAt320 } from './plain_date.mjs';

const PHONE = { width: 390, height: 844 };
const path = (page) => new URL(page.url()).pathname;

async function noSideways(page) {
  const s = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [];
    for (const el of document.querySelectorAll('main *')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > width + 1) wide.push(`${el.tagName.toLowerCase()}.${el.className || ''}`);
    }
    return { overflow: document.documentElement.scrollWidth - width, wide: wide.slice(0, 5) };
  });
  assert.ok(s.overflow <= 0 && s.wide.length === 0, `${path(page)} scrolls sideways: ${s.wide.join(', ')}`);
}

export function registerConnectGroupTests({ test, visit, submit, logIn }) {
  test('Connect: a member joins a regional group and replies on a phone', async (page, context, { newPage }) => {
    // The facilitator creates the group, starts a discussion and adds an event.
    await logIn(page, FACILITATOR);
    await visit(page, '/connect/groups/new');
    await page.fill('#name', 'Yorkshire digital AHP group');
    await page.fill('#description', 'For AHPs in Yorkshire who lead or use digital.');
    await page.selectOption('#region', 'north-east-yorkshire');
    await page.selectOption('#topic', 'digital');
    await page.locator('label[for="visibility-members"]').click();
    await submit(page, page.getByRole('button', { name: 'Create the group' }));
    const m = path(page).match(/^\/connect\/groups\/(\d+)$/);
    assert.ok(m, `created: ${path(page)}`);
    const group = m[1];
    await submit(page, page.getByRole('link', { name: 'Start a discussion' }));
    await page.fill('#title', 'Who is your clinical safety officer?');
    await page.fill('#body', 'We need a **CSO** for our new referral system. Who do you use?');
    await submit(page, page.getByRole('button', { name: 'Post the discussion' }));
    const thread = path(page);
    assert.match(thread, /^\/connect\/threads\/\d+$/);
    await visit(page, `/connect/groups/${group}/events/new`);
    await page.fill('#title', 'Digital leads lunch and learn');
    await page.fill('#day', '15');
    await page.fill('#year', String(new Date().getUTCFullYear() + 1));
    await page.fill('#start_time', '12:30');
    await page.fill('#end_time', '13:30');
    await page.fill('#link', 'https://meet.example.org/yorkshire');
    await page.fill('#description', 'Bring your lunch.');
    // the month left out: linked from the summary to its box, the only one marked
    await submit(page, page.getByRole('button', { name: 'Add the event' }), 400);
    await page.locator('.nhsuk-error-summary a[href="#month"]', { hasText: 'The date of the event must include a month' }).waitFor();
    assert.equal(await page.locator('.nhsuk-date-input .nhsuk-input--error').count(), 1);
    assert.equal(await page.inputValue('#day'), '15');
    await page.fill('#month', '7');
    await submit(page, page.getByRole('button', { name: 'Add the event' }));
    const event = path(page);
    assert.match(event, /^\/connect\/events\/\d+$/);
    // the event's form, new and changing, with a date mistake: 320 px, no JavaScript
    const eventDate = {
      date: { day: '#day', month: '#month', year: '#year' },
      fields: { '#title': 'Checked at 320 px', '#start_time': '10:00', '#end_time': '11:00', '#place': 'Leeds' },
      missing: 'month',
      day: 'day',
    };
    await checkDateAt320(page, `/connect/groups/${group}/events/new`, { ...eventDate, button: 'Add the event' });
    await checkDateAt320(page, `${event}/edit`, { ...eventDate, button: 'Save the changes' });

    // The member, on a phone, finds it and sees only its join page.
    const phone = await newPage({ viewport: PHONE });
    await logIn(phone, RESPONDENT);
    await visit(phone, '/connect/groups?region=north-east-yorkshire');
    await noSideways(phone);
    await submit(phone, phone.getByRole('link', { name: 'Yorkshire digital AHP group' }));
    assert.equal(path(phone), `/connect/groups/${group}`);
    assert.equal(await phone.getByText('Who is your clinical safety officer?').count(), 0, 'a non-member sees no discussions');
    await visit(phone, thread, 404);
    await visit(phone, `/connect/groups/${group}`);
    await submit(phone, phone.getByRole('button', { name: 'Join this group' }));
    await phone.locator('.nhsuk-notification-banner--success', { hasText: 'You have joined the group' }).waitFor();
    await noSideways(phone);

    // Reads the discussion and replies; an empty reply comes back with its message.
    await submit(phone, phone.getByRole('link', { name: 'Who is your clinical safety officer?' }));
    assert.equal(path(phone), thread);
    assert.equal(await phone.locator('main strong', { hasText: 'CSO' }).count(), 1, 'Markdown is rendered');
    await submit(phone, phone.getByRole('button', { name: 'Post your reply' }), 400);
    await phone.locator('.nhsuk-error-summary a', { hasText: 'Enter your message' }).waitFor();
    await phone.fill('#body', 'Ours is in the digital team, I can put you in touch.');
    await submit(phone, phone.getByRole('button', { name: 'Post your reply' }));
    assert.equal(path(phone), thread);
    await phone.locator('.nhsuk-notification-banner--success', { hasText: 'Your reply has been posted' }).waitFor();
    await phone.getByText('Ours is in the digital team, I can put you in touch.').waitFor();
    await noSideways(phone);

    // Changes the reply, then deletes it after the page that asks first; the thread says so
    // in its place.
    await submit(phone, phone.getByRole('link', { name: /^Change your post/ }));
    assert.equal(await phone.inputValue('#body'), 'Ours is in the digital team, I can put you in touch.', 'the form holds the post');
    await noSideways(phone);
    await phone.fill('#body', 'Ours is in the **digital** team.');
    await submit(phone, phone.getByRole('button', { name: 'Save your post' }));
    assert.equal(path(phone), thread);
    await phone.locator('.nhsuk-notification-banner--success', { hasText: 'Your post has been changed' }).waitFor();
    await phone.getByText(/ · edited /).waitFor();
    await submit(phone, phone.getByRole('link', { name: /^Delete your post/ }));
    await phone.getByText('you cannot undo this').waitFor();
    await noSideways(phone);
    await submit(phone, phone.getByRole('button', { name: 'Delete your post' }));
    assert.equal(path(phone), thread);
    await phone.getByText('This post was deleted by its author.').waitFor();
    assert.equal(await phone.getByText('Ours is in the').count(), 0, 'the text is gone');
    await noSideways(phone);

    // The event and its calendar file.
    await visit(phone, event);
    await noSideways(phone);
    const ics = await phone.request.get(`${new URL(phone.url()).origin}${event}/event.ics`);
    assert.equal(ics.status(), 200);
    const text = await ics.text();
    assert.ok(text.startsWith('BEGIN:VCALENDAR\r\n') && text.endsWith('END:VCALENDAR\r\n'), 'an iCalendar file');
    assert.match(text, /\r\nSUMMARY:Digital leads lunch and learn\r\n/);
    assert.match(text, /\r\nDTSTART:\d{8}T113000Z\r\n/, '12:30 UK summer time is 11:30 UTC');
    assert.match(text, /\r\nSEQUENCE:0\r\n/);

    // The facilitator moves it an hour later, then cancels it; the member's page and
    // calendar file follow, with the same UID.
    await visit(page, event);
    await submit(page, page.getByRole('link', { name: /^Change the event/ }));
    assert.equal(await page.inputValue('#start_time'), '12:30', 'the form holds the event as it stands');
    await page.fill('#start_time', '13:30');
    await page.fill('#end_time', '14:30');
    await submit(page, page.getByRole('button', { name: 'Save the changes' }));
    assert.equal(path(page), event);
    await page.locator('.nhsuk-notification-banner--success', { hasText: 'The event has been changed' }).waitFor();
    await submit(page, page.getByRole('link', { name: /^Cancel the event/ }));
    await submit(page, page.getByRole('button', { name: 'Cancel the event' }));
    await page.locator('.nhsuk-notification-banner--success', { hasText: 'The event has been cancelled' }).waitFor();
    await visit(phone, event);
    await phone.getByText('This event has been cancelled').waitFor();
    await noSideways(phone);
    const after = await (await phone.request.get(`${new URL(phone.url()).origin}${event}/event.ics`)).text();
    assert.equal(after.match(/\r\nUID:[^\r]*/)[0], text.match(/\r\nUID:[^\r]*/)[0], 'the same calendar entry');
    assert.match(after, /\r\nSEQUENCE:2\r\n/);
    assert.match(after, /\r\nSTATUS:CANCELLED\r\n/);
    assert.match(after, /\r\nDTSTART:\d{8}T123000Z\r\n/, 'moved to 13:30 UK time');

    // Another reply, then the member leaves the members-only group: the groups page lists
    // the post, to change or delete without joining again, and its pages show it alone (no
    // discussion title or link) and lead back to the list; checked at 320 px without
    // JavaScript too.
    await visit(phone, thread);
    await phone.fill('#body', 'A reply I will change after leaving.');
    await submit(phone, phone.getByRole('button', { name: 'Post your reply' }));
    await visit(phone, `/connect/groups/${group}`);
    await submit(phone, phone.getByRole('button', { name: 'Leave this group' }));
    await phone.locator('.nhsuk-notification-banner--success', { hasText: 'You have left the group' }).waitFor();
    await visit(phone, thread, 404);
    await visit(phone, '/connect/groups');
    await phone.getByRole('heading', { name: 'Your posts in groups you have left' }).waitFor();
    await phone.getByText('A reply I will change after leaving.').waitFor();
    assert.equal(await phone.getByText('Who is your clinical safety officer?').count(), 0, 'no discussion title');
    await noSideways(phone);
    await submit(phone, phone.locator('#left-posts ~ ul a', { hasText: 'Change' }).first());
    assert.match(path(phone), /^\/connect\/posts\/\d+\/edit$/);
    const leftEdit = path(phone);
    assert.equal(await phone.getByText('Who is your clinical safety officer?').count(), 0, 'no discussion title');
    assert.equal(await phone.locator(`a[href^="${thread}"]`).count(), 0, 'no link into the discussion');
    await noSideways(phone);
    {
      const plain = await phone.context().browser().newContext({
        javaScriptEnabled: false,
        viewport: { width: 320, height: 640 },
        storageState: await phone.context().storageState(),
      });
      try {
        const p320 = await plain.newPage();
        for (const url of ['/connect/groups', leftEdit, leftEdit.replace(/edit$/, 'delete')]) {
          const answer = await p320.goto(new URL(url, phone.url()).href);
          assert.equal(answer.status(), 200, `${url} without JavaScript`);
          const wide = await p320.evaluate(() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth));
          assert.equal(wide, 0, `${url} scrolls sideways at 320 px`);
        }
      } finally {
        await plain.close();
      }
    }
    await phone.fill('#body', 'Changed after leaving.');
    await submit(phone, phone.getByRole('button', { name: 'Save your post' }));
    assert.equal(path(phone), '/connect/groups');
    await phone.locator('.nhsuk-notification-banner--success', { hasText: 'Your post has been changed' }).waitFor();
    await phone.getByText('Changed after leaving.').waitFor();
    await submit(phone, phone.locator('#left-posts ~ ul a', { hasText: 'Delete' }).first());
    await phone.getByText('you cannot undo this').waitFor();
    await noSideways(phone);
    await submit(phone, phone.getByRole('button', { name: 'Delete your post' }));
    assert.equal(path(phone), '/connect/groups');
    await phone.locator('.nhsuk-notification-banner--success', { hasText: 'Your post has been deleted' }).waitFor();
    assert.equal(await phone.getByText('Changed after leaving.').count(), 0, 'deleted, so no longer listed');
    await phone.close();
  });
}
