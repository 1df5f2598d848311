// reply.cpp — see reply.h.
#include "http/reply.h"

#include <unordered_map>

#include "ingest/event_outcome.h"

namespace mccig::http {

int StatusFor(const std::string& code) {
  static const std::unordered_map<std::string, int> kStatus = {
      {"invalid_json", 400},       {"invalid_body", 400},      {"validation_failed", 400},
      {"unauthorized", 401},       {"forbidden", 403},         {"not_found", 404},
      {"method_not_allowed", 405}, {"payload_too_large", 413}, {"unsupported_media_type", 415},
      {"rate_limited", 429},       {"unavailable", 503},       {"plugin_error", 500},
      {"request_timeout", 408},    {"overloaded", 503},        {"db_unavailable", 503},
      {"redis_error", 503},        {"invalid_parameter", 400}, {"invalid_header", 400},
  };
  const auto it = kStatus.find(code);
  return it == kStatus.end() ? 500 : it->second;
}

Reply ErrorReply(int status, std::string code, std::string message) {
  return Reply{.status = status,
               .body = {{"error", std::move(code)}, {"message", std::move(message)}}};
}

Reply MethodNotAllowed(const char* allow) {
  Reply reply = ErrorReply(405, "method_not_allowed", std::string("use ") + allow);
  reply.headers = {{"Allow", allow}};
  return reply;
}

Reply Unauthorized(const std::string& message) {
  Reply reply = ErrorReply(401, "unauthorized", message);
  reply.headers = {{"WWW-Authenticate", "Bearer realm=\"mccig\""}};
  return reply;
}

Reply ErrorReply(const sdk::Error& error) {
  return Reply{.status = StatusFor(error.code), .body = ingest::ErrorJson(error)};
}

Reply TooLarge(std::size_t limit) {
  Reply reply =
      ErrorReply(413, "payload_too_large",
                 "the body is larger than the limit of " + std::to_string(limit) + " bytes");
  reply.body["limit_bytes"] = limit;
  reply.close = true;
  return reply;
}

}  // namespace mccig::http
