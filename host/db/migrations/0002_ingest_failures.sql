-- 0002 — the durable record of events the worker could not store, so the
-- dead-letter history survives a Redis flush. One row per event and stage;
-- a repeat failure bumps attempts and last_seen. The payload is kept as
-- text: it may hold what JSONB refuses (that can be why it failed).
CREATE TABLE ingest_failures (
  id BIGSERIAL PRIMARY KEY,
  event_id TEXT NOT NULL,
  tenant_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  provider_message_id TEXT NOT NULL,
  stage TEXT NOT NULL,                 -- decode | persist
  error TEXT NOT NULL,
  payload TEXT NOT NULL,               -- the queue entry as it was
  attempts INTEGER NOT NULL,
  first_seen TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  last_seen TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  UNIQUE (event_id, stage)
);
CREATE INDEX idx_ingest_failures_tenant_last_seen ON ingest_failures (tenant_id, last_seen);
