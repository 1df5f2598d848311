// ingest_handler.cpp — see ingest_handler.h.
#include "http/ingest_handler.h"

#include <chrono>
#include <istream>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/URI.h>
#include <spdlog/spdlog.h>

#include "http/credentials.h"
#include "http/read_watchdog.h"
#include "ingest/ingest_pipeline.h"

namespace mccig::http {
namespace {

// Simulation mode: asks the worker to fail this event (retry → dead letter).
constexpr const char* kSimulateHeader = "X-Simulate-Failure";

int64_t CeilSeconds(int64_t ms) {
  return ms <= 0 ? 1 : (ms + 999) / 1000;
}

enum class BodyRead { kComplete, kTooLarge, kIncomplete };

// Reads at most `limit` bytes, under the watchdog's deadline when there is
// one. kIncomplete: the stream ended (or was cut) before Content-Length.
BodyRead ReadBody(ServerContext& context, Poco::Net::HTTPServerRequest& request, std::size_t limit,
                  std::string& body) {
  std::optional<ReadWatchdog::Guard> guard;
  if (context.read_watchdog != nullptr) {
    auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request);
    if (impl != nullptr) guard.emplace(context.read_watchdog->Watch(impl->socket()));
  }
  std::istream& in = request.stream();
  if (request.hasContentLength())
    body.reserve(static_cast<std::size_t>(request.getContentLength64()));
  char buffer[16384];
  while (in) {
    in.read(buffer, sizeof buffer);
    body.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (body.size() > limit) return BodyRead::kTooLarge;
  }
  if (in.bad() || (request.hasContentLength() &&
                   static_cast<int64_t>(body.size()) < request.getContentLength64())) {
    return BodyRead::kIncomplete;
  }
  return BodyRead::kComplete;
}

Reply Incomplete(const ServerContext& context) {
  const auto ms = context.read_watchdog ? context.read_watchdog->limit().count() : 0;
  Reply reply = ErrorReply(408, "request_timeout",
                           "the body did not arrive in full" +
                               (ms > 0 ? " within " + std::to_string(ms) + " ms" : std::string()));
  reply.close = true;
  return reply;
}

ingest::Headers CollectHeaders(const Poco::Net::HTTPServerRequest& request) {
  ingest::Headers headers;
  for (const auto& [name, value] : request) headers.emplace_back(name, value);
  return headers;
}

Reply TooLarge(std::size_t limit) {
  Reply reply =
      ErrorReply(413, "payload_too_large",
                 "the body is larger than the limit of " + std::to_string(limit) + " bytes");
  reply.body["limit_bytes"] = limit;
  reply.close = true;
  return reply;
}

std::string_view OutcomeName(admission::AdmissionStatus status) {
  switch (status) {
    case admission::AdmissionStatus::kAccepted:
      return "accepted";
    case admission::AdmissionStatus::kDuplicate:
      return "duplicate";
    case admission::AdmissionStatus::kRateLimited:
      return "rate_limited";
    case admission::AdmissionStatus::kUnavailable:
      break;
  }
  return "unavailable";
}

std::string TenantFromQuery(const std::string& uri) {
  try {
    for (const auto& [k, v] : Poco::URI(uri).getQueryParameters()) {
      if (k == "tenant_id") return v;
    }
  } catch (const std::exception&) {
  }
  return {};
}

// The caller as far as the headers and the URL tell; an error for an API
// key that matches no tenant (a wrong key is refused, never ignored).
sdk::Result<ingest::Caller> IdentifyCaller(const auth::Authenticator& auth,
                                           const sdk::ChannelPlugin& plugin,
                                           const Poco::Net::HTTPServerRequest& request) {
  ingest::Caller caller{.auth_required = auth.required(),
                        .url_tenant = TenantFromQuery(request.getURI())};
  const std::string key = PresentedCredential(request);
  if (!key.empty()) {
    std::optional<std::string> tenant = auth.TenantForKey(key);
    if (!tenant) return sdk::Error{"unauthorized", "the API key is not valid", {}};
    caller.key_tenant = std::move(*tenant);
  }
  const std::string plugin_name = plugin.Info().name;
  caller.signing_secret = [&auth, plugin_name](const std::string& tenant) {
    return auth.SigningSecret(tenant, plugin_name);
  };
  return caller;
}

}  // namespace

Reply AdmissionReply(const admission::AdmissionResult& result,
                     const sdk::ConversationEvent& event) {
  using admission::AdmissionStatus;
  switch (result.status) {
    case AdmissionStatus::kAccepted:
      return Reply{.status = 201,
                   .body = {{"status", "accepted"},
                            {"event_id", event.event_id},
                            {"provider_message_id", event.provider_message_id}}};
    case AdmissionStatus::kDuplicate: {
      Reply reply{
          .status = 200,
          .body = {{"status", "duplicate"}, {"provider_message_id", event.provider_message_id}}};
      if (!result.original_event_id.empty()) reply.body["event_id"] = result.original_event_id;
      return reply;
    }
    case AdmissionStatus::kRateLimited: {
      const int64_t seconds = CeilSeconds(result.retry_after_ms);
      Reply reply = ErrorReply(429, "rate_limited",
                               "tenant '" + event.tenant_id + "' is over its rate limit");
      reply.body["retry_after_seconds"] = seconds;
      reply.headers = {{"Retry-After", std::to_string(seconds)},
                       {"X-RateLimit-Limit", std::to_string(result.limit)},
                       {"X-RateLimit-Remaining", std::to_string(result.remaining)}};
      return reply;
    }
    case AdmissionStatus::kUnavailable:
      break;
  }
  Reply reply =
      ErrorReply(503, "unavailable", "the queue is unavailable; nothing was accepted, retry later");
  reply.headers = {{"Retry-After", std::to_string(CeilSeconds(result.retry_after_ms))}};
  return reply;
}

