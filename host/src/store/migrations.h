// migrations.h — the schema, applied by numbered SQL files.
//
// Migrations are the files host/db/migrations/NNNN_name.sql, compiled in
// (resources/resources.h) and applied in order, each in its own transaction
// together with its row in schema_migrations. A session advisory lock
// serialises concurrent starters (a gateway and two workers starting at
// once apply each file exactly once). Applying is idempotent: a database
// already up to date is left untouched.
#pragma once

#include <string>
#include <vector>

#include <mccig/sdk/result.h>
#include <pqxx/connection>

namespace mccig::store {

struct Migration {
  int version = 0;
  std::string name{};  // file name, e.g. "0001_conversation_events.sql"
  std::string sql{};
};

// The compiled-in migrations, ordered by version.
const std::vector<Migration>& Migrations();

// Applies what is missing; returns the names applied now (empty: up to date).
sdk::Result<std::vector<std::string>> Migrate(pqxx::connection& conn);

// The newest version applied, 0 for an empty database.
sdk::Result<int> AppliedVersion(pqxx::connection& conn);

}  // namespace mccig::store
