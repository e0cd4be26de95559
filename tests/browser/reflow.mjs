// reflow.mjs: every page a member, a facilitator and an admin reach from their navigation and
// home fits a 320 px screen (WCAG 1.4.10): the page itself never scrolls sideways, measured in
// the browser. Wide tables and the heat map scroll inside their own labelled regions, which is
// allowed; the document must not.
//
// Registered last by run.mjs, so the pages have what the other tests made. It has its own
// member (`ahphub user add`), as other tests change the shared member's password.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = resolve(process.env.AHPHUB_BIN || join(ROOT, 'build', 'ahphub'));
const SMALL = { width: 320, height: 740 };
const READER = { email: 'reflow.member@example.test', name: 'Rita Reflow', password: 'a password for the reflow member' };

const MEMBER_PAGES = [
  '/', '/home', '/listen', '/assess', '/develop', '/develop/plan', '/develop/recommendations',
  '/develop/portfolio', '/develop/portfolio/new', '/develop/cv', '/develop/feedback', '/develop/shares',
  '/connect', '/connect/profile', '/connect/directory', '/connect/groups', '/connect/sets',
  '/account', '/account/data', '/accessibility', '/privacy',
];
const FACILITATOR_PAGES = [
  '/home', '/cohorts', '/cohorts/new', '/develop/gaps', '/connect/rounds', '/connect/sets',
  '/listen/new', '/assess/rounds/new', '/develop/catalogue', '/develop/catalogue/new',
];
const ADMIN_PAGES = [
  '/admin', '/admin/users', '/admin/organisations', '/admin/audit', '/admin/mail',
  '/develop/frameworks', '/assess/instruments',
];

// How far the document is wider than the window, in CSS pixels (0 when it fits).
async function overflow(page) {
  return page.evaluate(() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth));
}

function addMember(dbFile) {
  const r = spawnSync(BIN, ['user', 'add', READER.email, '--role', 'member', '--name', READER.name, '--db', `sqlite:${dbFile}`], {
    input: `${READER.password}\n`,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, `ahphub user add ${READER.email}: ${r.stderr || r.stdout}`);
}

export function registerReflowTests({ test, visit, logIn, facilitator, admin, dbFile }) {
  test('every page a member, a facilitator and an admin reach fits a 320 px screen', async (page, context, { newPage }) => {
    addMember(dbFile());
    const wide = [];
    for (const [who, pages] of [[READER, MEMBER_PAGES], [facilitator, FACILITATOR_PAGES], [admin, ADMIN_PAGES]]) {
      const phone = await newPage({ viewport: SMALL });
      await logIn(phone, who);
      for (const path of pages) {
        await visit(phone, path);
        const by = await overflow(phone);
        if (by > 0) wide.push(`${path} (as ${who.email}) is ${by} px too wide`);
      }
    }
    assert.deepEqual(wide, [], 'pages that scroll sideways at 320 px');
  });
}
