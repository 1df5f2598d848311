// page_docs.js — the API in one page: every ingest route with its fields,
// types, required flags, bounds and an example, generated from the loaded
// plugins' declarations (/v1/internal/plugins), then the gateway's own
// routes. The answers are the host's, the same for every plugin.
import { internal } from './api.js';
import { h, card, jsonBlock } from './ui.js';

const ANSWERS = [
  [201, 'accepted', 'Queued durably; it will be stored exactly once. Body: status, event_id, provider_message_id.'],
  [200, 'duplicate', 'Seen before under this tenant, channel and provider id; nothing queued. Body carries the original event_id.'],
  [400, 'invalid_json · validation_failed', 'The body is not valid; details name each field and the problem.'],
  [401, 'unauthorized', 'No API key, an unknown key, or a bad provider signature.'],
  [403, 'forbidden', 'The key belongs to another tenant than the one the request names.'],
  [405, 'method_not_allowed', 'Only POST ingests; Allow names it.'],
  [408, 'request_timeout', 'The body did not arrive in full within server.read_timeout_ms.'],
  [413, 'payload_too_large', 'The body is over server.body_limit_bytes.'],
  [415, 'unsupported_media_type', 'The Content-Type is not one the route accepts.'],
  [429, 'rate_limited', 'The tenant\'s bucket is empty; Retry-After says when to try again. Nothing was claimed.'],
  [503, 'unavailable · overloaded', 'Redis is unreachable or the gateway is shedding load; nothing was accepted. Retry after Retry-After.'],
];

const HOST_ROUTES = [
  ['POST', '/v1/ingest/{channel}/batch', 'Body {"events": [...]}: up to batch.max_events events of one channel, each judged on its own; 200 with a result per index and the totals (503 with the same body when Redis is down). API key.'],
  ['GET', '/v1/stream', 'WebSocket: send {"type":"event","id","channel","payload"} or {"type":"heartbeat"}; answers event_ack, event_error or heartbeat_ack with your id. API key on the upgrade.'],
  ['GET', '/healthz', 'Liveness: 200 while the process serves.'],
  ['GET', '/readyz', 'Readiness: Redis, PostgreSQL (schema current) and plugins; 503 naming what fails.'],
  ['GET', '/health', '/readyz plus a summary: queue length, pending, DLQ size, worker counts.'],
  ['GET', '/metrics', 'Prometheus text format.'],
  ['GET', '/openapi.json', 'This API as an OpenAPI 3.0 document, made from the loaded plugins like this page: feed it to a client generator or a validator.'],
  ['GET', '/v1/internal/events/count', 'Stored rows for ?provider_message_id=…[&tenant_id=…][&channel=…]. Admin token.'],
  ['GET', '/v1/internal/dlq', 'Dead letters, oldest first (?limit=1..1000), with the total. Admin token.'],
  ['POST', '/v1/internal/dlq/replay', 'Body {"id"} | {"ids": [...]} | {"all": true}: back on the queue. Admin token.'],
  ['GET', '/v1/internal/plugins', 'Each loaded plugin\'s declarations (this page is made from them). Admin token.'],
  ['GET', '/v1/internal/tenants', 'Limits, tokens now and recent 429s per tenant (?minutes=1..15). Admin token.'],
  ['GET', '/v1/internal/stats', 'Outcomes by tenant and channel, the rate series, queue and worker (?window_seconds, ?step_seconds). Admin token.'],
];

function bounds(f) {
  const parts = [];
  if (f.format === 'identifier') parts.push('[A-Za-z0-9._-]');
  if (f.min_length !== undefined) parts.push(`min length ${f.min_length}`);
  if (f.max_length !== undefined) parts.push(`max length ${f.max_length}`);
  if (f.minimum !== undefined) parts.push(`≥ ${f.minimum}`);
  if (f.maximum !== undefined) parts.push(`≤ ${f.maximum}`);
  if (f.type === 'timestamp') parts.push('ISO-8601 with a zone');
  return parts.join(', ');
}

