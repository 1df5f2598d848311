// event_queries.h — the read side the HTTP API needs: how many rows exist
// for a provider message id. One connection shared by handler threads
// under a mutex: these are operator endpoints, not the ingest hot path.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include <mccig/sdk/result.h>

#include "store/pg_connection.h"

namespace mccig::store {

class EventQueries {
 public:
  explicit EventQueries(std::string database_url) : connection_(std::move(database_url)) {}

  // Rows with this provider message id, optionally for one tenant and/or
  // one channel. Errors: "db_unavailable".
  sdk::Result<int64_t> CountEvents(const std::string& provider_message_id,
                                   const std::optional<std::string>& tenant_id,
                                   const std::optional<std::string>& channel);

  // The newest migration applied (0: none). Errors: "db_unavailable".
  sdk::Result<int> SchemaVersion();

 private:
  std::mutex mutex_;
  Connection connection_;
};

}  // namespace mccig::store
