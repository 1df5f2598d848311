// reply.h — JSON replies and the one table from error codes to HTTP status.
//
// Every answer the gateway gives is JSON. Errors look like
//   {"error":"validation_failed","message":"…","details":[{"field":…,"message":…}]}
// and their status comes from StatusFor(code), so a code means the same
// status wherever it is raised.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <mccig/sdk/result.h>
#include <nlohmann/json.hpp>

namespace mccig::http {

struct Reply {
  int status = 200;
  nlohmann::json body = nlohmann::json::object();  // null: no body (204)
  std::vector<std::pair<std::string, std::string>> headers{};
  bool close = false;  // close the connection afterwards (body left unread)
  // Non-JSON answers (/metrics): sent as is with this Content-Type.
  std::string content_type{};
  std::string text{};
};

int StatusFor(const std::string& error_code);

Reply ErrorReply(const sdk::Error& error);
Reply ErrorReply(int status, std::string code, std::string message);
// 405 naming the method to use, in the message and in Allow.
Reply MethodNotAllowed(const char* allow);
// 401 with a WWW-Authenticate challenge.
Reply Unauthorized(const std::string& message);

// 413 naming the limit; closes the connection (the rest of the body is
// left unread).
Reply TooLarge(std::size_t limit_bytes);

}  // namespace mccig::http
