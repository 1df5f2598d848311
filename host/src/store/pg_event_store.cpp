// pg_event_store.cpp — see pg_event_store.h.
#include "store/pg_event_store.h"

#include <mccig/sdk/timestamp.h>
#include <functional>

#include <pqxx/stream_to>
#include <pqxx/transaction>

#include "json/json_writer.h"
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

namespace {

std::string JsonText(const nlohmann::json& value) {
  return value.is_null() ? std::string("{}") : json_writer::Dump(value);
}

// COPY of every event into the table, in `tx`. Throws
// pqxx::unique_violation when one of them is stored already.
void CopyRows(pqxx::work& tx, const std::vector<sdk::ConversationEvent>& events) {
  pqxx::stream_to copy(
      tx, "conversation_events",
      std::vector<std::string>{"id", "tenant_id", "provider_message_id", "channel", "content",
                               "metadata", "raw_metadata", "occurred_at"});
  for (const auto& e : events) {
    const std::string occurred =
        e.timestamp_from_provider ? sdk::FormatTimestamp(e.timestamp_ms) : std::string();
    copy << std::make_tuple(
        std::cref(e.event_id), std::cref(e.tenant_id), std::cref(e.provider_message_id),
        std::string(sdk::ChannelName(e.channel)), std::cref(e.content), JsonText(e.metadata),
        JsonText(e.raw_metadata), occurred.empty() ? nullptr : occurred.c_str());
  }
  copy.complete();
}

}  // namespace

sdk::Result<std::size_t> PgEventStore::InsertBatch(
    const std::vector<sdk::ConversationEvent>& events) {
  if (events.empty()) return std::size_t{0};
  // The common case, a batch none of which is stored yet, goes by COPY.
  // A redelivered event (a crash between commit and ack) makes the COPY
  // fail as a whole; the batch is then inserted skipping what is there.
  sdk::Result<bool> copied = WithConnection<bool>(connection_, [&](pqxx::connection& conn) {
    try {
      pqxx::work tx(conn);
      CopyRows(tx, events);
      tx.commit();
      return true;
    } catch (const pqxx::unique_violation&) {
      return false;
    }
  });
  if (!copied) return copied.error();
  if (copied.value()) return events.size();
  return InsertSkippingStored(events);
}

sdk::Result<std::size_t> PgEventStore::InsertSkippingStored(
    const std::vector<sdk::ConversationEvent>& events) {
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
