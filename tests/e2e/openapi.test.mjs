// openapi.test.mjs — GET /openapi.json on a real gateway (`mccig run`, real
// Redis and PostgreSQL), validated against the OpenAPI 3.0 schema by
// @seriousme/openapi-schema-validator, then used as a client would: every
// ingest operation is called with the example its schema documents.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import { startGateway, KEYS } from './gateway.mjs';

let gateway;
let doc;

before(async () => {
  gateway = await startGateway();
  const response = await fetch(`${gateway.base}/openapi.json`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /application\/json/);
  doc = await response.json();
});

after(async () => {
  await gateway?.stop();
});

test('the document is valid OpenAPI 3.0', async () => {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(doc));
  assert.ok(result.valid, JSON.stringify(result.errors, null, 2));
  assert.equal(validator.version, '3.0');
  // The validator is not lenient: a document without its info fails.
  const broken = structuredClone(doc);
  delete broken.info;
  assert.equal((await new Validator().validate(broken)).valid, false);
});

test('it lists every loaded plugin and the host routes this config serves', () => {
  for (const path of ['/v1/ingest/sms', '/v1/ingest/chat', '/v1/ingest/voice',
    '/v1/ingest/sms/batch', '/healthz', '/readyz', '/metrics', '/openapi.json',
    '/v1/internal/dlq']) {
    assert.ok(doc.paths[path], `${path} is documented`);
  }
  assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), ['ApiKey', 'BearerKey']);
});

// A payload made of the examples its schema documents.
function examplePayload(schemaRef) {
  const schema = doc.components.schemas[schemaRef.split('/').pop()];
  return Object.fromEntries(Object.entries(schema.properties)
    .filter(([, p]) => p.example !== undefined)
    .map(([name, p]) => [name, p.example]));
}

test('each documented example is accepted by the operation that documents it', async () => {
  const ingestPaths = Object.keys(doc.paths).filter((p) => p.startsWith('/v1/ingest/'));
  assert.ok(ingestPaths.length >= 6);
  for (const path of ingestPaths) {
    const operation = doc.paths[path].post;
    const schema = operation.requestBody.content['application/json'].schema;
    const batch = path.endsWith('/batch');
    const payload = examplePayload(batch ? schema.properties.events.items.$ref : schema.$ref);
    const body = batch ? { events: [payload] } : payload;
    const response = await fetch(`${gateway.base}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-API-Key': KEYS.acme },
      body: JSON.stringify(body),
    });
    const answer = await response.json();
    if (batch) {
      assert.equal(response.status, 200, `${path}: ${JSON.stringify(answer)}`);
      assert.equal(answer.results.length, 1);
      assert.ok(['accepted', 'duplicate'].includes(answer.results[0].status), JSON.stringify(answer));
    } else {
      assert.equal(response.status, 201, `${path}: ${JSON.stringify(answer)}`);
      assert.ok(operation.responses['201'], `${path} documents 201`);
      const accepted = doc.components.schemas.Accepted;
      for (const key of accepted.required) assert.ok(key in answer, `${path}: ${key} in the answer`);
    }
  }
});

test('an undocumented field is refused the way the document says errors look', async () => {
  const response = await fetch(`${gateway.base}/v1/ingest/chat`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-API-Key': KEYS.acme },
    body: JSON.stringify({ tenant_id: 'acme' }),
  });
  assert.equal(response.status, 400);
  const answer = await response.json();
  for (const key of doc.components.schemas.Error.required) assert.ok(key in answer);
  assert.ok(answer.details.every((d) => typeof d.field === 'string' && typeof d.message === 'string'));
});
