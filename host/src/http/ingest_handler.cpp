// ingest_handler.cpp — see ingest_handler.h.
#include "http/ingest_handler.h"

#include <chrono>

#include <Poco/Net/HTTPServerRequest.h>
#include <spdlog/spdlog.h>

#include "http/batch_handler.h"
#include "http/body_reader.h"
#include "http/credentials.h"
#include "http/read_watchdog.h"
#include "http/simulation.h"
#include "ingest/event_outcome.h"
#include "ingest/ingest_pipeline.h"

namespace mccig::http {
namespace {

ingest::Headers CollectHeaders(const Poco::Net::HTTPServerRequest& request) {
  ingest::Headers headers;
  for (const auto& [name, value] : request) headers.emplace_back(name, value);
  return headers;
}

}  // namespace

Reply AdmissionReply(const admission::AdmissionResult& result,
                     const sdk::ConversationEvent& event) {
  const ingest::EventOutcome outcome = ingest::AdmittedOutcome(result, event);
  Reply reply{.status = 503, .body = ingest::OutcomeJson(outcome)};
  const std::string retry_after = std::to_string(ingest::RetryAfterSeconds(outcome.retry_after_ms));
  switch (outcome.kind) {
    case ops::Outcome::kAccepted:
      reply.status = 201;
      break;
    case ops::Outcome::kDuplicate:
      reply.status = 200;
      break;
    case ops::Outcome::kRateLimited:
      reply.status = 429;
      reply.headers = {{"Retry-After", retry_after},
                       {"X-RateLimit-Limit", std::to_string(result.limit)},
                       {"X-RateLimit-Remaining", std::to_string(result.remaining)}};
      break;
    default:
      reply.headers = {{"Retry-After", retry_after}};
      break;
  }
  return reply;
}

namespace {

// The answer to one ingest request for `plugin`; sets `tenant` as soon as
// the request names one.
Reply Ingest(ServerContext& context, const sdk::ChannelPlugin& plugin,
             Poco::Net::HTTPServerRequest& request, std::string& tenant) {
  if (request.getMethod() != "POST") return MethodNotAllowed("POST");
  std::string body;
  if (std::optional<Reply> failed =
          ReadRequestBody(context, request, context.body_limit_bytes, body)) {
    return std::move(*failed);
  }

  ingest::Headers headers;
  if (plugin.HasVerifier()) headers = CollectHeaders(request);
  // Without a Host header (HTTP/1.0 allows that) the URL is host-less and
  // a provider signature over it fails as a mismatch, not as an error.
  static const std::string kNoHost;
  const std::string public_url =
      (context.public_base_url.empty() ? "http://" + request.get("Host", kNoHost)
                                       : context.public_base_url) +
      request.getURI();
  ingest::Caller caller;
  if (context.auth != nullptr) {
    sdk::Result<ingest::Caller> identified =
        IdentifyCaller(*context.auth, request, plugin.Info().name);
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
  sdk::Result<admission::AdmitOptions> options = SimulationOptions(context, request);
  if (!options) return ErrorReply(options.error());
  const auto started = std::chrono::steady_clock::now();
  const admission::AdmissionResult admitted =
      context.admission->Admit(event.value(), options.value());
  if (context.metrics != nullptr) {
    context.metrics->ObserveAdmission(
        event.value().tenant_id, ops::OutcomeName(ingest::OutcomeOf(admitted.status)),
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  }
  return AdmissionReply(admitted, event.value());
}

}  // namespace

Reply HandleIngest(ServerContext& context, std::string_view route,
                   Poco::Net::HTTPServerRequest& request, std::string& channel) {
  const std::shared_ptr<const plugins::PluginRegistry> registry = context.registry.load();
  const plugins::LoadedPlugin* loaded = registry ? registry->Find(route) : nullptr;
  // No plugin route ends in /batch (the loader refuses it), so this is one.
  const bool batch = loaded == nullptr && registry && route.ends_with(kBatchSuffix);
  if (batch) loaded = registry->Find(route.substr(0, route.size() - kBatchSuffix.size()));
  if (loaded == nullptr) {
    return ErrorReply(404, "not_found",
                      "no channel plugin serves /v1/ingest/" + std::string(route));
  }
  channel = sdk::ChannelName(loaded->plugin->Info().channel);
  if (batch) return HandleBatch(context, *loaded->plugin, request);  // records each event
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
