// run.mjs: browser tests — Debian's chromium driven by playwright-core, axe-core on every page.
//
// Usage (from anywhere; `make` must have built the binary first):
//   node tests/browser/run.mjs
// Environment:
//   AHPHUB_BIN             the program to test (default build/ahphub in the repository)
//   AHPHUB_BROWSER_PORT    the port to serve on (default: one the system says is free)
//   AHPHUB_CHROMIUM        the browser (default /usr/bin/chromium)
//   AHPHUB_SCREENSHOTS     a folder to save a screenshot of each page visited (optional)
//   AHPHUB_DEV_DIR         serve with --dev DIR, so templates are read from DIR/templates
//   AHPHUB_BROWSER_ONLY    run only the tests whose names match this regular expression (while
//                          working on one; later tests may rely on what earlier ones made)
//
// It builds nothing. It creates a throw-away SQLite database with two members, a facilitator and
// an admin, starts `ahphub serve` on loopback, runs the tests one after another (the Listen
// tests are in listen.mjs, the Assess tests in assess.mjs, and those of Listen's analysis,
// report and "You said, we did" in report.mjs), stops the server and removes the database.
// Every page a test visits must have no axe-core violations against WCAG 2.0, 2.1 and 2.2 A and
// AA rules, and its HTML must have no errors in tidy (when tidy is installed). The last line
// of output is "N passed, N failed"; the exit status is non-zero when anything failed.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { registerListenTests, FACILITATOR } from './listen.mjs';
import { registerAssessTests, RESPONDENT } from './assess.mjs';
import { registerReportTests } from './report.mjs';
import { registerRightsTests, LEAVER } from './rights.mjs';
import { registerOrgTests } from './orgs.mjs';
import { registerOidcTests, startProvider, providerEnv } from './oidc.mjs';
import { registerDevelopTests } from './develop.mjs';
import { registerPortfolioTests } from './portfolio.mjs';
import { registerFeedbackTests } from './feedback.mjs'; // Develop: 360° feedback
import { registerConnectMentoringTests } from './connect_mentoring.mjs';
import { registerConnectGroupTests } from './connect_groups.mjs';
import { registerListenLaunchTests } from './listen_launch.mjs';
import { registerDevelopPlanTests } from './develop_plan.mjs';
import { registerSetsTests } from './sets.mjs'; // Connect: action learning sets
import { registerReflowTests } from './reflow.mjs'; // every page at 320 px

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = resolve(process.env.AHPHUB_BIN || join(ROOT, 'build', 'ahphub'));
const CHROMIUM = process.env.AHPHUB_CHROMIUM || '/usr/bin/chromium';
const AXE = join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const SHOTS = process.env.AHPHUB_SCREENSHOTS || '';

const MEMBER = { email: 'member@example.test', name: 'Test Member', password: 'correct horse battery staple' };
const ADMIN = { email: 'admin@example.test', name: 'Test Admin', password: 'admin password for the browser tests' };
const NEW_PASSWORD = 'a brand new password for the member';

const HAVE_TIDY = spawnSync('tidy', ['-v'], { encoding: 'utf8' }).status === 0;

let base = '';
let DB_FILE = ''; // the throw-away database, for reading the mail outbox
let browser = null;

// ---- the tiny harness -------------------------------------------------------------------------

const tests = [];
function test(name, fn) {
  tests.push({ name, fn });
}

