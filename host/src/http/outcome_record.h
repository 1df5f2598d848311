// outcome_record.h — one event's outcome into the operator views: the
// console's traffic record and, when it reached admission, the admission
// metric. Used where one request carries many events (batch, stream); a
// single-event request is recorded by its status.
#pragma once

#include <optional>
#include <string>

#include "http/server_context.h"
#include "ingest/event_outcome.h"

namespace mccig::http {

// `caller_tenant` stands in when the outcome names no tenant (an event
// refused before one was settled). `admission_seconds`: this event's share
// of its admission round trip; absent when it never reached admission.
void RecordOutcome(ServerContext& context, const std::string& channel,
                   const std::string& caller_tenant, const ingest::EventOutcome& outcome,
                   std::optional<double> admission_seconds);

}  // namespace mccig::http
