// request.h — one HTTP request as the handlers see it: read in full by the
// server (http_session.h) before any handler runs, so handlers never touch
// a socket and never wait for a client.
//
// Header names compare case-insensitively (RFC 9110 §5.1); a repeated header
// answers with its first value.
#pragma once

#include <string>
#include <string_view>

#include "ingest/ingest_pipeline.h"

namespace mccig::http {

struct Request {
  std::string method{};
  std::string uri{};  // the request target as sent: path and query
  bool http11 = true;
  ingest::Headers headers{};  // in arrival order
  std::string body{};         // within its route's limit: the server refuses larger ones (413)

  bool Has(std::string_view name) const { return Find(name) != nullptr; }
  std::string Get(std::string_view name, const std::string& fallback = {}) const {
    const std::string* value = Find(name);
    return value ? *value : fallback;
  }
  // Empty when absent; a reference into the request.
  const std::string& ContentType() const;
  const std::string* Find(std::string_view name) const;
};

}  // namespace mccig::http
