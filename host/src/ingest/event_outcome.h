// event_outcome.h — what became of one event of a batch or a stream
// message, and its JSON.
//
// A batch answers with one outcome per event and a stream acknowledges each
// event with one; both render it here, so the two APIs read alike and match
// the single-event answers: the same status words as the console's traffic
// record (ops::Outcome), the same error objects as an HTTP error body.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <mccig/sdk/event.h>
#include <mccig/sdk/result.h>
#include <nlohmann/json.hpp>

#include "admission/admission.h"
#include "ops/traffic.h"

namespace mccig::ingest {

struct EventOutcome {
  ops::Outcome kind = ops::Outcome::kUnavailable;
  std::string tenant{};  // as far as known; empty for an event refused before that
  // kAccepted: the new event's id; kDuplicate: the first event's (may be empty).
  std::string event_id{};
  std::string provider_message_id{};
  int64_t retry_after_ms = 0;         // kRateLimited, kUnavailable
  std::optional<sdk::Error> error{};  // kRejected: why
};

// The outcome an admission status stands for.
ops::Outcome OutcomeOf(admission::AdmissionStatus status);

// A refused event: the pipeline's error.
EventOutcome RejectedOutcome(sdk::Error error);
// An admitted (or refused) event.
EventOutcome AdmittedOutcome(const admission::AdmissionResult& result,
                             const sdk::ConversationEvent& event);

// {"error":code,"message":…,"details":[{"field":…,"message":…}]}; details
// only when there are any. The body of every error answer.
nlohmann::json ErrorJson(const sdk::Error& error);

// {"status":"accepted","event_id":…,"provider_message_id":…}, or with
// "duplicate"; {"status":"rate_limited"|"unavailable", "retry_after_seconds":…,
// error fields}; {"status":"rejected", error fields}.
nlohmann::json OutcomeJson(const EventOutcome& outcome);

// OutcomeJson plus "index", as JSON text appended to `out`: a batch's
// result. Accepted and duplicate outcomes, nearly all of a busy batch, are
// written straight out (1000 of them as nlohmann objects cost as much as
// their admission); the same text as dumping the value.
void AppendIndexedOutcomeJson(std::string& out, const EventOutcome& outcome, std::size_t index);

// Whole seconds to wait, at least 1 (Retry-After).
int64_t RetryAfterSeconds(int64_t ms);

}  // namespace mccig::ingest
