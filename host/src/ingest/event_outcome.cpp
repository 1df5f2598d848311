// event_outcome.cpp — see event_outcome.h.
#include "ingest/event_outcome.h"

#include "json/json_writer.h"

namespace mccig::ingest {

int64_t RetryAfterSeconds(int64_t ms) {
  return ms <= 0 ? 1 : (ms + 999) / 1000;
}

EventOutcome RejectedOutcome(sdk::Error error) {
  return EventOutcome{.kind = ops::Outcome::kRejected, .error = std::move(error)};
}

ops::Outcome OutcomeOf(admission::AdmissionStatus status) {
  switch (status) {
    case admission::AdmissionStatus::kAccepted:
      return ops::Outcome::kAccepted;
    case admission::AdmissionStatus::kDuplicate:
      return ops::Outcome::kDuplicate;
    case admission::AdmissionStatus::kRateLimited:
      return ops::Outcome::kRateLimited;
    case admission::AdmissionStatus::kUnavailable:
      break;
  }
  return ops::Outcome::kUnavailable;
}

EventOutcome AdmittedOutcome(const admission::AdmissionResult& result,
                             const sdk::ConversationEvent& event) {
  EventOutcome outcome{.kind = OutcomeOf(result.status),
                       .tenant = event.tenant_id,
                       .provider_message_id = event.provider_message_id,
                       .retry_after_ms = result.retry_after_ms};
  if (outcome.kind == ops::Outcome::kAccepted) outcome.event_id = event.event_id;
  if (outcome.kind == ops::Outcome::kDuplicate) outcome.event_id = result.original_event_id;
  return outcome;
}

nlohmann::json ErrorJson(const sdk::Error& error) {
  nlohmann::json body = {{"error", error.code}, {"message", error.message}};
  if (!error.details.empty()) {
    nlohmann::json details = nlohmann::json::array();
    for (const auto& d : error.details)
      details.push_back({{"field", d.field}, {"message", d.message}});
    body["details"] = std::move(details);
  }
  return body;
}

nlohmann::json OutcomeJson(const EventOutcome& outcome) {
  nlohmann::json json;
  switch (outcome.kind) {
    case ops::Outcome::kAccepted:
    case ops::Outcome::kDuplicate:
      json = {{"status", ops::OutcomeName(outcome.kind)},
              {"provider_message_id", outcome.provider_message_id}};
      if (!outcome.event_id.empty()) json["event_id"] = outcome.event_id;
      return json;
    case ops::Outcome::kRateLimited:
      json =
          ErrorJson({"rate_limited", "tenant '" + outcome.tenant + "' is over its rate limit", {}});
      json["retry_after_seconds"] = RetryAfterSeconds(outcome.retry_after_ms);
      break;
    case ops::Outcome::kUnavailable:
      json = ErrorJson(
          {"unavailable", "the queue is unavailable; nothing was accepted, retry later", {}});
      json["retry_after_seconds"] = RetryAfterSeconds(outcome.retry_after_ms);
      break;
    case ops::Outcome::kRejected:
      json = ErrorJson(outcome.error.value_or(sdk::Error{"invalid_body", "rejected", {}}));
      break;
  }
  json["status"] = ops::OutcomeName(outcome.kind);
  if (!outcome.provider_message_id.empty())
    json["provider_message_id"] = outcome.provider_message_id;
  return json;
}

void AppendIndexedOutcomeJson(std::string& out, const EventOutcome& outcome, std::size_t index) {
  if (outcome.kind != ops::Outcome::kAccepted && outcome.kind != ops::Outcome::kDuplicate) {
    nlohmann::json json = OutcomeJson(outcome);
    json["index"] = index;
    json_writer::Append(out, json);
    return;
  }
  // OutcomeJson's members for these two, with "index", in nlohmann's sorted order.
  out += '{';
  if (!outcome.event_id.empty()) {
    out += "\"event_id\":";
    json_writer::AppendString(out, outcome.event_id);
    out += ',';
  }
  out.append("\"index\":").append(std::to_string(index));
  out += ",\"provider_message_id\":";
  json_writer::AppendString(out, outcome.provider_message_id);
  out.append(",\"status\":\"").append(ops::OutcomeName(outcome.kind)).append("\"}");
}

}  // namespace mccig::ingest
