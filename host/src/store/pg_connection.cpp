// pg_connection.cpp — see pg_connection.h.
#include "store/pg_connection.h"

#include <pqxx/except>

namespace mccig::store {

std::string WithConnectTimeout(const std::string& url, int seconds) {
  if (url.find("connect_timeout") != std::string::npos) return url;
  const std::string setting = "connect_timeout=" + std::to_string(seconds);
  const bool uri = url.starts_with("postgresql://") || url.starts_with("postgres://");
  if (!uri) return url.empty() ? setting : url + " " + setting;
  return url + (url.find('?') == std::string::npos ? "?" : "&") + setting;
}

std::string RedactUrl(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) {
    const auto pw = url.find("password=");
    if (pw == std::string::npos) return url;
    const auto end = url.find(' ', pw);
    return url.substr(0, pw) + "password=***" + (end == std::string::npos ? "" : url.substr(end));
  }
  const auto at = url.find('@', scheme);
  const auto colon = url.find(':', scheme + 3);
  if (at == std::string::npos || colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

// SQLSTATE classes that blame the data of a row: 22 data exception (a value
// PostgreSQL cannot store), 23 integrity constraint, 54 program limit (a
// value too large). Everything else (the server down or restarting, auth,
// a missing table) says nothing about the row: retrying later is the only
// answer that loses nothing, so it is transient.
FailureKind ClassifySqlstate(const std::string& sqlstate) {
  const std::string cls = sqlstate.substr(0, 2);
  return cls == "22" || cls == "23" || cls == "54" ? FailureKind::kRejected
                                                   : FailureKind::kTransient;
}

FailureKind Classify(const std::exception& e) {
  if (dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr ||
      dynamic_cast<const pqxx::in_doubt_error*>(&e) != nullptr) {
    return FailureKind::kTransient;
  }
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
    return ClassifySqlstate(sql->sqlstate());
  }
  // Anything else from libpqxx (usage errors aside) means the conversation
  // with the server failed; treat it as transient so nothing is dropped.
  return FailureKind::kTransient;
}

sdk::Error ToError(const std::exception& e) {
  const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e);
  return DatabaseError(e.what(), sql != nullptr ? sql->sqlstate() : std::string(), Classify(e));
}

sdk::Error DatabaseError(std::string message, const std::string& sqlstate, FailureKind kind) {
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  if (!sqlstate.empty()) message += " (SQLSTATE " + sqlstate + ")";
  return sdk::Error{
      kind == FailureKind::kTransient ? "db_unavailable" : "db_rejected", std::move(message), {}};
}

sdk::Result<pqxx::connection*> Connection::Get() {
  if (conn_ && conn_->is_open()) return conn_.get();
  conn_.reset();
  try {
    conn_ = std::make_unique<pqxx::connection>(WithConnectTimeout(url_));
    return conn_.get();
  } catch (const std::exception& e) {
    return sdk::Error{
        "db_unavailable", "cannot connect to " + RedactUrl(url_) + ": " + e.what(), {}};
  }
}

}  // namespace mccig::store