async function runAll() {
  let passed = 0;
  let failed = 0;
  const only = process.env.AHPHUB_BROWSER_ONLY ? new RegExp(process.env.AHPHUB_BROWSER_ONLY) : null;
  for (const t of tests) {
    if (only && !only.test(t.name)) continue;
    const problems = [];
    const contexts = [];
    // A fresh browser (its own cookies) with the same checks; a test that needs more than one
    // person, such as two visitors without accounts, asks for more with newPage().
    // newPage({ viewport: { width: 375, height: 740 } }) gives a phone-sized one.
    const newPage = async ({ viewport = { width: 1280, height: 900 } } = {}) => {
      const context = await browser.newContext({
        // axe is injected with a <script> element, which the service's strict CSP would refuse;
        // the CSP itself is tested on its own below, in a context that does not bypass it.
        bypassCSP: t.name !== CSP_TEST,
        viewport,
      });
      contexts.push(context);
      context.setDefaultTimeout(15000);
      const p = await context.newPage();
      p.on('pageerror', (e) => problems.push(`script error: ${e.message}`));
      p.on('console', (m) => {
        // A page answered with 4xx is logged as a failed load; that status is asserted by the tests.
        if (m.type() === 'error' && !/^Failed to load resource: the server responded/.test(m.text()))
          problems.push(`console error: ${m.text()}`);
      });
      p.on('response', (r) => {
        if (r.status() >= 400 && r.request().resourceType() !== 'document')
          problems.push(`${r.status()} for ${r.request().resourceType()} ${r.url()}`);
      });
      p.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
      return p;
    };
    const page = await newPage();
    const context = contexts[0];
    const started = Date.now();
    try {
      await t.fn(page, context, { newPage });
      assert.deepEqual(problems, [], 'the browser reported errors');
      passed++;
      console.log(`ok ${passed + failed} - ${t.name} (${Date.now() - started} ms)`);
    } catch (e) {
      failed++;
      console.log(`not ok ${passed + failed} - ${t.name}`);
      console.log(String(e && e.stack ? e.stack : e).split('\n').slice(0, 12).map((l) => `    ${l}`).join('\n'));
      if (problems.length) console.log(problems.map((p) => `    ${p}`).join('\n'));
      console.log(`    at page ${page.url()}`);
    } finally {
      for (const c of contexts) await c.close();
    }
  }
  return { passed, failed };
}

// ---- checks every page gets ---------------------------------------------------------------------

let shotCount = 0;

