// pg_event_store.cpp — see pg_event_store.h.
#include "store/pg_event_store.h"

#include <mccig/sdk/timestamp.h>
#include <pqxx/transaction>

#include "store/migrations.h"

namespace mccig::store {
namespace {

constexpr const char* kInsertEvents = R"SQL(
INSERT INTO conversation_events
  (id, tenant_id, provider_message_id, channel, content, metadata, raw_metadata, occurred_at)
SELECT id, tenant_id, provider_message_id, channel, content,
       COALESCE(metadata, '{}'::jsonb), COALESCE(raw_metadata, '{}'::jsonb), occurred_at
FROM jsonb_to_recordset($1::jsonb) AS r(
  id uuid, tenant_id text, provider_message_id text, channel text, content text,
  metadata jsonb, raw_metadata jsonb, occurred_at timestamptz)
ON CONFLICT DO NOTHING
)SQL";

constexpr const char* kRecordFailure = R"SQL(
INSERT INTO ingest_failures
  (event_id, tenant_id, channel, provider_message_id, stage, error, payload, attempts)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (event_id, stage) DO UPDATE
  SET error = EXCLUDED.error, payload = EXCLUDED.payload,
      attempts = ingest_failures.attempts + EXCLUDED.attempts, last_seen = NOW()
)SQL";

// PostgreSQL text cannot hold NUL; a failure record must always be storable.
std::string WithoutNul(std::string text) {
  std::erase(text, '\0');
  return text;
}

}  // namespace

nlohmann::json EventRow(const sdk::ConversationEvent& event) {
  return {{"id", event.event_id},
          {"tenant_id", event.tenant_id},
          {"provider_message_id", event.provider_message_id},
          {"channel", sdk::ChannelName(event.channel)},
          {"content", event.content},
          {"metadata", event.metadata},
          {"raw_metadata", event.raw_metadata},
          {"occurred_at", event.timestamp_from_provider
                              ? nlohmann::json(sdk::FormatTimestamp(event.timestamp_ms))
                              : nlohmann::json(nullptr)}};
}

sdk::Result<std::vector<std::string>> PgEventStore::Prepare() {
  sdk::Result<pqxx::connection*> conn = connection_.Get();
  if (!conn) return conn.error();
  auto applied = Migrate(*conn.value());
  if (!applied) connection_.Reset();
  return applied;
}

sdk::Result<std::size_t> PgEventStore::InsertBatch(
    const std::vector<sdk::ConversationEvent>& events) {
  if (events.empty()) return std::size_t{0};
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& e : events) rows.push_back(EventRow(e));
  const std::string param = rows.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return WithConnection<std::size_t>(connection_, [&](pqxx::connection& conn) {
    pqxx::work tx(conn);
    const pqxx::result r = tx.exec_params(kInsertEvents, param);
    tx.commit();
    return static_cast<std::size_t>(r.affected_rows());
  });
}

sdk::Result<std::size_t> PgEventStore::RecordFailure(const FailureRecord& f) {
  return WithConnection<std::size_t>(connection_, [&](pqxx::connection& conn) {
    pqxx::work tx(conn);
    const pqxx::result r =
        tx.exec_params(kRecordFailure, WithoutNul(f.event_id), WithoutNul(f.tenant_id),
                       WithoutNul(f.channel), WithoutNul(f.provider_message_id), f.stage,
                       WithoutNul(f.error), WithoutNul(f.payload), f.attempts);
    tx.commit();
    return static_cast<std::size_t>(r.affected_rows());
  });
}

}  // namespace mccig::store