function fieldsTable(fields) {
  return h('table', {},
    h('thead', {}, h('tr', {}, h('th', {}, 'Field'), h('th', {}, 'Type'), h('th', {}, 'Required'),
      h('th', {}, 'Constraints'), h('th', {}, 'Description'), h('th', {}, 'Example'))),
    h('tbody', {}, fields.map((f) => h('tr', { dataset: { field: f.name } },
      h('td', { class: 'mono' }, f.name), h('td', {}, f.type),
      h('td', {}, f.required ? h('strong', {}, 'yes') : 'no'),
      h('td', { class: 'muted' }, bounds(f)), h('td', {}, f.description),
      h('td', { class: 'mono' }, f.example === undefined ? '' : JSON.stringify(f.example))))));
}

function messageIdRule(plugin) {
  const { join = [], hash_of: hashOf = [] } = plugin.mapping.message_id;
  const parts = [];
  if (join.length) parts.push(`${join.join(' + ":" + ')}`);
  if (hashOf.length) parts.push(`else sha256 of (${hashOf.join(', ')})`);
  return parts.join('; ');
}

// The fields' examples in declaration order (the gateway's JSON sorts keys).
function exampleOf(plugin) {
  return Object.fromEntries(plugin.fields.filter((f) => f.example !== undefined).map((f) => [f.name, f.example]));
}

function routeDoc(plugin) {
  const route = plugin.routes[0];
  const example = exampleOf(plugin);
  const curl = [`curl -X POST '${location.origin}/v1/ingest/${route}'`,
    "  -H 'Authorization: Bearer $API_KEY'", `  -H 'Content-Type: ${plugin.accepts[0]}'`,
    `  -d '${JSON.stringify(example)}'`].join(' \\\n');
  return card(h('span', {}, h('span', { class: 'method' }, 'POST'), h('code', {}, `/v1/ingest/${route}`)),
    h('div', { class: 'docs-route', dataset: { testid: `docs-${plugin.name}` } },
      h('p', {}, plugin.description),
      h('dl', { class: 'kv' },
        h('dt', {}, 'Plugin'), h('dd', {}, `${plugin.name} ${plugin.version} · channel ${plugin.channel}`),
        h('dt', {}, 'Also at'), h('dd', { class: 'mono' }, plugin.routes.map((r) => `/ingest/${r}`).join(', ')),
        h('dt', {}, 'Content-Type'), h('dd', { class: 'mono' }, plugin.accepts.join(' or ')),
        h('dt', {}, 'Auth'), h('dd', {}, 'Authorization: Bearer <API key> (or X-API-Key)',
          plugin.has_verifier ? ', or the provider\'s signature for tenants with a signing secret' : ''),
        h('dt', {}, 'Message id'), h('dd', { class: 'mono' }, messageIdRule(plugin)),
        h('dt', {}, 'Extra fields'), h('dd', {}, 'kept as they came in raw_metadata')),
      h('div', { class: 'table-wrap' }, fieldsTable(plugin.fields)),
      h('div', { class: 'grid two' },
        h('div', { class: 'grid' }, h('h3', {}, 'Example body'), jsonBlock(example)),
        h('div', { class: 'grid' }, h('h3', {}, 'Example call'), h('pre', {}, curl)))),
    h('span', { class: 'badge channel' }, plugin.channel));
}

export default {
  title: 'API Docs Lite',
  subtitle: 'Every route, generated from the loaded plugins\' declarations.',
  async render(page) {
    const { plugins } = await internal('plugins');
    const toc = h('div', { class: 'actions' }, plugins.map((p) => h('a', { href: `#/docs/${p.name}`,
      onclick: (e) => { e.preventDefault(); document.querySelector(`[data-testid="docs-${p.name}"]`)?.scrollIntoView(); } },
    `/v1/ingest/${p.routes[0]}`)));
    page.actions.append(toc);
    page.main.append(
      ...plugins.map(routeDoc),
      card('Answers (every ingest route)', h('table', {},
        h('thead', {}, h('tr', {}, h('th', {}, 'Status'), h('th', {}, 'error'), h('th', {}, 'Meaning'))),
        h('tbody', {}, ANSWERS.map(([status, code, meaning]) => h('tr', {},
          h('td', { class: 'mono' }, String(status)), h('td', { class: 'mono' }, code), h('td', {}, meaning)))))),
      card('Gateway routes', h('table', {},
        h('tbody', {}, HOST_ROUTES.map(([method, path, what]) => h('tr', {},
          h('td', {}, h('span', { class: `method ${method.toLowerCase()}` }, method), h('code', {}, path)),
          h('td', {}, what)))))));
  },
};
