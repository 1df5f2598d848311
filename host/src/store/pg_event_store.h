// pg_event_store.h — EventStore on PostgreSQL (libpqxx).
//
// A batch goes by COPY in one transaction: the fastest way into the table,
// and nothing is ever built into SQL from data. When any of its events is
// already stored (a redelivery) the COPY fails as a whole, and the batch
// goes again as ONE parameter, a JSON array of rows expanded by
// jsonb_to_recordset with ON CONFLICT DO NOTHING: rows conflicting on the
// event id or on (tenant, channel, provider id) are skipped.
#pragma once

#include "store/event_store.h"
#include "store/pg_connection.h"

namespace mccig::store {

class PgEventStore final : public EventStore {
 public:
  explicit PgEventStore(std::string database_url) : connection_(std::move(database_url)) {}

  sdk::Result<std::vector<std::string>> Prepare() override;
  sdk::Result<std::size_t> InsertBatch(const std::vector<EventRow>& rows) override;
  sdk::Result<std::size_t> RecordFailure(const FailureRecord& failure) override;

 private:
  sdk::Result<std::size_t> InsertSkippingStored(const std::vector<EventRow>& rows);

  Connection connection_;
};

// The JSON array of rows the conflict-aware insert sends as its one
// parameter (exposed for tests): each row's payloads go in as the JSON
// they are.
std::string RowsJson(const std::vector<EventRow>& rows);

}  // namespace mccig::store
