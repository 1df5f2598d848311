// api.js — every call the console makes to the gateway. Internal views go
// to /v1/internal/* with the admin token; ingest calls go to the public API
// with a tenant's key, exactly as a provider would send them. Tokens and
// keys live in sessionStorage: this tab only, gone when it closes.

const TOKEN_KEY = 'mccig.adminToken';
const TENANT_KEYS = 'mccig.tenantKeys';

export function adminToken() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

export function setAdminToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export function tenantKey(tenant) {
  const keys = JSON.parse(sessionStorage.getItem(TENANT_KEYS) || '{}');
  return keys[tenant] || '';
}

export function setTenantKey(tenant, key) {
  const keys = JSON.parse(sessionStorage.getItem(TENANT_KEYS) || '{}');
  keys[tenant] = key;
  sessionStorage.setItem(TENANT_KEYS, JSON.stringify(keys));
}

// Raised when the admin token is missing or refused; app.js asks for one.
export class AuthRequired extends Error {}

// The answer of one request: status, headers (lower-case names), the body
// parsed as JSON when it is JSON, the raw text, and the time it took.
async function send(path, { method = 'GET', headers = {}, body } = {}) {
  const started = performance.now();
  const response = await fetch(path, { method, headers, body, cache: 'no-store' });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers.entries()),
    json,
    text,
    ms: performance.now() - started,
  };
}

// GET or POST an internal endpoint; resolves to its JSON body, throws
// AuthRequired on 401 and an Error carrying the gateway's message otherwise.
export async function internal(route, { method = 'GET', body } = {}) {
  const headers = { Authorization: `Bearer ${adminToken()}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const answer = await send(`/v1/internal/${route}`, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (answer.status === 401) throw new AuthRequired(answer.json?.message || 'admin token required');
  if (answer.status >= 400 || !answer.json) {
    throw new Error(answer.json?.message || `${method} /v1/internal/${route}: ${answer.status}`);
  }
  return answer.json;
}

// What a sending page needs: the loaded plugins, the tenants, and the
// gateway's settings (whether keys are required, simulation mode).
export async function sendingContext() {
  const [{ plugins }, { tenants }, { gateway }] = await Promise.all([
    internal('plugins'), internal('tenants'), internal('stats?window_seconds=10&step_seconds=10')]);
  return { plugins, tenants, gateway };
}

// POST a payload to /v1/ingest/{route} as the given tenant; resolves to the
// whole answer (any status) so the caller can show it.
export function ingest(route, { key, contentType, body, simulateFailure = false }) {
  const headers = { 'Content-Type': contentType };
  if (key) headers.Authorization = `Bearer ${key}`;
  if (simulateFailure) headers['X-Simulate-Failure'] = 'worker';
  return send(`/v1/ingest/${encodeURIComponent(route)}`, { method: 'POST', headers, body });
}

export function health() {
  return send('/health');
}

// Payload object → request body in the given media type.
export function encodeBody(payload, contentType) {
  if (contentType === 'application/x-www-form-urlencoded') {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(payload)) {
      params.append(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
    }
    return params.toString();
  }
  return JSON.stringify(payload);
}
