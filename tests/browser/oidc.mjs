// oidc.mjs: browser tests of signing in with the organisation's account (account/oidc_pages.c).
//
// run.mjs starts tests/support/oidc_provider.py (the test provider the HTTP tests use) before the
// server and configures the server with it, so here Chromium follows the real redirects: the
// login page's button, the provider, the callback, and the page it lands on, each checked with
// axe-core and tidy — on a 320 px wide phone, where people mostly meet this.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';

export const OIDC_BUTTON = 'Sign in with NHSmail';
const CLIENT_ID = 'browser-test-client';
const CLIENT_SECRET = 'browser-test-secret-0123456789';

// Starts the provider; fills provider.issuer and provider.stop. root is the repository.
export async function startProvider(provider, root, tmp) {
  const portFile = join(tmp, 'oidc.port');
  const child = spawn('/usr/bin/python3', [join(root, 'tests', 'support', 'oidc_provider.py'),
    '--port-file', portFile, '--client-id', CLIENT_ID, '--client-secret', CLIENT_SECRET],
  { stdio: ['ignore', 'ignore', 'inherit'] });
  provider.stop = () => child.exitCode === null && child.kill('SIGTERM');
  const until = Date.now() + 30000;
  while (!existsSync(portFile)) {
    if (child.exitCode !== null) throw new Error(`the test provider exited (${child.exitCode})`);
    if (Date.now() > until) throw new Error('the test provider did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  provider.issuer = `http://127.0.0.1:${Number(readFileSync(portFile, 'utf8'))}`;
}

// What the server needs to use it.
export function providerEnv(provider, base) {
  return {
    AHPHUB_OIDC_ISSUER: provider.issuer,
    AHPHUB_OIDC_CLIENT_ID: CLIENT_ID,
    AHPHUB_OIDC_CLIENT_SECRET: CLIENT_SECRET,
    AHPHUB_OIDC_NAME: OIDC_BUTTON,
    AHPHUB_BASE_URL: base,
  };
}

async function control(provider, query) {
  const r = await fetch(`${provider.issuer}/control?${query}`);
  assert.equal(r.status, 200, 'the test provider took the setting');
}

export function registerOidcTests({ test, visit, submit, logIn, logOut, admin, provider }) {
  test("an admin lists a domain, and people from it sign in with the organisation's account", async (page, context, { newPage }) => {
    await logIn(page, admin);
    await visit(page, '/admin/sign-in');
    await submit(page, page.getByRole('button', { name: 'Add domain' }), 400);
    await page.locator('.nhsuk-error-summary', { hasText: 'Enter an email domain' }).waitFor();
    await page.fill('#domain', 'trust.nhs.test');
    await submit(page, page.getByRole('button', { name: 'Add domain' }));
    assert.equal(new URL(page.url()).pathname, '/admin/sign-in');
    await page.getByRole('cell', { name: 'trust.nhs.test', exact: true }).waitFor();
    await logOut(page);

    // someone in that domain, first time: a new member account, signed in
    const phone = await newPage({ viewport: { width: 320, height: 640 } });
    await control(provider, 'mode=good&sub=browser-1&preferred_username=pat.jones%40trust.nhs.test&name=Pat+Jones');
    await visit(phone, '/login');
    const wide = await phone.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 320, `the login page is ${wide} px wide on a 320 px phone`);
    await submit(phone, phone.getByRole('button', { name: OIDC_BUTTON }));
    assert.equal(new URL(phone.url()).pathname, '/home');
    await phone.getByRole('heading', { level: 1, name: 'Your home' }).waitFor();
    await visit(phone, '/account');
    await phone.getByText('pat.jones@trust.nhs.test').first().waitFor();
    await phone.getByText('You sign in with your organisation', { exact: false }).waitFor();

    // someone in another domain: refused, in plain words, with the way back
    const other = await newPage({ viewport: { width: 320, height: 640 } });
    await control(provider, 'mode=good&sub=browser-2&preferred_username=sam%40elsewhere.test');
    await visit(other, '/login');
    await submit(other, other.getByRole('button', { name: OIDC_BUTTON }), 403);
    await other.getByText("Your organisation's accounts cannot sign in here yet; ask an administrator.").waitFor();
    assert.equal(await other.getByRole('link', { name: 'Go back to the login page' }).count(), 1);
  });
}