// Runs axe-core on the page as it is now; throws listing every violation.
async function axeCheck(page) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(
    async (tags) => {
      // eslint-disable-next-line no-undef
      const r = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
      return r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
      }));
    },
    AXE_TAGS,
  );
  if (result.length) {
    const lines = result.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.join(', ')}`);
    throw new Error(`axe found ${result.length} violation(s) on ${page.url()}:\n${lines.join('\n')}`);
  }
  if (SHOTS) {
    mkdirSync(SHOTS, { recursive: true });
    const name = new URL(page.url()).pathname.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'home';
    await page.screenshot({ path: join(SHOTS, `${String(++shotCount).padStart(2, '0')}-${name}.png`), fullPage: true });
  }
}

// tidy, errors only, on the HTML exactly as the server sent it.
function tidyCheck(html, url) {
  if (!HAVE_TIDY) return;
  const r = spawnSync('tidy', ['-q', '-e', '--show-warnings', 'no'], { input: html, encoding: 'utf8' });
  const errors = (r.stderr || '').trim();
  if (r.status === 2 || errors) throw new Error(`tidy found errors in ${url}:\n${errors}`);
}

// Checks a page the browser has just arrived at: the HTML the server sent, and the rendered page.
async function checkPage(page, response) {
  assert.ok(response, `no response for ${page.url()}`);
  const type = response.headers()['content-type'] || '';
  assert.match(type, /^text\/html/, `${page.url()} is not HTML`);
  tidyCheck(await response.text(), page.url());
  await axeCheck(page);
}

// Goes to path and checks the page; returns the response.
async function visit(page, path, expectStatus = 200) {
  const response = await page.goto(base + path);
  assert.equal(response.status(), expectStatus, `GET ${path}`);
  await checkPage(page, response);
  return response;
}

// Clicks something that submits a form and checks the page the browser lands on.
async function submit(page, locator, expectStatus = 200) {
  const [response] = await Promise.all([page.waitForNavigation(), locator.click()]);
  assert.equal(response.status(), expectStatus, `after submitting, ${page.url()}`);
  await checkPage(page, response);
  return response;
}

async function logIn(page, who, password = who.password) {
  await visit(page, '/login');
  await page.fill('#email', who.email);
  await page.fill('#password', password);
  await submit(page, page.getByRole('button', { name: 'Log in', exact: true }));
  assert.equal(new URL(page.url()).pathname, '/home');
}

async function logOut(page) {
  await submit(page, page.locator('header').getByRole('button', { name: 'Log out' }));
  assert.equal(new URL(page.url()).pathname, '/');
  await page.locator('.nhsuk-notification-banner--success', { hasText: 'You have logged out' }).waitFor();
  assert.equal(await page.locator('header').getByRole('link', { name: 'Log in' }).count(), 1);
}

// ---- the tests ------------------------------------------------------------------------------------

test('home page passes axe and tidy', async (page) => {
  await visit(page, '/');
  assert.equal(await page.title(), 'Clinical leadership for the allied health professions – AHP Hub');
  assert.equal(await page.locator('h1').count(), 1);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  // Only what exists is linked: no link goes to a page that would not be found.
  const hrefs = await page.locator('a[href^="/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  for (const href of new Set(hrefs)) {
    const r = await page.request.get(base + href, { maxRedirects: 0 });
    assert.notEqual(r.status(), 404, `the home page links to ${href}, which is not found`);
  }
});

test('accessibility statement passes axe and tidy', async (page) => {
  await visit(page, '/accessibility');
  await page.getByRole('heading', { level: 1, name: 'Accessibility statement' }).waitFor();
  await page.getByText('WCAG', { exact: false }).first().waitFor();
});

test('privacy notice passes axe and tidy', async (page) => {
  await visit(page, '/privacy');
  await page.getByRole('heading', { level: 1, name: 'Privacy notice' }).waitFor();
  for (const cookie of ['ahp_session', 'ahp_csrf', 'ahp_flash']) await page.getByText(cookie, { exact: true }).waitFor();
});

test('member logs in, changes password, logs out and back in', async (page) => {
  // A wrong password gives the error summary, linked to the field, and keeps the email.
  await visit(page, '/login');
  await page.fill('#email', MEMBER.email);
  await page.fill('#password', 'not the right password');
  await submit(page, page.getByRole('button', { name: 'Log in', exact: true }), 401);
  const summary = page.locator('.nhsuk-error-summary');
  await summary.waitFor();
  assert.match(await summary.innerText(), /There is a problem/);
  const link = summary.locator('a[href="#email"]');
  assert.equal(await link.count(), 1, 'the error summary links to the email field');
  assert.equal(await page.inputValue('#email'), MEMBER.email);
  assert.equal(await page.locator('#email').getAttribute('aria-describedby'), 'email-error');
  assert.equal(await page.locator('.nhsuk-form-group--error #email').count(), 1);
  // NHS.UK's error pattern: the page title says there is an error, for screen readers
  assert.equal(await page.title(), 'Error: Log in – AHP Hub');

  // The right password lands on "Your home"; their account is a link away.
  await page.fill('#password', MEMBER.password);
  await submit(page, page.getByRole('button', { name: 'Log in', exact: true }));
  assert.equal(new URL(page.url()).pathname, '/home');
  await page.getByRole('heading', { level: 1, name: 'Your home' }).waitFor();
  await submit(page, page.getByRole('link', { name: 'Change your details, password or API tokens' }));
  assert.equal(new URL(page.url()).pathname, '/account');
  await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
  assert.match(await page.locator('header').innerText(), /Test Member/);

  // A new password that is too short is refused with the error on that field.
  await page.fill('#current_password', MEMBER.password);
  await page.fill('#new_password', 'short');
  await page.fill('#confirm_password', 'short');
  await submit(page, page.getByRole('button', { name: 'Change your password' }), 400);
  assert.equal(await page.locator('.nhsuk-error-summary a[href="#new_password"]').count(), 1);
  assert.equal(await page.locator('#new_password-error').count(), 1);

  // A good one is accepted and the flash message says so.
  await page.fill('#current_password', MEMBER.password);
  await page.fill('#new_password', NEW_PASSWORD);
  await page.fill('#confirm_password', NEW_PASSWORD);
  await submit(page, page.getByRole('button', { name: 'Change your password' }));
  assert.equal(new URL(page.url()).pathname, '/account');
  await page.locator('.nhsuk-notification-banner--success', { hasText: 'Your password has been changed' }).waitFor();

  await logOut(page);

  // The old password no longer works; the new one does.
  await visit(page, '/login');
  await page.fill('#email', MEMBER.email);
  await page.fill('#password', MEMBER.password);
  await submit(page, page.getByRole('button', { name: 'Log in', exact: true }), 401);
  await logIn(page, MEMBER, NEW_PASSWORD);
  await logOut(page);
});

test('admin changes a role, after a confirmation, and sees it in the audit log', async (page) => {
  await logIn(page, ADMIN);
  await submit(page, page.locator('header').getByRole('link', { name: 'Administration' }));
  await submit(page, page.locator('main').getByRole('link', { name: 'Users' }));
  assert.equal(new URL(page.url()).pathname, '/admin/users');

  const row = page.locator('tr', { hasText: MEMBER.email });
  assert.equal(await row.count(), 1, 'the member is listed');
  assert.match(await row.innerText(), /active/i);
  // The list has no forms: each name leads to the person's page, where changes are made.
  assert.equal(await page.locator('tbody select').count(), 0);
  await submit(page, row.getByRole('link', { name: MEMBER.name }));
  assert.match(new URL(page.url()).pathname, /^\/admin\/users\/\d+$/);
  const userPage = new URL(page.url()).pathname;
  const select = page.getByLabel(`Role for ${MEMBER.name}`);
  assert.equal(await select.inputValue(), 'member');

  // The first step only asks; Cancel goes back with nothing changed.
  await select.selectOption('admin');
  await submit(page, page.getByRole('button', { name: 'Change role' }));
  await page.getByRole('heading', { level: 1, name: `Make ${MEMBER.name} an admin?` }).waitFor();
  await page.getByText('Admins can', { exact: false }).waitFor();
  await submit(page, page.getByRole('link', { name: 'Cancel' }));
  assert.equal(new URL(page.url()).pathname, userPage);
  assert.equal(await page.getByLabel(`Role for ${MEMBER.name}`).inputValue(), 'member');

  // Confirmed, it changes.
  await page.getByLabel(`Role for ${MEMBER.name}`).selectOption('facilitator');
  await submit(page, page.getByRole('button', { name: 'Change role' }));
  await page.getByRole('heading', { level: 1, name: `Make ${MEMBER.name} a facilitator?` }).waitFor();
  await submit(page, page.getByRole('button', { name: 'Confirm' }));
  assert.equal(new URL(page.url()).pathname, userPage);
  await page.locator('.nhsuk-notification-banner--success', { hasText: 'The role has been changed' }).waitFor();
  assert.equal(await page.getByLabel(`Role for ${MEMBER.name}`).inputValue(), 'facilitator');

  // The admin's own page has no role form and no deactivation.
  await submit(page, page.getByRole('link', { name: 'Back to users' }));
  await submit(page, page.locator('tr', { hasText: ADMIN.email }).getByRole('link', { name: ADMIN.name }));
  assert.equal(await page.locator('main select').count(), 0);
  assert.equal(await page.getByRole('button', { name: /Deactivate/ }).count(), 0);

  // Searching finds the member by name.
  await visit(page, '/admin/users');
  await page.fill('#q', 'Test Member');
  await submit(page, page.getByRole('button', { name: 'Search' }));
  assert.equal(await page.locator('tbody tr', { hasText: MEMBER.email }).count(), 1);
  assert.equal(await page.locator('tbody tr', { hasText: ADMIN.email }).count(), 0);

  await visit(page, '/admin/audit');
  const entry = page.locator('tbody tr', { hasText: `${ADMIN.name} made ${MEMBER.name} a facilitator` });
  assert.ok((await entry.count()) >= 1, 'the audit log says who made whom a facilitator');
  await logOut(page);
});

// The newest link of the given path in the mail to `to`, read from the outbox as the person
// would read it in their inbox.
function outboxLink(to, path) {
  const r = spawnSync('sqlite3', [DB_FILE, `SELECT body_text FROM mail_outbox WHERE recipient = '${to}' ORDER BY id DESC LIMIT 1`], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, `sqlite3: ${r.stderr}`);
  const m = r.stdout.match(new RegExp(`https?://[^/\\s]+(${path}[0-9a-f]{64})`));
  assert.ok(m, `a link ${path}… in the mail to ${to}`);
  return m[1];
}

