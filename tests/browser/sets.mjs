// sets.mjs: browser tests for Connect's action learning sets.
//
// Registered by run.mjs, which owns the server, the browser and the checks every page gets
// (axe-core and tidy, through visit() and submit()). A programme lead on a 390 px phone splits
// a cohort of twelve into sets, gets a pasted keep-apart pair wrong and then right, tries a
// move the rules refuse and one they allow, publishes, names the member as a set's facilitator
// and plans a meeting with a date that is wrong and then right; the member finds "Your set"
// on their home page on a 320 px phone and records a meeting held with its theme. No page
// scrolls sideways.
//
// The cohort is written straight into the throw-away database (cohort pages are not part of
// this journey): ten people without passwords across professions and organisations, and two
// members this test makes with `ahphub user add`.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkDateAt320 } from './plain_date.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = resolve(process.env.AHPHUB_BIN || join(ROOT, 'build', 'ahphub'));
// Two members of their own, so that no other test's change of password reaches this one.
const MEMBER = { email: 'set.member@example.test', name: 'Sam Set', password: 'a password for the set member' };
const OTHER = { email: 'set.other@example.test', name: 'Olu Other', password: 'a password for the other member' };

const PHONE = { width: 390, height: 844 };
const SMALL = { width: 320, height: 740 };
const COHORT = 'Browser action learning cohort';
const path = (page) => new URL(page.url()).pathname;
const flash = (page, text) => page.locator('.nhsuk-notification-banner--success', { hasText: text }).waitFor();

function sql(dbFile, text) {
  const r = spawnSync('sqlite3', [dbFile, text], { encoding: 'utf8' });
  assert.equal(r.status, 0, `sqlite3: ${r.stderr}`);
  return r.stdout.trim();
}

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

function makeCohort(dbFile, emails) {
  const profs = ['physiotherapist', 'occupational-therapist', 'dietitian', 'paramedic', 'podiatrist'];
  let stmts = "INSERT INTO organisations (name, region, created_at) VALUES ('Browser Trust A', 'london', 0), ('Browser Trust B', 'london', 0);";
  for (let i = 0; i < 10; i++)
    stmts += `INSERT INTO users (email, display_name, role, profession, region, organisation_id, password_hash, created_at, updated_at) VALUES ('set.person.${i}@example.test', 'Set Person ${i}', 'member', '${profs[i % 5]}', 'london', (SELECT id FROM organisations WHERE name = 'Browser Trust ${i % 2 ? 'A' : 'B'}'), '', 0, 0);`;
  stmts += `INSERT INTO cohorts (name, description, created_at, updated_at) VALUES ('${COHORT}', '', 0, 0);`;
  stmts += `INSERT INTO cohort_members (cohort_id, user_id, added_at) SELECT c.id, u.id, 0 FROM cohorts c, users u WHERE c.name = '${COHORT}' AND (u.email LIKE 'set.person.%' OR u.email IN (${emails.map((e) => `'${e}'`).join(', ')}));`;
  sql(dbFile, stmts);
}

function addUser(dbFile, who) {
  const r = spawnSync(BIN, ['user', 'add', who.email, '--role', 'member', '--name', who.name, '--db', `sqlite:${dbFile}`], {
    input: `${who.password}\n`,
    encoding: 'utf8',
    timeout: 60000,
  });
  assert.equal(r.status, 0, `ahphub user add ${who.email}: ${r.stderr || r.stdout}`);
}

