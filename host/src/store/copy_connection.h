// copy_connection.h — a libpq connection that runs COPY ... FROM STDIN
// with rows the host has written as COPY text itself (copy_text.h).
//
// libpqxx 6 copies row by row, each value through its own escaping (a
// quarter of the worker's CPU under a batch load), and takes no text that
// is ready; libpq takes a whole batch in one call. The connection is made
// on first use and dropped after any failure that may have broken it, so
// the next use reconnects, as Connection does (pg_connection.h). Failures
// are classified as there.
//
// Thread-safe: the worker's consumers share them (copy_sessions.h), and
// the COPYs of one then take turns on its one server process. Measured on
// two cores, two sessions copying 1000-row statements at once cost
// PostgreSQL about 40 % more CPU per row than one session copying them all
// (likely cause: each server process keeps its own idea of the last page
// of the table and of each index, where the rows go, and two processes
// appending there keep spoiling each other's).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <libpq-fe.h>
#include <mccig/sdk/result.h>

namespace mccig::store {

class CopyConnection {
 public:
  explicit CopyConnection(std::string url) : url_(std::move(url)) {}

  // Runs `statement`, a COPY ... FROM STDIN, with `rows` (COPY text, each
  // row ended by a newline), as one statement: every row or none. Returns
  // true once they are stored; false when one of them conflicts with a
  // stored row (a unique violation: nothing was stored); or the error,
  // "db_unavailable" or "db_rejected". Concurrent calls take turns.
  sdk::Result<bool> CopyIn(const std::string& statement, std::string_view rows);
  // As CopyIn, unless another COPY holds the session: then nothing (at once).
  std::optional<sdk::Result<bool>> TryCopyIn(const std::string& statement, std::string_view rows);

 private:
  struct Finish {
    void operator()(PGconn* conn) const { PQfinish(conn); }
  };

  // CopyIn with mutex_ held.
  sdk::Result<bool> CopyInLocked(const std::string& statement, std::string_view rows);
  // The live connection, or "db_unavailable".
  sdk::Result<PGconn*> Get();
  // "db_unavailable": `what`, with libpq's message; drops the connection.
  sdk::Error Unavailable(const std::string& what);
  // Drops the connection if the server or the network broke it.
  void DropIfBroken();

  std::string url_;
  std::mutex mutex_;  // held for a whole COPY: guards conn_
  std::unique_ptr<PGconn, Finish> conn_;
};

}  // namespace mccig::store
