// event_store.h — where accepted events end up: the conversation_events
// table, and ingest_failures for those that could not be stored.
//
// InsertBatch stores a batch in one statement and one transaction: either
// every row is stored (or was already: ON CONFLICT DO NOTHING makes a
// re-delivered event a no-op) or none is. Its error says which kind of
// failure it was (pg_connection.h): "db_unavailable" — retry the batch
// later; "db_rejected" — some row is unstorable, insert them one by one to
// find it. Implementations are used by one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <mccig/sdk/result.h>

#include "store/event_row.h"

namespace mccig::store {

struct FailureRecord {
  std::string event_id{};
  std::string tenant_id{};
  std::string channel{};
  std::string provider_message_id{};
  std::string stage{};  // "decode" | "persist"
  std::string error{};
  std::string payload{};  // the queue entry as it was
  int attempts = 0;
};

class EventStore {
 public:
  virtual ~EventStore() = default;

  // Makes the schema current (migrations); returns the migrations applied.
  virtual sdk::Result<std::vector<std::string>> Prepare() = 0;

  // Stores the rows; returns how many were new.
  virtual sdk::Result<std::size_t> InsertBatch(const std::vector<EventRow>& rows) = 0;

  // Records (or, for the same event and stage, updates) a failure.
  virtual sdk::Result<std::size_t> RecordFailure(const FailureRecord& failure) = 0;
};

}  // namespace mccig::store
