// pg_event_store.cpp — see pg_event_store.h.
#include "store/pg_event_store.h"

#include <algorithm>
#include <vector>

#include <pqxx/transaction>

#include "json/json_writer.h"
#include "store/copy_text.h"
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

std::string RowsJson(const std::vector<EventRow>& rows) {
  std::string out = "[";
  for (const EventRow& r : rows) {
    if (out.size() > 1) out += ',';
    const auto text = [&out](const char* key, std::string_view value) {
      out.append(key);
      json_writer::AppendString(out, value);
    };
    text(R"({"id":)", r.event_id);
    text(R"(,"tenant_id":)", r.tenant_id);
    text(R"(,"provider_message_id":)", r.provider_message_id);
    text(R"(,"channel":)", sdk::ChannelName(r.channel));
    text(R"(,"content":)", r.content);
    out.append(R"(,"metadata":)").append(r.metadata);  // JSON text already
    out.append(R"(,"raw_metadata":)").append(r.raw_metadata);
    if (r.occurred_at.empty()) {
      out.append(R"(,"occurred_at":null)");
    } else {
      text(R"(,"occurred_at":)", r.occurred_at);
    }
    out += '}';
  }
  out += ']';
  return out;
}

sdk::Result<std::vector<std::string>> PgEventStore::Prepare() {
  sdk::Result<pqxx::connection*> conn = connection_.Get();
  if (!conn) return conn.error();
  auto applied = Migrate(*conn.value());
  // Batches go by the COPY connection; this one is made again only for
  // what is rare (a redelivered batch, a failure record), so a consumer
  // keeps one server process busy, not two.
  connection_.Reset();
  return applied;
}

namespace {

constexpr const char* kCopyEvents =
    "COPY conversation_events (id, tenant_id, provider_message_id, channel, content, metadata, "
    "raw_metadata, occurred_at) FROM STDIN";

// Appends the row in the column order of kCopyEvents.
void AppendCopyRow(std::string& out, const EventRow& r) {
  for (std::string_view field : {std::string_view(r.event_id), std::string_view(r.tenant_id),
                                 std::string_view(r.provider_message_id),
                                 sdk::ChannelName(r.channel), std::string_view(r.content),
                                 std::string_view(r.metadata), std::string_view(r.raw_metadata)}) {
    copy_text::AppendField(out, field);
    out += '\t';
  }
  if (r.occurred_at.empty()) {
    copy_text::AppendNull(out);
  } else {
    copy_text::AppendField(out, r.occurred_at);
  }
  out += '\n';
}

}  // namespace

sdk::Result<std::size_t> PgEventStore::InsertBatch(const std::vector<EventRow>& events) {
  if (events.empty()) return std::size_t{0};
  // The common case, a batch none of which is stored yet, goes by COPY.
  // A redelivered event (a crash between commit and ack) makes the COPY
  // fail as a whole; the batch is then inserted skipping what is there.
  // The COPY runs outside BEGIN/COMMIT: one statement is its own
  // transaction, all rows or none, and it saves two of the four round
  // trips (each a wake-up of the server and of this thread) per batch.
  copy_rows_.clear();
  for (const EventRow& r : events) AppendCopyRow(copy_rows_, r);
  sdk::Result<bool> copied = copy_->CopyIn(kCopyEvents, copy_rows_, events.size());
  if (!copied) return copied.error();
  if (copied.value()) return events.size();
  return InsertSkippingStored(events);
}

sdk::Result<std::size_t> PgEventStore::InsertSkippingStored(const std::vector<EventRow>& events) {
  const std::string param = RowsJson(events);
  return WithConnection<std::size_t>(connection_, [&](pqxx::connection& conn) {
    pqxx::work tx(conn);
    const pqxx::result r = tx.exec_params(kInsertEvents, param);
    tx.commit();
    return static_cast<std::size_t>(r.affected_rows());
  });
}

std::function<std::unique_ptr<EventStore>()> PgEventStores(std::string database_url,
                                                           int copy_sessions,
                                                           std::size_t spill_rows) {
  auto sessions = std::make_shared<CopySessions>(database_url, copy_sessions, spill_rows);
  return [sessions, url = std::move(database_url)]() -> std::unique_ptr<EventStore> {
    return std::make_unique<PgEventStore>(url, sessions);
  };
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
