-- 0001 — the events table (DESIGN.md §4). Uniqueness is per tenant and
-- channel; the provider's time and the normalized metadata are kept.
CREATE TABLE conversation_events (
  id UUID PRIMARY KEY,                              -- event_id
  tenant_id TEXT NOT NULL,
  provider_message_id TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('sms','chat','voice')),
  content TEXT NOT NULL,
  metadata JSONB NOT NULL DEFAULT '{}'::jsonb,      -- normalized
  raw_metadata JSONB NOT NULL DEFAULT '{}'::jsonb,  -- the original payload
  occurred_at TIMESTAMPTZ,                          -- provider's timestamp
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  UNIQUE (tenant_id, channel, provider_message_id)
);
CREATE INDEX idx_conversation_events_tenant_created_at
  ON conversation_events (tenant_id, created_at);