test('admin invites someone, who sets a password from the link on a phone and is logged in', async (page, context, { newPage }) => {
  const invitee = { email: 'jo.walsh@example.test', name: 'Jo Walsh', password: 'a password for the invited person' };
  await logIn(page, ADMIN);
  await visit(page, '/admin/users');
  await submit(page, page.getByRole('link', { name: 'Invite people' }));
  await page.getByRole('heading', { level: 1, name: 'Invite people' }).waitFor();
  // Mistakes are listed, linked to their fields, and what was typed stays.
  await page.fill('#email', invitee.email);
  await submit(page, page.getByRole('button', { name: 'Send the invitation', exact: true }), 400);
  assert.equal(await page.locator('.nhsuk-error-summary a[href="#display_name"]').count(), 1);
  assert.equal(await page.inputValue('#email'), invitee.email);
  await page.fill('#display_name', invitee.name);
  await page.selectOption('#profession', 'dietitian');
  await submit(page, page.getByRole('button', { name: 'Send the invitation', exact: true }), 201);
  await page.getByRole('heading', { level: 1, name: '1 person invited' }).waitFor();
  await submit(page, page.getByRole('link', { name: invitee.name }));
  await page.getByText('has been invited but has not set a password yet', { exact: false }).waitFor();
  await logOut(page);

  const phone = await newPage({ viewport: { width: 320, height: 640 } });
  const link = outboxLink(invitee.email, '/set-password/');
  await visit(phone, link);
  await phone.getByRole('heading', { level: 1, name: 'Set your password' }).waitFor();
  assert.ok((await phone.evaluate(() => document.documentElement.scrollWidth)) <= 320, 'no sideways scrolling at 320 px');
  await phone.fill('#new_password', invitee.password);
  await phone.fill('#confirm_password', 'something else entirely');
  await submit(phone, phone.getByRole('button', { name: 'Set your password and log in' }), 400);
  assert.equal(await phone.locator('.nhsuk-error-summary a[href="#confirm_password"]').count(), 1);
  await phone.fill('#new_password', invitee.password);
  await phone.fill('#confirm_password', invitee.password);
  // Logged in and sent to the home page (/home); the account page then shows who it is.
  await Promise.all([phone.waitForURL((u) => u.pathname === '/home'), phone.getByRole('button', { name: 'Set your password and log in' }).click()]);
  await phone.getByRole('heading', { level: 1, name: 'Your home' }).waitFor();
  await visit(phone, '/account');
  assert.match(await phone.locator('main').innerText(), /Dietitian/);
  assert.match(await phone.locator('header').innerText(), /Jo Walsh/);
  // The link worked once.
  const again = await newPage();
  await visit(again, link, 410);
  await again.getByRole('heading', { level: 1, name: 'This link has already been used or has expired' }).waitFor();

  // Later they forget the password: the mailed reset link sets a new one, on the phone too,
  // and lands on their home; the old password no longer works.
  await logOut(phone);
  await visit(phone, '/login');
  await submit(phone, phone.getByRole('link', { name: 'Forgotten your password?' }));
  await phone.fill('#email', invitee.email);
  await submit(phone, phone.getByRole('button', { name: 'Send the link' }));
  await visit(phone, outboxLink(invitee.email, '/password/reset/'));
  await phone.getByRole('heading', { level: 1, name: 'Set a new password' }).waitFor();
  const renewed = 'a renewed password for the invited person';
  await phone.fill('#new_password', renewed);
  await phone.fill('#confirm_password', renewed);
  await Promise.all([phone.waitForURL((u) => u.pathname === '/home'), phone.getByRole('button', { name: 'Set the new password' }).click()]);
  await phone.getByRole('heading', { level: 1, name: 'Your home' }).waitFor();
  await logOut(phone);
  await visit(phone, '/login');
  await phone.fill('#email', invitee.email);
  await phone.fill('#password', invitee.password);
  await submit(phone, phone.getByRole('button', { name: 'Log in', exact: true }), 401);
  await logIn(phone, { email: invitee.email, password: renewed });
});

