// pg_event_store.h — EventStore on PostgreSQL.
//
// A batch goes by COPY in one transaction: the fastest way into the table,
// and nothing is ever built into SQL from data. Its rows are written as
// COPY text here and sent by libpq (copy_connection.h); everything else
// goes through libpqxx. When any of its events is
// already stored (a redelivery) the COPY fails as a whole, and the batch
// goes again as ONE parameter, a JSON array of rows expanded by
// jsonb_to_recordset with ON CONFLICT DO NOTHING: rows conflicting on the
// event id or on (tenant, channel, provider id) are skipped.
// The COPY sessions are shared by the worker's stores (PgEventStores).
#pragma once

#include <functional>
#include <memory>

#include "store/copy_sessions.h"
#include "store/event_store.h"
#include "store/pg_connection.h"

namespace mccig::store {

class PgEventStore final : public EventStore {
 public:
  explicit PgEventStore(const std::string& database_url)
      : PgEventStore(database_url, std::make_shared<CopySessions>(database_url, 1, 0)) {}
  PgEventStore(const std::string& database_url, std::shared_ptr<CopySessions> copy)
      : connection_(database_url), copy_(std::move(copy)) {}

  sdk::Result<std::vector<std::string>> Prepare() override;
  sdk::Result<std::size_t> InsertBatch(const std::vector<EventRow>& rows) override;
  sdk::Result<std::size_t> RecordFailure(const FailureRecord& failure) override;

 private:
  sdk::Result<std::size_t> InsertSkippingStored(const std::vector<EventRow>& rows);

  Connection connection_;
  std::shared_ptr<CopySessions> copy_;
  std::string copy_rows_;  // the COPY text of a batch; its buffer is reused
};

// Makes the worker's stores (one per consumer), which share copy_sessions
// server processes for their COPYs as copy_sessions.h says, a COPY of
// spill_rows rows or more taking any free one; each store still has a
// connection of its own for what is rare. Thread-safe.
std::function<std::unique_ptr<EventStore>()> PgEventStores(std::string database_url,
                                                           int copy_sessions,
                                                           std::size_t spill_rows);

// The JSON array of rows the conflict-aware insert sends as its one
// parameter (exposed for tests): each row's payloads go in as the JSON
// they are.
std::string RowsJson(const std::vector<EventRow>& rows);

}  // namespace mccig::store
