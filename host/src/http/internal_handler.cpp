// internal_handler.cpp — see internal_handler.h.
#include "http/internal_handler.h"

#include "http/credentials.h"
#include "http/internal_views.h"
#include "http/query_params.h"
#include "queue/event_codec.h"

namespace mccig::http {
namespace {

constexpr std::size_t kMaxReplayBody = 64 * 1024;

Reply CountEvents(ServerContext& context, const Query& q) {
  const auto pmid = Param(q, "provider_message_id");
  if (!pmid) return BadParameter("provider_message_id", "required");
  auto count = context.queries->CountEvents(*pmid, Param(q, "tenant_id"), Param(q, "channel"));
  if (!count) return ErrorReply(count.error());
  return Reply{.status = 200, .body = {{"count", count.value()}}};
}

nlohmann::json DeadLetterJson(const queue::DeadLetter& d) {
  nlohmann::json entry = {{"id", d.id},
                          {"error", d.error},
                          {"stage", d.stage},
                          {"attempts", d.attempts},
                          {"source_id", d.source_id},
                          {"failed_at_ms", d.failed_at_ms}};
  const nlohmann::json event = nlohmann::json::parse(d.event, nullptr, false);
  if (event.is_object()) {
    for (const char* key : {"event_id", "tenant_id", "channel_type", "provider_message_id"}) {
      if (event.contains(key)) entry[key] = event[key];
    }
    entry["event"] = event;
  } else {
    entry["event"] = d.event;  // not JSON: shown as it was queued
  }
  return entry;
}

Reply ListDeadLetters(ServerContext& context, const Query& q) {
  const IntParam limit = ReadIntParam(q, "limit", 50, 1, 1000);
  if (limit.error) return *limit.error;
  auto letters = context.queue->ListDeadLetters(static_cast<int>(limit.value));
  if (!letters)
    return ErrorReply(503, "unavailable", "the queue is unavailable: " + letters.error().message);
  auto stats = context.queue->Stats();
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& d : letters.value()) entries.push_back(DeadLetterJson(d));
  return Reply{.status = 200,
               .body = {{"entries", std::move(entries)},
                        {"total", stats ? stats.value().dead_letters : -1}}};
}

Reply ReplayDeadLetters(ServerContext& context, const Request& request) {
  const std::string& body = request.body;
  if (body.size() > kMaxReplayBody) return TooLarge(kMaxReplayBody);
  const nlohmann::json j = nlohmann::json::parse(body.empty() ? "{}" : body, nullptr, false);
  if (!j.is_object()) return ErrorReply(400, "invalid_json", "the body must be a JSON object");
  std::vector<std::string> ids;
  if (j.contains("id")) {
    if (!j["id"].is_string()) return BadParameter("id", "must be a string");
    ids.push_back(j["id"]);
  }
  if (j.contains("ids")) {
    if (!j["ids"].is_array()) return BadParameter("ids", "must be an array of strings");
    for (const auto& id : j["ids"]) {
      if (!id.is_string()) return BadParameter("ids", "must be an array of strings");
      ids.push_back(id);
    }
  }
  const bool all = j.value("all", false);
  if (ids.empty() && !all) return BadParameter("ids", "give \"id\", \"ids\" or \"all\": true");
  if (!ids.empty() && all) return BadParameter("all", "cannot be combined with ids");
  auto moved = context.queue->Replay(ids);
  if (!moved) {
    return ErrorReply(503, "unavailable", "the queue is unavailable: " + moved.error().message);
  }
  return Reply{.status = 200, .body = {{"replayed", moved.value()}}};
}

}  // namespace

Reply HandleInternal(ServerContext& context, std::string_view path, const Request& request) {
  if (!context.internal_endpoints || context.queue == nullptr || context.queries == nullptr) {
    return ErrorReply(404, "not_found", "no such endpoint: " + std::string(path));
  }
  if (context.auth != nullptr && context.auth->required()) {
    const std::string token = PresentedCredential(request);
    if (!context.auth->IsAdminToken(token)) {
      return Unauthorized(token.empty()
                              ? "an admin token is required: Authorization: Bearer <token>"
                              : "the admin token is not valid");
    }
  }
  const std::string_view route = path.substr(kInternalPrefix.size());
  const bool get = request.method == "GET";
  if (route == "events/count")
    return get ? CountEvents(context, ParseQuery(request)) : MethodNotAllowed("GET");
  if (route == "dlq")
    return get ? ListDeadLetters(context, ParseQuery(request)) : MethodNotAllowed("GET");
  if (route == "plugins") return get ? PluginsView(context) : MethodNotAllowed("GET");
  if (route == "tenants")
    return get ? TenantsView(context, ParseQuery(request)) : MethodNotAllowed("GET");
  if (route == "stats")
    return get ? StatsView(context, ParseQuery(request)) : MethodNotAllowed("GET");
  if (route == "dlq/replay") {
    return request.method == "POST" ? ReplayDeadLetters(context, request)
                                    : MethodNotAllowed("POST");
  }
  return ErrorReply(404, "not_found", "no such endpoint: " + std::string(path));
}

}  // namespace mccig::http
