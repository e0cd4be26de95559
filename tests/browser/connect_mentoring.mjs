// connect_mentoring.mjs: browser tests for Connect's mentoring, on 390 px phones.
//
// Registered by run.mjs, which owns the server, the browser and the checks every page gets
// (axe-core and tidy, through visit() and submit()). A mentee and a mentor set up their
// profiles on their phones; a programme lead puts them in a cohort, creates a round and runs
// it; the mentee reads why the match was made and accepts, the mentor accepts, and the
// mentee logs a meeting — first with a date that does not exist, which comes back with its
// message and what was typed — without any page scrolling sideways.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FACILITATOR } from './listen.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = resolve(process.env.AHPHUB_BIN || join(ROOT, 'build', 'ahphub'));
const PHONE = { width: 390, height: 844 };
const path = (page) => new URL(page.url()).pathname;

export const MENTEE = { email: 'mentee.connect@example.test', name: 'Mia Mentee', password: 'mentee password for the browser tests' };
export const MENTOR = { email: 'mentor.connect@example.test', name: 'Max Mentor', password: 'mentor password for the browser tests' };

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

function sqlite(dbFile, sql) {
  const r = spawnSync('sqlite3', [dbFile, sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, `sqlite3: ${r.stderr}`);
  return r.stdout.trim();
}

function addUser(dbFile, who) {
  const r = spawnSync(BIN, ['user', 'add', who.email, '--role', 'member', '--name', who.name, '--db', `sqlite:${dbFile}`], {
    input: `${who.password}\n`,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, `user add ${who.email}: ${r.stderr}`);
}

export function registerConnectMentoringTests({ test, visit, submit, logIn, dbFile }) {
  test('Connect: a mentee and a mentor accept a match and log a meeting on their phones', async (page, context, { newPage }) => {
    const db = dbFile();
    addUser(db, MENTEE);
    addUser(db, MENTOR);

    // The mentee sets up their profile: looking for a mentor in research and digital.
    const mentee = await newPage({ viewport: PHONE });
    await logIn(mentee, MENTEE);
    // Profession is the account's, set on the account page; Connect shows it.
    await visit(mentee, '/account');
    await mentee.selectOption('#profession', 'physiotherapist');
    await submit(mentee, mentee.getByRole('button', { name: 'Save your details' }));
    await visit(mentee, '/connect');
    await noSideways(mentee);
    await submit(mentee, mentee.getByRole('link', { name: 'Set up your profile' }));
    await noSideways(mentee);
    await mentee.check('#matching');
    await mentee.selectOption('#band', '6');
    await mentee.locator('main', { hasText: 'Physiotherapist' }).waitFor();
    await mentee.check('input[name="seeks_kind"][value="mentoring"]');
    await mentee.check('input[name="seeks.research"]');
    await mentee.check('input[name="seeks.digital"]');
    await mentee.check('input[name="preference"][value="other"]');
    await submit(mentee, mentee.getByRole('button', { name: 'Save your profile' }));
    assert.equal(path(mentee), '/connect');
    await mentee.locator('.nhsuk-notification-banner--success, .nhsuk-notification-banner', { hasText: 'Your profile for connecting has been saved' }).first().waitFor();

    // The mentor offers mentoring in the same areas and lists themselves as a digital lead.
    const mentor = await newPage({ viewport: PHONE });
    await logIn(mentor, MENTOR);
    await visit(mentor, '/account');
    await mentor.selectOption('#profession', 'radiographer');
    await submit(mentor, mentor.getByRole('button', { name: 'Save your details' }));
    await visit(mentor, '/connect/profile');
    await mentor.check('#matching');
    await mentor.check('#in_directory');
    await mentor.selectOption('#directory_role', 'digital-lead');
    await mentor.selectOption('#band', '8a');
    await mentor.check('#offers_mentoring');
    await mentor.check('input[name="offers.research"]');
    await mentor.check('input[name="offers.digital"]');
    await mentor.fill('#max_mentees', '1');
    await submit(mentor, mentor.getByRole('button', { name: 'Save your profile' }));
    assert.equal(path(mentor), '/connect');
    await visit(mentor, '/connect/directory?role=digital-lead');
    await mentor.locator('main', { hasText: MENTOR.email }).waitFor();
    await noSideways(mentor);

    // The programme lead's cohort (cohorts are made by leads elsewhere; here, directly).
    sqlite(db, "INSERT INTO cohorts (name, created_at, updated_at) VALUES ('Browser mentoring cohort', 1, 1)");
    sqlite(db, `INSERT INTO cohort_members (cohort_id, user_id, added_at) SELECT c.id, u.id, 1 FROM cohorts c, users u
                WHERE c.name = 'Browser mentoring cohort' AND u.email IN ('${MENTEE.email}', '${MENTOR.email}')`);
    await logIn(page, FACILITATOR);
    await visit(page, '/connect/rounds');
    await page.fill('#name', 'Browser round');
    await page.selectOption('#cohort', { label: 'Browser mentoring cohort (2 members)' });
    await submit(page, page.getByRole('button', { name: 'Create the round' }));
    assert.match(path(page), /^\/connect\/rounds\/\d+$/);
    await submit(page, page.getByRole('button', { name: 'Run the round' }));
    await page.locator('main', { hasText: 'Mia Mentee with Max Mentor' }).waitFor();
    await page.locator('main', { hasText: '2 goals met' }).first().waitFor();

    // The mentee reads why, and accepts.
    await visit(mentee, '/connect');
    await submit(mentee, mentee.getByRole('link', { name: /Mentoring with Max Mentor/ }));
    assert.match(path(mentee), /^\/connect\/matches\/\d+$/);
    await noSideways(mentee);
    const why = await mentee.locator('.nhsuk-summary-list__row', { hasText: 'Why this match' }).innerText();
    assert.match(why, /2 goals met: /);
    assert.match(why, /Research/);
    assert.match(why, /Digital/);
    assert.match(why, /another profession as asked/);
    await submit(mentee, mentee.getByRole('button', { name: 'Accept this match' }));
    await mentee.locator('main', { hasText: 'Waiting for Max Mentor' }).waitFor();

    // The mentor accepts: the relationship begins.
    await visit(mentor, '/connect');
    await submit(mentor, mentor.getByRole('link', { name: /Mentoring with Mia Mentee/ }));
    await submit(mentor, mentor.getByRole('button', { name: 'Accept this match' }));
    assert.match(path(mentor), /^\/connect\/relationships\/\d+$/);
    await noSideways(mentor);
    const rel = path(mentor);

    // The mentee logs a meeting: a date that does not exist first.
    await visit(mentee, rel);
    await mentee.fill('#met_on-day', '31');
    await mentee.fill('#met_on-month', '2');
    await mentee.fill('#met_on-year', '2026');
    await mentee.fill('#hours', '1.5');
    await submit(mentee, mentee.getByRole('button', { name: 'Log the meeting' }), 400);
    const link = mentee.locator('.nhsuk-error-summary a', { hasText: 'must be a real date' });
    assert.equal(await link.count(), 1);
    assert.equal(await link.getAttribute('href'), '#met_on');
    assert.equal(await mentee.inputValue('#met_on-day'), '31', 'the day comes back as typed');
    assert.equal(await mentee.inputValue('#hours'), '1.5', 'the hours come back as typed');
    await noSideways(mentee);
    const today = new Date();
    await mentee.fill('#met_on-day', String(today.getUTCDate()));
    await mentee.fill('#met_on-month', String(today.getUTCMonth() + 1));
    await mentee.fill('#met_on-year', String(today.getUTCFullYear()));
    await submit(mentee, mentee.getByRole('button', { name: 'Log the meeting' }));
    assert.equal(path(mentee), rel);
    await mentee.locator('main li', { hasText: '1 hour 30 minutes' }).waitFor();
    await mentee.locator('main', { hasText: '1 meeting, 1 hour 30 minutes' }).first().waitFor();
    await noSideways(mentee);
    assert.equal(sqlite(db, 'SELECT SUM(minutes) FROM connect_meetings'), '90');
  });
}