export function registerSetsTests({ test, visit, submit, logIn, lead, dbFile }) {
  const member = MEMBER;
  const other = OTHER;
  test('Connect: a programme lead splits a cohort into sets on a phone; the member finds their set', async (page, context, { newPage }) => {
    addUser(dbFile(), member);
    addUser(dbFile(), other);
    makeCohort(dbFile(), [member.email, other.email]);
    const phone = await newPage({ viewport: PHONE });
    await logIn(phone, lead);
    await visit(phone, '/connect/sets');
    await noSideways(phone);
    await submit(phone, phone.getByRole('link', { name: 'Split a cohort into sets' }));
    await noSideways(phone);

    // A pasted pair naming someone outside the cohort: refused, the text kept.
    await phone.selectOption('#cohort', { label: `${COHORT} (12 members)` });
    await phone.selectOption('#target', '6');
    await phone.fill('#apart', `${member.email}, ${other.email}\nset.person.0@example.test, nobody@example.test`);
    await phone.fill('#seed', '42');
    await submit(phone, phone.getByRole('button', { name: 'Split into sets' }), 400);
    await phone.locator('.nhsuk-error-summary a', { hasText: 'nobody@example.test is not in this cohort' }).waitFor();
    assert.match(await phone.locator('#apart').inputValue(), /nobody@example\.test/);
    await noSideways(phone);
    await phone.fill('#apart', `${member.email}, ${other.email}`);
    await submit(phone, phone.getByRole('button', { name: 'Split into sets' }));
    assert.match(path(phone), /^\/connect\/sets\/\d+$/);
    await flash(phone, 'The cohort has been split into sets');
    await noSideways(phone);
    const splitPath = path(phone);
    assert.equal(await phone.locator('.nhsuk-card h3', { hasText: /^Set \d$/ }).count(), 2);
    assert.ok((await phone.locator('main').innerText()).includes('1 pair of people never shares a set'));

    // The member and the other member are in different sets: moving one to the other's is refused.
    const setOf = async (email) => {
      const card = phone.locator('.nhsuk-card', { hasText: email });
      return (await card.locator('h3').innerText()).replace('Set ', '');
    };
    const memberSet = await setOf(member.email);
    const otherSet = await setOf(other.email);
    assert.notEqual(memberSet, otherSet, 'kept apart');
    await phone.fill('#email', member.email);
    await phone.fill('#to', otherSet);
    await submit(phone, phone.getByRole('button', { name: 'Move', exact: true }), 400);
    await phone.locator('.nhsuk-error-summary a', { hasText: 'must be kept apart from someone in set' }).waitFor();
    await noSideways(phone);
    // Someone else may move: six and six become five and seven.
    const mover = await phone.locator(`#set-${memberSet} li`, { hasText: 'set.person.' }).first().locator('span.ahp-u-break').innerText();
    await phone.fill('#email', mover);
    await phone.fill('#to', otherSet);
    await submit(phone, phone.getByRole('button', { name: 'Move', exact: true }));
    await flash(phone, 'The member has been moved');
    assert.equal(await setOf(mover), otherSet);

    await submit(phone, phone.getByRole('button', { name: 'Publish the sets to their members' }));
    await flash(phone, 'Members can now see their set');
    assert.equal(path(phone), splitPath);

    // The member's set: a facilitator, and a meeting date that is wrong, then right.
    await submit(phone, phone.getByRole('link', { name: `Set ${memberSet}`, exact: true }));
    await noSideways(phone);
    await phone.fill('#email', member.email);
    await submit(phone, phone.getByRole('button', { name: 'Save the facilitator' }));
    await flash(phone, 'The facilitator has been saved');
    await phone.fill('#day', '31');
    await phone.fill('#month', '6');
    await phone.fill('#year', '2027');
    await submit(phone, phone.getByRole('button', { name: 'Save the meeting' }), 400);
    await phone.locator('.nhsuk-error-summary a', { hasText: 'The date of the meeting must be a real date' }).waitFor();
    assert.equal(await phone.locator('#day').inputValue(), '31');
    await noSideways(phone);
    await phone.fill('#day', '30');
    await submit(phone, phone.getByRole('button', { name: 'Save the meeting' }));
    await flash(phone, 'The meeting has been added to the schedule');
    await phone.locator('main li', { hasText: '30 June 2027' }).waitFor();
    // the meeting's date with a mistake: 320 px, no JavaScript
    await checkDateAt320(phone, path(phone), {
      date: { day: '#day', month: '#month', year: '#year' },
      button: 'Save the meeting',
      missing: 'month',
      day: 'day',
    });

    // The member, who facilitates the set, finds it from their home page and records a meeting.
    const mine = await newPage({ viewport: SMALL });
    await logIn(mine, member);
    await mine.locator('main h2', { hasText: 'Your set' }).waitFor();
    await submit(mine, mine.getByRole('link', { name: new RegExp(`^Set ${memberSet} of `) }));
    await noSideways(mine);
    await mine.getByRole('heading', { level: 1, name: new RegExp(`Your set: set ${memberSet}`) }).waitFor();
    await mine.locator('.nhsuk-inset-text', { hasText: 'What is said in a set stays there' }).waitFor();
    assert.equal(await mine.locator('main', { hasText: 'set.person.' }).count(), 0, 'no addresses shown to members');
    await mine.fill('#day', '2');
    await mine.fill('#month', '12');
    await mine.fill('#year', '2026');
    await mine.check('#held');
    await submit(mine, mine.getByRole('button', { name: 'Save the meeting' }), 400);
    await mine.locator('.nhsuk-error-summary a', { hasText: 'Enter the theme of the meeting' }).waitFor();
    assert.ok(await mine.locator('#held').isChecked(), 'the box comes back ticked');
    await mine.fill('#theme', 'Leading change across professions');
    await submit(mine, mine.getByRole('button', { name: 'Save the meeting' }));
    await flash(mine, 'The meeting has been recorded');
    await mine.locator('.nhsuk-summary-list__row', { hasText: 'Leading change across professions' }).waitFor();

    // The other member sees their own set, not the member's.
    const theirs = await newPage({ viewport: PHONE });
    await logIn(theirs, other);
    await visit(theirs, '/connect/sets');
    await theirs.locator('.nhsuk-card h3', { hasText: `Set ${otherSet}` }).waitFor();
    await visit(theirs, `${splitPath}/set/${memberSet}`, 404);

    // They leave their set after the page that asks first, and no longer see it.
    await visit(theirs, `${splitPath}/set/${otherSet}`);
    await submit(theirs, theirs.getByRole('link', { name: 'leave this set' }));
    await theirs.getByRole('heading', { level: 1, name: /Leave your set\?/ }).waitFor();
    await noSideways(theirs);
    await submit(theirs, theirs.getByRole('button', { name: 'Leave the set' }));
    await flash(theirs, 'You have left the set');
    await visit(theirs, `${splitPath}/set/${otherSet}`, 404);
  });
}
