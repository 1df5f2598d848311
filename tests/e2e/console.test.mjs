// console.test.mjs — the operations console in a real browser: Debian's
// chromium driven by playwright-core, against `mccig run` on real Redis and
// PostgreSQL (gateway.mjs). Each page must load without a console error;
// the playground must get a 201, the replay page must show one stored row
// after five sends, and a simulated worker failure must show up on the DLQ
// page and be replayed from there. Screenshots of every page are written to
// MCCIG_SCREENSHOTS (build/console-screenshots under ctest).
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startGateway, waitFor, ADMIN_TOKEN, KEYS } from './gateway.mjs';

const SHOTS = process.env.MCCIG_SCREENSHOTS || join(process.cwd(), 'console-screenshots');
const PAGES = ['dashboard', 'playground', 'replay', 'limits', 'dlq', 'docs'];

let gateway;
let browser;
let page;
const problems = [];  // console errors and uncaught page errors, as they happen

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  gateway = await startGateway();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'],
  });
  page = await browser.newPage({ viewport: { width: 1440, height: 960 } });
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => d.accept());  // "Replay all?" confirmations
});

after(async () => {
  await browser?.close();
  await gateway?.stop();
});

afterEach(() => {
  const seen = problems.splice(0);
  assert.deepEqual(seen, [], 'the console logged errors');
});

async function open(name) {
  await page.goto(`${gateway.base}/console/#/${name}`);
  await page.waitForSelector(`main[data-page="${name}"][data-ready="true"]`);
}

async function shot(name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function chooseTenant(tenant) {
  await page.selectOption('#tenant', tenant);
  await page.fill('#api-key', KEYS[tenant]);
}

async function storedCount(providerId) {
  const q = new URLSearchParams({ provider_message_id: providerId });
  const answer = await fetch(`${gateway.base}/v1/internal/events/count?${q}`,
    { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
  return (await answer.json()).count;
}

test('the console asks for the admin token and keeps it for the tab', async () => {
  await page.goto(`${gateway.base}/console/`);
  await page.waitForSelector('#sign-in[open]');
  await page.fill('#sign-in-token', 'not-the-token');
  await page.click('#sign-in-form button[type="submit"]');
  await page.waitForSelector('#sign-in-error:not([hidden])');
  problems.splice(0);  // the refused token's 401s are expected here
  await page.fill('#sign-in-token', ADMIN_TOKEN);
  await page.click('#sign-in-form button[type="submit"]');
  await page.waitForSelector('#sign-in[open]', { state: 'detached' });
  await page.waitForSelector('main[data-page="dashboard"] [data-testid="kpi-accepted"]');
  problems.splice(0);  // the first page load before signing in got 401s by design
});

test('every page loads without a console error', async () => {
  for (const name of PAGES) {
    await open(name);
    await page.waitForTimeout(300);  // a refresh tick or two
    assert.deepEqual(problems, [], `page ${name}`);
  }
});

test('the playground posts an sms and shows 201', async () => {
  await open('playground');
  await page.click('button[data-plugin="sms"]');
  await chooseTenant('acme');
  await page.fill('#field-Body', 'Hello from the playground');
  await page.click('#send');
  const badge = page.locator('[data-testid="response"] .badge').first();
  await badge.waitFor();
  assert.equal(await badge.textContent(), '201');
  assert.match(await page.locator('[data-testid="response-body"]').textContent(), /"accepted"/);
  await shot('playground');
});

test('the playground builds a form for every loaded plugin', async () => {
  await open('playground');
  for (const [plugin, field] of [['chat', 'messageId'], ['voice', 'callId'], ['sms', 'MessageSid']]) {
    await page.click(`button[data-plugin="${plugin}"]`);
    await page.waitForSelector(`[data-plugin="${plugin}"] #field-${field}`);
  }
});

test('the replay page shows one stored row after five sends', async () => {
  await open('replay');
  await chooseTenant('acme');
  await page.fill('#replay-times', '5');
  await page.click('#replay-run');
  await page.waitForSelector('[data-testid="verdict"].ok', { timeout: 20000 });
  assert.equal(await page.locator('[data-testid="stored-count"]').textContent(), '1');
  const statuses = await page.locator('[data-testid="replay-sends"] .badge').allTextContents();
  assert.deepEqual(statuses, ['201', '200', '200', '200', '200']);
  await shot('replay');
});

test('the rate limit monitor shows tokens and recent 429s', async () => {
  // globex: a burst of 5, refilled at 0.2/s; eight sends give three 429s.
  for (let i = 0; i < 8; i++) {
    await fetch(`${gateway.base}/v1/ingest/chat`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${KEYS.globex}` },
      body: JSON.stringify({ tenant_id: 'globex', chatId: 'c1', userId: 'u1', message: `burst ${i}`,
        messageId: `burst-${Date.now()}-${i}` }),
    });
  }
  await open('limits');
  const recent = page.locator('tr[data-tenant="globex"] [data-testid="recent-429"]');
  await recent.waitFor();
  await waitFor('three 429s on the monitor', async () => (await recent.textContent()) === '3');
  await shot('limits');
});

test('a simulated worker failure appears on the DLQ page and is replayed there', async () => {
  await open('playground');
  await page.click('button[data-plugin="sms"]');
  await chooseTenant('acme');
  await page.check('#simulate');
  const providerId = await page.inputValue('#field-MessageSid');
  await page.click('#send');
  await page.locator('[data-testid="response"] .badge', { hasText: '201' }).waitFor();

  await open('dlq');
  const row = page.locator('[data-testid="dlq-table"] tr', { hasText: providerId });
  await row.waitFor({ timeout: 20000 });
  await row.click();
  const detail = page.locator('[data-testid="dlq-detail"]');
  await detail.waitFor();
  assert.match(await detail.textContent(), /simulated/i);
  await shot('dlq');
  await page.click('[data-testid="replay-one"]');
  await row.waitFor({ state: 'detached', timeout: 10000 });
  await waitFor('the replayed event to be stored', async () => (await storedCount(providerId)) === 1);
});

test('the dashboard counts the traffic and charts it', async () => {
  await open('dashboard');
  const accepted = page.locator('[data-testid="kpi-accepted"] .value');
  await waitFor('accepted traffic on the dashboard', async () => Number(await accepted.textContent()) >= 3);
  await page.waitForSelector('[data-testid="by-channel"] tr[data-row="sms"]');
  await page.waitForSelector('[data-testid="by-tenant"] tr[data-row="globex"]');
  await page.waitForSelector('.chart svg rect');
  await shot('dashboard');
});

test('the API docs list every route with its fields', async () => {
  await open('docs');
  for (const [plugin, field] of [['sms', 'MessageSid'], ['chat', 'chatId'], ['voice', 'callId']]) {
    await page.waitForSelector(`[data-testid="docs-${plugin}"] tr[data-field="${field}"]`);
  }
  await shot('docs');
});
