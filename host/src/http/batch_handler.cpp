// batch_handler.cpp — see batch_handler.h.
#include "http/batch_handler.h"

#include <algorithm>
#include <chrono>
#include <variant>

#include "http/credentials.h"
#include "http/outcome_record.h"
#include "http/simulation.h"
#include "ingest/body_decoder.h"
#include "ingest/event_outcome.h"
#include "ingest/ingest_pipeline.h"
#include "json/json_writer.h"

namespace mccig::http {
namespace {

constexpr sdk::BodyFormat kJsonOnly[] = {sdk::BodyFormat::kJson};

// A batch body's "events": the array, and each event's compact text (what
// its raw_metadata is queued as; none when the body took the slow reader).
struct BatchEvents {
  nlohmann::json events;
  std::vector<std::string> texts;
};

// The "events" of a batch body, or the error naming what is wrong.
sdk::Result<BatchEvents> EventsOf(std::string_view body) {
  sdk::Result<ingest::JsonBody> decoded = ingest::DecodeJsonKeepingTexts(body, "events");
  if (!decoded) return decoded.error();
  auto events = decoded.value().value.find("events");
  if (events == decoded.value().value.end() || !events->is_array()) {
    return sdk::Error::Validation({{"events", "required: an array of events"}});
  }
  if (events->empty()) return sdk::Error::Validation({{"events", "must hold at least one event"}});
  return BatchEvents{.events = std::move(*events),
                     .texts = std::move(decoded.value().element_texts)};
}

Reply TooManyEvents(std::size_t count, int limit) {
  Reply reply = ErrorReply(413, "payload_too_large",
                           "the batch holds " + std::to_string(count) + " events; the limit is " +
                               std::to_string(limit));
  reply.body["limit_events"] = limit;
  return reply;
}

// Admits the prepared events in one call and fills their outcomes; returns
// each event's share of the round trip, in seconds. `texts`: each event's
// compact text by its index in the batch, or none.
double Admit(ServerContext& context, const std::vector<sdk::ConversationEvent>& events,
             const std::vector<std::size_t>& index_of, const admission::AdmitOptions& options,
             const std::vector<std::string>& texts, std::vector<ingest::EventOutcome>& outcomes) {
  std::vector<admission::AdmissionItem> items;
  items.reserve(events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    items.push_back({.event = &events[i],
                     .options = options,
                     .raw_metadata_text = texts.empty() ? std::string_view() : texts[index_of[i]]});
  }
  const auto started = std::chrono::steady_clock::now();
  const std::vector<admission::AdmissionResult> admitted = context.admission->AdmitBatch(items);
  for (std::size_t i = 0; i < events.size(); ++i) {
    outcomes[index_of[i]] = ingest::AdmittedOutcome(admitted[i], events[i]);
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() /
         static_cast<double>(events.size());
}

// The answer: {"results":[per-event results with their index],"totals":{…}}.
Reply BatchReply(const std::vector<ingest::EventOutcome>& outcomes) {
  std::string text = "{\"results\":[";
  text.reserve(outcomes.size() * 120);
  std::array<int64_t, ops::kOutcomes> totals{};
  int64_t retry_after_ms = 0;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    if (i > 0) text += ',';
    ingest::AppendIndexedOutcomeJson(text, outcomes[i], i);
    ++totals[static_cast<std::size_t>(outcomes[i].kind)];
    if (outcomes[i].kind == ops::Outcome::kRateLimited ||
        outcomes[i].kind == ops::Outcome::kUnavailable) {
      retry_after_ms = std::max(retry_after_ms, outcomes[i].retry_after_ms);
    }
  }
  nlohmann::json counts = {{"events", outcomes.size()}};
  for (std::size_t k = 0; k < ops::kOutcomes; ++k) counts[ops::kOutcomeNames[k]] = totals[k];
  text += "],\"totals\":";
  json_writer::Append(text, counts);
  text += '}';
  const bool unavailable = totals[static_cast<std::size_t>(ops::Outcome::kUnavailable)] > 0;
  Reply reply{.status = unavailable ? 503 : 200,
              .content_type = "application/json",
              .text = std::move(text)};
  if (unavailable || totals[static_cast<std::size_t>(ops::Outcome::kRateLimited)] > 0) {
    reply.headers = {{"Retry-After", std::to_string(ingest::RetryAfterSeconds(retry_after_ms))}};
  }
  return reply;
}

// What a batch request is, once its whole-request checks pass.
struct BatchRequest {
  ingest::Caller caller;
  admission::AdmitOptions options;
  BatchEvents body;  // events: an array of 1..batch_max_events
};

// The whole-request checks, in the order a client fixes them: method,
// media type, credentials, headers, shape (the server has refused a body
// over batch.max_body_bytes already). A Reply: the refusal.
std::variant<Reply, BatchRequest> CheckRequest(ServerContext& context,
                                               const sdk::ChannelPlugin& plugin,
                                               const Request& request) {
  if (request.method != "POST") return MethodNotAllowed("POST");
  if (auto format = ingest::MatchMediaType(request.ContentType(), kJsonOnly); !format) {
    return ErrorReply(format.error());
  }
  BatchRequest batch;
  if (context.auth != nullptr) {
    sdk::Result<ingest::Caller> identified =
        IdentifyCaller(*context.auth, request, plugin.Info().name);
    if (!identified) return Unauthorized(identified.error().message);
    batch.caller = std::move(identified.value());
    if (batch.caller.auth_required && batch.caller.key_tenant.empty()) {
      return Unauthorized(
          "a batch needs an API key: send Authorization: Bearer <key> or X-API-Key");
    }
  }
  sdk::Result<admission::AdmitOptions> options = SimulationOptions(context, request);
  if (!options) return ErrorReply(options.error());
  batch.options = options.value();
  sdk::Result<BatchEvents> body = EventsOf(request.body);
  if (!body) return ErrorReply(body.error());
  if (body.value().events.size() > static_cast<std::size_t>(context.batch_max_events)) {
    return TooManyEvents(body.value().events.size(), context.batch_max_events);
  }
  batch.body = std::move(body.value());
  return batch;
}

}  // namespace

Reply HandleBatch(ServerContext& context, const sdk::ChannelPlugin& plugin,
                  const Request& request) {
  std::variant<Reply, BatchRequest> checked = CheckRequest(context, plugin, request);
  if (auto* refusal = std::get_if<Reply>(&checked)) return std::move(*refusal);
  BatchRequest& batch = std::get<BatchRequest>(checked);

  const ingest::IngestRequest each{.content_type = "application/json",
                                   .method = "POST",
                                   .received_ms = ingest::NowMs(),
                                   .caller = context.auth ? &batch.caller : nullptr,
                                   .signed_request = false};
  nlohmann::json& events = batch.body.events;
  std::vector<ingest::EventOutcome> outcomes(events.size());
  std::vector<sdk::ConversationEvent> prepared;
  std::vector<std::size_t> index_of;
  prepared.reserve(outcomes.size());
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    sdk::Result<sdk::ConversationEvent> event =
        ingest::PreparePayload(plugin, std::move(events[i]), each);
    if (event) {
      prepared.push_back(std::move(event.value()));
      index_of.push_back(i);
    } else {
      outcomes[i] = ingest::RejectedOutcome(event.error());
    }
  }
  const double seconds = prepared.empty() ? 0
                                          : Admit(context, prepared, index_of, batch.options,
                                                  batch.body.texts, outcomes);
  const std::string channel(sdk::ChannelName(plugin.Info().channel));
  RecordOutcomes(context, channel, batch.caller.key_tenant, outcomes, seconds);
  return BatchReply(outcomes);
}

}  // namespace mccig::http