test('forgotten password: the same answer for any address, and a reset link that works', async (page) => {
  await visit(page, '/login');
  await submit(page, page.getByRole('link', { name: 'Forgotten your password?' }));
  await page.fill('#email', 'nobody.here@example.test');
  await submit(page, page.getByRole('button', { name: 'Send the link' }));
  const unknown = await page.locator('main').innerText();
  await visit(page, '/password/forgot');
  await page.fill('#email', RESPONDENT.email);
  await submit(page, page.getByRole('button', { name: 'Send the link' }));
  assert.equal(await page.locator('main').innerText(), unknown);
  assert.match(unknown, /If there is an account for that address, we have sent a link/);
  await visit(page, outboxLink(RESPONDENT.email, '/password/reset/'));
  await page.getByRole('heading', { level: 1, name: 'Set a new password' }).waitFor();
});

test('member sees form errors, saves details and manages an API token', async (page) => {
  await logIn(page, MEMBER, NEW_PASSWORD);
  await submit(page, page.locator('header').getByRole('link', { name: 'Your account' }));

  // An empty name is refused: summary, message on the field, and the field left empty.
  await page.fill('#display_name', '');
  await page.selectOption('#region', 'london');
  await submit(page, page.getByRole('button', { name: 'Save your details' }), 400);
  assert.equal(await page.locator('.nhsuk-error-summary a[href="#display_name"]').count(), 1);
  assert.equal(await page.locator('.nhsuk-form-group--error #display_name.nhsuk-input--error').count(), 1);
  assert.equal(await page.inputValue('#display_name'), '');

  // A good name is saved and shown.
  await page.fill('#display_name', 'Test Member Renamed');
  await page.selectOption('#profession', 'physiotherapist');
  await page.selectOption('#region', 'london');
  await submit(page, page.getByRole('button', { name: 'Save your details' }));
  await page.locator('.nhsuk-notification-banner--success', { hasText: 'Your details have been saved' }).waitFor();
  const details = await page.locator('.nhsuk-summary-list').innerText();
  assert.match(details, /Test Member Renamed/);
  assert.match(details, /Physiotherapist/);
  assert.match(details, /London/);
  assert.equal(await page.inputValue('#profession'), 'physiotherapist');

  // A token is shown once, listed, and can be revoked.
  await page.fill('#name', 'Browser test token');
  await submit(page, page.getByRole('button', { name: 'Create API token' }), 201);
  const shown = (await page.locator('#new-token').innerText()).trim();
  assert.match(shown, /^\S{20,}$/, 'the new token is shown');
  // On a 320 px phone the token is wider than its box: the box that scrolls must be
  // reachable by keyboard and named (axe: scrollable-region-focusable)
  const wide = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 640 });
  const box = page.getByRole('region', { name: 'Your new API token' });
  assert.equal(await box.getAttribute('id'), 'new-token');
  assert.ok(await box.evaluate((e) => e.scrollWidth > e.clientWidth), 'the token scrolls in its box');
  assert.equal(await box.getAttribute('tabindex'), '0', 'the box that scrolls takes the keyboard');
  await axeCheck(page);
  await page.setViewportSize(wide);
  const row = page.locator('tbody tr', { hasText: 'Browser test token' });
  assert.equal(await row.count(), 1);
  assert.ok(shown.startsWith((await row.locator('code').innerText()).trim()), 'the listed prefix is the token’s');
  await submit(page, row.getByRole('button', { name: 'Revoke token Browser test token' }));
  await page.locator('.nhsuk-notification-banner--success', { hasText: 'The API token has been revoked' }).waitFor();
  assert.equal(await page.locator('tbody tr', { hasText: 'Browser test token' }).count(), 0);
  assert.equal(await page.locator('#new-token').count(), 0, 'the token is not shown again');
  await logOut(page);
});

