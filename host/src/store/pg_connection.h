// pg_connection.h — how the host talks to PostgreSQL: connection strings,
// lazily (re)made connections, and which failures are worth retrying.
//
// A failure is a rejection only when PostgreSQL refused the data itself (a
// value it cannot store, a constraint, a value too large); anything else —
// the server down or restarting, the connection broken, even a missing
// table — is transient, because retrying later is the only answer that
// loses nothing. The worker retries transient failures without limit and
// isolates rejections row by row. Errors never carry the password.
#pragma once

#include <exception>
#include <memory>
#include <string>

#include <mccig/sdk/result.h>
#include <pqxx/connection>

namespace mccig::store {

enum class FailureKind { kTransient, kRejected };

// The libpq connection string with a connect timeout added unless the URL
// sets one, so a dead server costs seconds, not minutes.
std::string WithConnectTimeout(const std::string& url, int seconds = 3);

// The URL with any password replaced by "***", for logs and errors.
std::string RedactUrl(const std::string& url);

// Classifies a failed statement by its SQLSTATE (empty when the server
// gave none, as when the connection broke).
FailureKind ClassifySqlstate(const std::string& sqlstate);

// Classifies an exception thrown by libpqxx.
FailureKind Classify(const std::exception& e);

// An sdk::Error for it: code "db_unavailable" (transient) or "db_rejected".
sdk::Error ToError(const std::exception& e);

// The error of a failure worded `message` (its trailing newline dropped),
// with the SQLSTATE appended when there is one, coded by `kind`: what
// ToError builds, for failures libpq reports without libpqxx.
sdk::Error DatabaseError(std::string message, const std::string& sqlstate, FailureKind kind);

// One connection, made on first use and dropped after a broken-connection
// error so the next use reconnects. Not thread-safe: one per thread.
class Connection {
 public:
  explicit Connection(std::string url) : url_(std::move(url)) {}

  // The live connection, or "db_unavailable".
  sdk::Result<pqxx::connection*> Get();
  // Forget the connection (after an error that may have broken it).
  void Reset() { conn_.reset(); }

  const std::string& url() const { return url_; }

 private:
  std::string url_;
  std::unique_ptr<pqxx::connection> conn_;
};

// Runs `body(pqxx::connection&)` on the connection, turning exceptions into
// errors and resetting the connection when it may be broken.
template <typename T, typename Body>
sdk::Result<T> WithConnection(Connection& connection, Body&& body) {
  sdk::Result<pqxx::connection*> conn = connection.Get();
  if (!conn) return conn.error();
  try {
    return body(*conn.value());
  } catch (const std::exception& e) {
    if (Classify(e) == FailureKind::kTransient) connection.Reset();
    return ToError(e);
  }
}

}  // namespace mccig::store
