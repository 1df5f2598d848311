// copy_sessions.h — the PostgreSQL sessions (server processes) the
// worker's consumers share for their COPYs (worker.copy_sessions).
//
// A COPY of fewer than `spill_rows` rows always goes through the first
// session, waiting its turn: while the worker keeps up (single requests,
// a few dozen events a read) one server process does all the copying, and
// a request is not slowed by a second one waking for every COPY. A COPY of
// at least `spill_rows` rows (a backlog: full reads) takes the first
// session that is free, so while one server process copies a batch the
// next batch goes to another and PostgreSQL stores on both cores; only
// when every session is busy does it wait, for the first.
// Two processes appending at once cost PostgreSQL more CPU a row than one
// (copy_connection.h), which is why the second is taken only when the
// first is busy. Thread-safe; sessions connect on first use, so one never
// reached costs nothing.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "store/copy_connection.h"

namespace mccig::store {

class CopySessions {
 public:
  CopySessions(const std::string& database_url, int sessions, std::size_t spill_rows);

  // CopyConnection::CopyIn of `rows`, which hold `row_count` rows, on the
  // session the rule above picks.
  sdk::Result<bool> CopyIn(const std::string& statement, std::string_view rows,
                           std::size_t row_count);

 private:
  std::vector<std::unique_ptr<CopyConnection>> sessions_;  // never empty
  std::size_t spill_rows_;
};

}  // namespace mccig::store