// ---- mail: the outbox (a test message is queued with `ahphub mail test --queue` at set-up)
test('admin reads the mail outbox and a message in it', async (page) => {
  await logIn(page, ADMIN);
  await visit(page, '/admin/mail');
  await page.locator('.nhsuk-inset-text', { hasText: 'No mail server is set up' }).waitFor();
  assert.equal(await page.locator('tbody tr', { hasText: 'reader@example.test' }).count(), 1);
  await submit(page, page.getByRole('link', { name: 'Test message from AHP Hub' }));
  assert.match(new URL(page.url()).pathname, /^\/admin\/mail\/[0-9a-f]{32}$/); // by key, never a row id
  // The plain text's link can be followed from here (a demonstration follows invitations so).
  assert.ok((await page.locator('.ahp-mail__text a').count()) >= 1, 'the link in the text is a link');
  // A filter that does not exist is said so, on the page, with the list still there.
  await visit(page, '/admin/mail?state=lost', 400);
  await page.locator('.nhsuk-error-summary', { hasText: 'Select which messages to show' }).waitFor();
  assert.equal(await page.locator('tbody tr', { hasText: 'reader@example.test' }).count(), 1);
  await logOut(page);
});

test('a page that does not exist gives a 404 page that passes axe', async (page) => {
  await visit(page, '/no/such/page', 404);
  await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
  assert.equal(await page.title(), 'Page not found – AHP Hub');
});

