// copy_connection.cpp — see copy_connection.h.
#include "store/copy_connection.h"

#include <algorithm>
#include <optional>

#include "store/pg_connection.h"

namespace mccig::store {
namespace {

struct Clear {
  void operator()(PGresult* result) const { PQclear(result); }
};
using ResultPtr = std::unique_ptr<PGresult, Clear>;

constexpr const char* kUniqueViolation = "23505";

std::string SqlstateOf(const PGresult* result) {
  const char* sqlstate = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  return sqlstate == nullptr ? std::string() : std::string(sqlstate);
}

sdk::Error StatementError(const PGresult* result, const std::string& sqlstate) {
  return DatabaseError(PQresultErrorMessage(result), sqlstate, ClassifySqlstate(sqlstate));
}

}  // namespace

sdk::Error CopyConnection::Unavailable(const std::string& what) {
  std::string message = what;
  if (conn_) message += ": " + std::string(PQerrorMessage(conn_.get()));
  conn_.reset();  // whatever state it is in, the next use starts afresh
  return DatabaseError(std::move(message), "", FailureKind::kTransient);
}

void CopyConnection::DropIfBroken() {
  if (conn_ && PQstatus(conn_.get()) != CONNECTION_OK) conn_.reset();
}

sdk::Result<PGconn*> CopyConnection::Get() {
  if (conn_ && PQstatus(conn_.get()) == CONNECTION_OK) return conn_.get();
  conn_.reset(PQconnectdb(WithConnectTimeout(url_).c_str()));
  if (!conn_) return sdk::Error{"db_unavailable", "out of memory connecting to PostgreSQL", {}};
  if (PQstatus(conn_.get()) != CONNECTION_OK) {
    return Unavailable("cannot connect to " + RedactUrl(url_));
  }
  return conn_.get();
}

sdk::Result<bool> CopyConnection::CopyIn(const std::string& statement, std::string_view rows) {
  const std::lock_guard lock(mutex_);
  return CopyInLocked(statement, rows);
}

std::optional<sdk::Result<bool>> CopyConnection::TryCopyIn(const std::string& statement,
                                                           std::string_view rows) {
  const std::unique_lock lock(mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return std::nullopt;
  return CopyInLocked(statement, rows);
}

sdk::Result<bool> CopyConnection::CopyInLocked(const std::string& statement,
                                               std::string_view rows) {
  sdk::Result<PGconn*> got = Get();
  if (!got) return got.error();
  PGconn* conn = got.value();
  {
    const ResultPtr started(PQexec(conn, statement.c_str()));
    if (!started) return Unavailable("COPY could not start");
    if (PQresultStatus(started.get()) != PGRES_COPY_IN) {
      sdk::Error error = StatementError(started.get(), SqlstateOf(started.get()));
      DropIfBroken();
      return error;
    }
  }
  // PQputCopyData takes an int's worth at a time; libpq sends as it goes.
  constexpr std::size_t kChunk = std::size_t{1} << 20;
  for (std::size_t at = 0; at < rows.size(); at += kChunk) {
    const std::size_t n = std::min(kChunk, rows.size() - at);
    if (PQputCopyData(conn, rows.data() + at, static_cast<int>(n)) != 1) {
      return Unavailable("COPY data could not be sent");
    }
  }
  if (PQputCopyEnd(conn, nullptr) != 1) return Unavailable("COPY could not be ended");
  // The COPY's own result, then the end of results (a null); the first
  // failure is the outcome.
  std::optional<sdk::Result<bool>> failed;
  while (const ResultPtr result{PQgetResult(conn)}) {
    const ExecStatusType status = PQresultStatus(result.get());
    // Still copying after the end was sent: the conversation is lost.
    if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
      return Unavailable("COPY did not end");
    }
    if (status == PGRES_COMMAND_OK || failed) continue;
    const std::string sqlstate = SqlstateOf(result.get());
    if (sqlstate == kUniqueViolation) {
      failed.emplace(false);
    } else {
      failed.emplace(StatementError(result.get(), sqlstate));
    }
  }
  DropIfBroken();
  return failed ? *std::move(failed) : sdk::Result<bool>(true);
}

}  // namespace mccig::store
