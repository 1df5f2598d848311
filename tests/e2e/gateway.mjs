// gateway.mjs — a real gateway for the browser tests: its own redis-server,
// its own database on the PostgreSQL at DATABASE_URL (scripts/test starts
// one), and `mccig run` (HTTP + worker) with a config written for the test.
// Anything missing fails loudly: these tests are never skipped.
import { spawn, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ADMIN_TOKEN = 'console-test-admin-token';
export const KEYS = { acme: 'console-test-key-acme', globex: 'console-test-key-globex' };

function need(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the browser tests through scripts/test (or ctest in build/)`);
  return value;
}

const sha256 = (text) => createHash('sha256').update(text).digest('hex');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(what, check, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  let last = null;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms${last ? `: ${last.message}` : ''}`);
}

function configYaml({ port, redisUrl, databaseUrl, pluginDir }) {
  return `# written by tests/e2e/gateway.mjs
server: {listen: "127.0.0.1:${port}"}
redis: {url: "${redisUrl}"}
postgres: {url: "${databaseUrl}"}
rate_limit: {capacity: 100, refill_per_second: 50}
worker: {concurrency: 1, batch_size: 50, max_retries: 1, base_backoff_ms: 50, max_backoff_ms: 200}
auth:
  mode: api_key
  admin_token_sha256: [${sha256(ADMIN_TOKEN)}]
internal_endpoints: {enabled: true}
simulation: {enabled: true}
log: {level: info, format: text}
plugin_dir: "${pluginDir}"
plugins:
  - {name: sms, path: libmccig_sms.so}
  - {name: chat, path: libmccig_chat.so}
  - {name: voice, path: libmccig_voice.so}
tenants:
  - id: acme
    api_keys_sha256: [${sha256(KEYS.acme)}]
  - id: globex
    rate_limit: {capacity: 5, refill_per_second: 0.2}
    api_keys_sha256: [${sha256(KEYS.globex)}]
`;
}

export async function startGateway() {
  const binary = need('MCCIG_BINARY');
  const pluginDir = need('MCCIG_PLUGIN_DIR');
  const adminUrl = need('DATABASE_URL');
  const dir = mkdtempSync(join(tmpdir(), 'mccig-console-'));
  const stops = [() => rmSync(dir, { recursive: true, force: true })];
  const stop = async () => {
    for (const s of stops.reverse()) await s();
  };
  try {
    const redisPort = await freePort();
    const redis = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(redisPort),
      '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
    redis.on('error', (e) => { throw new Error(`cannot start redis-server: ${e.message}`); });
    stops.push(() => redis.kill('SIGKILL'));

    const database = `mccig_console_${randomBytes(4).toString('hex')}`;
    execFileSync('psql', [adminUrl, '-qAtc', `CREATE DATABASE ${database}`]);
    stops.push(() => execFileSync('psql', [adminUrl, '-qAtc', `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`]));
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;

    const port = await freePort();
    const configPath = join(dir, 'mccig.yaml');
    const redisUrl = `redis://127.0.0.1:${redisPort}/0`;
    const databaseUrl = url.toString();
    writeFileSync(configPath, configYaml({ port, redisUrl, databaseUrl, pluginDir }));
    // REDIS_URL and DATABASE_URL in the environment override the YAML (as
    // for operators), so they are set to this gateway's own servers too.
    const gateway = spawn(binary, ['run', '--config', configPath], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, REDIS_URL: redisUrl, DATABASE_URL: databaseUrl },
    });
    const log = [];
    gateway.stdout.on('data', (d) => log.push(d));
    gateway.stderr.on('data', (d) => log.push(d));
    let exited = null;
    gateway.on('exit', (code) => { exited = code; });
    stops.push(async () => {
      if (exited === null) {
        gateway.kill('SIGTERM');
        await waitFor('the gateway to stop', () => exited !== null, 15000).catch(() => gateway.kill('SIGKILL'));
      }
    });

    const base = `http://127.0.0.1:${port}`;
    await waitFor('the gateway to be ready', async () => {
      if (exited !== null) throw new Error(`mccig exited with ${exited}:\n${Buffer.concat(log)}`);
      return (await fetch(`${base}/readyz`)).status === 200;
    });
    return { base, stop, log: () => Buffer.concat(log).toString() };
  } catch (e) {
    await stop();
    throw e;
  }
}

export { waitFor };