test('someone who is not an admin is refused the admin pages', async (page) => {
  // The role was changed to facilitator above, which is still not an admin.
  await logIn(page, MEMBER, NEW_PASSWORD);
  await visit(page, '/admin/users', 403);
  await page.getByRole('heading', { level: 1 }).waitFor();
  assert.equal(await page.locator('header').getByRole('link', { name: 'Administration' }).count(), 0);
});

test('keyboard: the skip link is the first focusable element', async (page) => {
  for (const path of ['/', '/login']) {
    await visit(page, path);
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      return { cls: el.className, href: el.getAttribute('href'), text: el.textContent.trim() };
    });
    assert.equal(focused.href, '#maincontent', `first Tab on ${path}`);
    assert.equal(focused.text, 'Skip to main content');
    assert.ok(await page.locator('.nhsuk-skip-link').isVisible(), 'the skip link shows when focused');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'maincontent', 'Enter moves focus to main');
  }
});

registerListenTests({ test, visit, submit, logIn, logOut, admin: ADMIN });
registerAssessTests({ test, visit, submit, logIn, logOut });
registerReportTests({ test, visit, submit, logIn, logOut });
registerRightsTests({ test, visit, submit, logIn });
registerOrgTests({ test, visit, submit, logIn, logOut, admin: ADMIN });
// the organisation's sign-in: the test provider is started in main() (oidc.mjs)
const oidcProvider = {};
registerOidcTests({ test, visit, submit, logIn, logOut, admin: ADMIN, provider: oidcProvider });
registerDevelopTests({ test, visit, submit, logIn, logOut, admin: ADMIN });
registerPortfolioTests({ test, visit, submit, logIn, dbFile: () => DB_FILE });
registerFeedbackTests({ test, visit, submit, logIn, logOut, admin: ADMIN }); // Develop: 360° feedback
// Connect: mentoring (connect_mentoring.mjs); it adds its two members to the database itself
registerConnectMentoringTests({ test, visit, submit, logIn, dbFile: () => DB_FILE });
registerConnectGroupTests({ test, visit, submit, logIn, logOut }); // Connect: interest groups
registerListenLaunchTests({ test, visit, submit, logIn, logOut });
registerDevelopPlanTests({ test, visit, submit, logIn });
// Connect: action learning sets (the cohort is written into the database by the test)
registerSetsTests({ test, visit, submit, logIn, lead: FACILITATOR, dbFile: () => DB_FILE });
// last: the pages have what the tests above made
registerReflowTests({ test, visit, logIn, facilitator: FACILITATOR, admin: ADMIN, dbFile: () => DB_FILE });

