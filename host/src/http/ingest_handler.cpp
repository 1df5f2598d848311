// ingest_handler.cpp — see ingest_handler.h.
#include "http/ingest_handler.h"

#include <chrono>

#include <boost/asio/post.hpp>

#include <spdlog/spdlog.h>

#include "http/batch_handler.h"
#include "http/credentials.h"
#include "http/simulation.h"
#include "ingest/event_outcome.h"
#include "ingest/ingest_pipeline.h"

namespace mccig::http {
namespace {

// A single event on its way through admission: what the batcher borrows
// and the callback needs.
struct InFlight {
  IngestTarget target{};
  sdk::ConversationEvent event{};
  std::string raw_metadata_text{};  // the queue's text of event.raw_metadata, or none
  std::string tenant{};
  std::function<void(Reply)> done{};
  std::chrono::steady_clock::time_point submitted{};
};

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

// Everything before admission: the event, or the reply that refuses the
// request. Sets `tenant` as soon as the request names one.
std::variant<Reply, ingest::PreparedEvent> Prepare(ServerContext& context,
                                                   const sdk::ChannelPlugin& plugin,
                                                   const Request& request, std::string& tenant) {
  if (request.method != "POST") return MethodNotAllowed("POST");
  // Without a Host header (HTTP/1.0 allows that) the URL is host-less and
  // a provider signature over it fails as a mismatch, not as an error.
  const std::string public_url = (context.public_base_url.empty() ? "http://" + request.Get("Host")
                                                                  : context.public_base_url) +
                                 request.uri;
  ingest::Caller caller;
  if (context.auth != nullptr) {
    sdk::Result<ingest::Caller> identified =
        IdentifyCaller(*context.auth, request, plugin.Info().name);
    if (!identified) return Unauthorized(identified.error().message);
    caller = std::move(identified.value());
    tenant = caller.key_tenant;
  }
  const ingest::IngestRequest ingest_request{.content_type = request.ContentType(),
                                             .body = request.body,
                                             .method = request.method,
                                             .public_url = public_url,
                                             .headers = &request.headers,
                                             .received_ms = ingest::NowMs(),
                                             .caller = context.auth ? &caller : nullptr};
  sdk::Result<ingest::PreparedEvent> event = ingest::PrepareEventAndText(plugin, ingest_request);
  if (!event) {
    if (event.error().code == "unauthorized") return Unauthorized(event.error().message);
    if (event.error().code == "plugin_error") {
      spdlog::error("plugin {} failed on {}: {}", plugin.Info().name, request.uri,
                    event.error().message);
      return ErrorReply(500, "internal_error", "the channel plugin failed; this is a bug");
    }
    return ErrorReply(event.error());
  }
  tenant = event.value().event.tenant_id;
  return std::move(event.value());
}

// The single request's outcome in the operator's traffic view.
void RecordTraffic(ServerContext& context, const std::string& tenant, const std::string& channel,
                   const Reply& reply) {
  if (context.traffic == nullptr) return;
  const ops::Outcome outcome = ops::OutcomeOfStatus(reply.status);
  const int64_t retry_after =
      outcome == ops::Outcome::kRateLimited ? reply.body.value("retry_after_seconds", 0) : 0;
  context.traffic->Record(tenant, channel, outcome, ingest::NowMs(), retry_after);
}

}  // namespace

IngestTarget FindIngestTarget(const ServerContext& context, std::string_view route) {
  IngestTarget target{.registry = context.registry.load()};
  if (!target.registry) return target;
  const plugins::LoadedPlugin* loaded = target.registry->Find(route);
  // No plugin route ends in /batch (the loader refuses it), so this is one.
  if (loaded == nullptr && route.ends_with(kBatchSuffix)) {
    loaded = target.registry->Find(route.substr(0, route.size() - kBatchSuffix.size()));
    target.batch = loaded != nullptr;
  }
  if (loaded != nullptr) {
    target.plugin = loaded->plugin.get();
    target.channel = sdk::ChannelName(target.plugin->Info().channel);
  }
  return target;
}

void IngestAsync(ServerContext& context, admission::AdmissionBatcher& batcher,
                 boost::asio::any_io_executor executor, IngestTarget target, const Request& request,
                 std::function<void(Reply)> done) {
  auto flight =
      std::make_shared<InFlight>(InFlight{.target = std::move(target), .done = std::move(done)});
  auto refuse = [&](Reply reply) {
    RecordTraffic(context, flight->tenant, flight->target.channel, reply);
    flight->done(std::move(reply));
  };
  std::variant<Reply, ingest::PreparedEvent> prepared =
      Prepare(context, *flight->target.plugin, request, flight->tenant);
  if (auto* refusal = std::get_if<Reply>(&prepared)) return refuse(std::move(*refusal));
  ingest::PreparedEvent& event = std::get<ingest::PreparedEvent>(prepared);
  flight->event = std::move(event.event);
  flight->raw_metadata_text = std::move(event.raw_metadata_text);
  sdk::Result<admission::AdmitOptions> options = SimulationOptions(context, request);
  if (!options) return refuse(ErrorReply(options.error()));
  flight->submitted = std::chrono::steady_clock::now();
  batcher.SubmitBorrowed(
      flight->event,
      [&context, flight, executor](const admission::AdmissionResult& result,
                                   const sdk::ConversationEvent&) {
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - flight->submitted)
                .count();
        boost::asio::post(executor, [&context, flight, result, seconds] {
          const sdk::ConversationEvent& event = flight->event;
          if (context.metrics != nullptr) {
            context.metrics->ObserveAdmission(
                event.tenant_id, ops::OutcomeName(ingest::OutcomeOf(result.status)), seconds);
          }
          Reply reply = AdmissionReply(result, event);
          RecordTraffic(context, flight->tenant, flight->target.channel, reply);
          flight->done(std::move(reply));
        });
      },
      options.value(), flight->raw_metadata_text);
}

Reply HandleIngestBatch(ServerContext& context, const IngestTarget& target, std::string_view route,
                        const Request& request) {
  if (target.plugin == nullptr) {
    return ErrorReply(404, "not_found",
                      "no channel plugin serves /v1/ingest/" + std::string(route));
  }
  return HandleBatch(context, *target.plugin, request);  // records each event
}

}  // namespace mccig::http