namespace {

// The answer to one ingest request for `plugin`; sets `tenant` as soon as
// the request names one.
Reply Ingest(ServerContext& context, const sdk::ChannelPlugin& plugin,
             Poco::Net::HTTPServerRequest& request, std::string& tenant) {
  if (request.getMethod() != "POST") {
    Reply reply = ErrorReply(405, "method_not_allowed", "use POST to ingest");
    reply.headers = {{"Allow", "POST"}};
    return reply;
  }
  const std::size_t limit = context.body_limit_bytes;
  if (request.hasContentLength() && request.getContentLength64() > static_cast<int64_t>(limit)) {
    return TooLarge(limit);
  }
  std::string body;
  switch (ReadBody(context, request, limit, body)) {
    case BodyRead::kTooLarge:
      return TooLarge(limit);
    case BodyRead::kIncomplete:
      return Incomplete(context);
    case BodyRead::kComplete:
      break;
  }

  ingest::Headers headers;
  if (plugin.HasVerifier()) headers = CollectHeaders(request);
  const std::string public_url =
      (context.public_base_url.empty() ? "http://" + request.getHost() : context.public_base_url) +
      request.getURI();
  ingest::Caller caller;
  if (context.auth != nullptr) {
    sdk::Result<ingest::Caller> identified = IdentifyCaller(*context.auth, plugin, request);
    if (!identified) return Unauthorized(identified.error().message);
    caller = std::move(identified.value());
    tenant = caller.key_tenant;
  }
  const ingest::IngestRequest ingest_request{.content_type = request.getContentType(),
                                             .body = body,
                                             .method = request.getMethod(),
                                             .public_url = public_url,
                                             .headers = &headers,
                                             .received_ms = ingest::NowMs(),
                                             .caller = context.auth ? &caller : nullptr};
  sdk::Result<sdk::ConversationEvent> event = ingest::PrepareEvent(plugin, ingest_request);
  if (!event) {
    if (event.error().code == "unauthorized") return Unauthorized(event.error().message);
    if (event.error().code == "plugin_error") {
      spdlog::error("plugin {} failed on {}: {}", plugin.Info().name, request.getURI(),
                    event.error().message);
      return ErrorReply(500, "internal_error", "the channel plugin failed; this is a bug");
    }
    return ErrorReply(event.error());
  }
  tenant = event.value().tenant_id;
  admission::AdmitOptions options;
  if (context.simulation_mode && request.has(kSimulateHeader)) {
    const std::string& value = request.get(kSimulateHeader);
    if (value != "worker" && value != "true") {
      return ErrorReply(400, "invalid_header",
                        std::string(kSimulateHeader) + " must be \"worker\" (or \"true\")");
    }
    options.simulate_worker_failure = true;
  }
  const auto started = std::chrono::steady_clock::now();
  const admission::AdmissionResult admitted = context.admission->Admit(event.value(), options);
  if (context.metrics != nullptr) {
    context.metrics->ObserveAdmission(
        event.value().tenant_id, OutcomeName(admitted.status),
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  }
  if (admitted.status == admission::AdmissionStatus::kUnavailable) {
    spdlog::warn("admission unavailable: {}", admitted.detail);
  }
  return AdmissionReply(admitted, event.value());
}

}  // namespace

Reply HandleIngest(ServerContext& context, std::string_view route,
                   Poco::Net::HTTPServerRequest& request, std::string& channel) {
  const std::shared_ptr<const plugins::PluginRegistry> registry = context.registry.load();
  const plugins::LoadedPlugin* loaded = registry ? registry->Find(route) : nullptr;
  if (loaded == nullptr) {
    return ErrorReply(404, "not_found",
                      "no channel plugin serves /v1/ingest/" + std::string(route));
  }
  channel = sdk::ChannelName(loaded->plugin->Info().channel);
  std::string tenant;
  Reply reply = Ingest(context, *loaded->plugin, request, tenant);
  if (context.traffic != nullptr) {
    const ops::Outcome outcome = ops::OutcomeOfStatus(reply.status);
    const int64_t retry_after =
        outcome == ops::Outcome::kRateLimited ? reply.body.value("retry_after_seconds", 0) : 0;
    context.traffic->Record(tenant, channel, outcome, ingest::NowMs(), retry_after);
  }
  return reply;
}

}  // namespace mccig::http