const CSP_TEST = 'pages obey the Content-Security-Policy and the scripts run';
test(CSP_TEST, async (page) => {
  const violations = [];
  await page.exposeFunction('reportViolation', (v) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      window.reportViolation(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`),
    );
  });
  const check = async (path, status = 200) => {
    const r = await page.goto(base + path);
    assert.equal(r.status(), status, `GET ${path}`);
    assert.match(r.headers()['content-security-policy'] || '', /script-src 'self'/, `CSP header on ${path}`);
    // The module script ran: NHS.UK frontend components are initialised.
    await page.waitForFunction(() => document.body.classList.contains('nhsuk-frontend-supported'));
    await page.waitForFunction(() => document.querySelector('.nhsuk-header[data-nhsuk-header-init]') !== null);
  };
  for (const p of ['/', '/accessibility', '/privacy', '/login', '/listen']) await check(p);
  await check('/nope', 404);
  await page.goto(base + '/login');
  await page.fill('#email', ADMIN.email);
  await page.fill('#password', ADMIN.password);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Log in', exact: true }).click()]);
  for (const p of ['/admin', '/admin/users', '/admin/audit', '/admin/mail', '/home', '/account']) await check(p);
  // The password reveal button works (it needs the script).
  const toggle = page.locator('#current_password ~ button');
  await toggle.click();
  assert.equal(await page.locator('#current_password').getAttribute('type'), 'text');
  assert.deepEqual(violations, [], 'CSP violations');
});

// ---- set-up and tear-down --------------------------------------------------------------------------

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

function ahphub(args, input) {
  const r = spawnSync(BIN, args, { input: input ?? '', encoding: 'utf8', timeout: 60000 });
  if (r.status !== 0) throw new Error(`ahphub ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

async function waitHealthy(url, server, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (server.exitCode !== null) throw new Error(`the server exited with status ${server.exitCode}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within ${ms} ms`);
}

async function main() {
  let server = null;
  let tmp = null;
  let result = { passed: 0, failed: 0 };
  let setupFailed = false;
  try {
    for (const [what, path] of [['the program', BIN], ['chromium', CHROMIUM], ['axe-core', AXE]])
      if (!existsSync(path)) throw new Error(`${what} is missing: ${path}`);
    const { chromium } = await import('playwright-core');

    tmp = mkdtempSync(join(tmpdir(), 'ahphub-browser-'));
    DB_FILE = join(tmp, 'b.db');
    const db = `sqlite:${DB_FILE}`;
    ahphub(['migrate', '--db', db]);
    ahphub(['user', 'add', MEMBER.email, '--role', 'member', '--name', MEMBER.name, '--db', db], `${MEMBER.password}\n`);
    ahphub(['user', 'add', ADMIN.email, '--role', 'admin', '--name', ADMIN.name, '--db', db], `${ADMIN.password}\n`);
    ahphub(['user', 'add', FACILITATOR.email, '--role', 'facilitator', '--name', FACILITATOR.name, '--db', db], `${FACILITATOR.password}\n`);
    ahphub(['user', 'add', RESPONDENT.email, '--role', 'member', '--name', RESPONDENT.name, '--db', db], `${RESPONDENT.password}\n`);
    ahphub(['user', 'add', LEAVER.email, '--role', 'member', '--name', LEAVER.name, '--db', db], `${LEAVER.password}\n`);
    ahphub(['mail', 'test', 'reader@example.test', '--queue', '--db', db]); // for the outbox test

    const port = Number(process.env.AHPHUB_BROWSER_PORT) || (await freePort());
    base = `http://127.0.0.1:${port}`;
    const args = ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--threads', '2'];
    if (process.env.AHPHUB_DEV_DIR) args.push('--dev', resolve(process.env.AHPHUB_DEV_DIR));
    await startProvider(oidcProvider, ROOT, tmp);
    server = spawn(BIN, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      // a public deployment must name an accessibility contact (app_config_check)
      env: { AHPHUB_CONTACT_EMAIL: 'ahphub-support@example.nhs.uk', ...process.env, ...providerEnv(oidcProvider, base) },
    });
    let serverLog = '';
    server.stderr.on('data', (d) => {
      serverLog = (serverLog + d).slice(-20000);
    });
    server.on('exit', () => {
      server.exited = true;
    });
    try {
      await waitHealthy(`${base}/healthz`, server, 15000);
    } catch (e) {
      console.log(serverLog.split('\n').slice(-20).map((l) => `    | ${l}`).join('\n'));
      throw e;
    }

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    result = await runAll();
    if (result.failed) {
      const errors = serverLog.split('\n').filter((l) => /level=(error|warn)/.test(l));
      if (errors.length) console.log(`server errors:\n${errors.slice(-20).map((l) => `    | ${l}`).join('\n')}`);
    }
  } catch (e) {
    setupFailed = true;
    console.log(`not ok - set-up: ${e && e.message ? e.message : e}`);
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server && server.exitCode === null && !server.exited) {
      server.kill('SIGTERM');
      await new Promise((ok) => {
        const t = setTimeout(() => {
          server.kill('SIGKILL');
          ok();
        }, 5000);
        server.once('exit', () => {
          clearTimeout(t);
          ok();
        });
      });
    }
    if (oidcProvider.stop) oidcProvider.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
  // A set-up failure counts as one failed test, so the suite cannot pass without running.
  const failed = result.failed + (setupFailed ? 1 : 0);
  if (!HAVE_TIDY) console.log('note: tidy is not installed, so HTML was not validated');
  console.log(`${result.passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

await main();
