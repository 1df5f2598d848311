// router.cpp — see router.h.
#include "http/router.h"

#include <algorithm>
#include <cctype>

#include <spdlog/spdlog.h>

#include "http/console_handler.h"
#include "http/ingest_handler.h"
#include "http/internal_handler.h"
#include "http/ops_handler.h"
#include "http/stream_upgrade.h"
#include "ingest/event_id.h"

namespace mccig::http {
namespace {

// The route after `prefix`, or empty when `path` does not start with it.
std::string_view After(std::string_view path, std::string_view prefix) {
  if (!path.starts_with(prefix) || path.size() == prefix.size()) return {};
  return path.substr(prefix.size());
}

Reply RouteTo(ServerContext& context, const Route& route, const Request& request,
              std::string& channel) {
  if (!route.ingest.empty()) {
    const IngestTarget target = FindIngestTarget(context, route.ingest);
    channel = target.channel;
    return HandleIngestBatch(context, target, route.ingest, request);
  }
  if (route.path.starts_with(kInternalPrefix)) return HandleInternal(context, route.path, request);
  if (request.method == "GET") {
    if (std::optional<Reply> ops = HandleOps(context, route.path)) return std::move(*ops);
    if (std::optional<Reply> console =
            HandleConsole(context, route.path, request.Get("If-None-Match"))) {
      return std::move(*console);
    }
  }
  return ErrorReply(404, "not_found", "no such endpoint: " + std::string(route.path));
}

// The route and channel labels of a request, for the requests metric.
// Bounded: unknown paths are "other", unknown ingest routes "unknown".
std::pair<std::string, std::string> MetricLabels(const ServerContext& context, const Route& route,
                                                 std::string channel) {
  if (!route.ingest.empty()) {
    if (channel.empty()) channel = FindIngestTarget(context, route.ingest).channel;
    if (channel.empty()) channel = "unknown";
    return {route.ingest.ends_with(kBatchSuffix) ? "ingest_batch" : "ingest", std::move(channel)};
  }
  if (route.path.starts_with(kInternalPrefix)) return {"internal", ""};
  if (route.path.starts_with(kConsolePath)) return {"console", ""};
  if (route.path == kStreamPath) return {"stream", ""};
  if (route.path == "/openapi.json") return {"openapi", ""};
  for (const char* ops : {"/healthz", "/readyz", "/health", "/metrics"}) {
    if (route.path == ops) return {ops + 1, ""};
  }
  return {"other", ""};
}

}  // namespace

Route RouteOf(std::string_view uri) {
  Route r{.path = uri.substr(0, uri.find('?'))};
  r.ingest = After(r.path, kIngestPrefix);
  if (r.ingest.empty()) r.ingest = After(r.path, "/ingest/");
  return r;
}

std::string RequestId(const Request& request) {
  const std::string* given = request.Find("X-Request-Id");
  const bool sane = given != nullptr && !given->empty() && given->size() <= 128 &&
                    std::all_of(given->begin(), given->end(), [](unsigned char c) {
                      return std::isalnum(c) || c == '.' || c == '_' || c == ':' || c == '-';
                    });
  return sane ? *given : ingest::NewEventId(ingest::NowMs());
}

std::optional<Reply> Screen(const ServerContext& context, const Request& request) {
  if (request.http11 && !request.Has("Host")) {
    return ErrorReply(400, "missing_host", "an HTTP/1.1 request must carry a Host header");
  }
  if (request.method == "OPTIONS" && context.cors.enabled() &&
      request.Has("Access-Control-Request-Method")) {
    return context.cors.Preflight(request.Get("Origin"));
  }
  return std::nullopt;
}

Reply Dispatch(ServerContext& context, const Route& route, const Request& request,
               std::string& channel) {
  try {
    return RouteTo(context, route, request, channel);
  } catch (const std::exception& e) {
    spdlog::error("{} {} failed: {}", request.method, route.path, e.what());
    return ErrorReply(500, "internal_error", "unexpected error; this is a bug");
  }
}

void Complete(ServerContext& context, const Route& route, const Request& request,
              const std::string& request_id, std::string channel, Reply& reply) {
  const bool has_cors = std::any_of(reply.headers.begin(), reply.headers.end(), [](const auto& h) {
    return h.first == "Access-Control-Allow-Origin";
  });
  if (!has_cors) {  // a preflight's answer has its own
    for (auto& h : context.cors.Headers(request.Get("Origin")))
      reply.headers.push_back(std::move(h));
  }
  reply.headers.emplace_back("X-Request-Id", request_id);
  if (context.metrics != nullptr) {
    const auto [route_label, channel_label] = MetricLabels(context, route, std::move(channel));
    context.metrics->ObserveRequest(route_label, channel_label, reply.status);
  }
}

Reply Overloaded(const std::string& why) {
  Reply reply = ErrorReply(503, "overloaded", why + "; retry shortly");
  reply.headers = {{"Retry-After", "1"}};
  reply.close = true;
  return reply;
}

}  // namespace mccig::http
