// outcome_record.h — events' outcomes into the operator views: the
// console's traffic record and, when they reached admission, the admission
// metric. Used where one request carries many events (batch, stream); a
// single-event request is recorded by its status.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "http/server_context.h"
#include "ingest/event_outcome.h"

namespace mccig::http {

// Outcomes of one channel's events, recorded grouped by tenant and outcome
// (one update per group, not per event: a batch of a thousand costs a few).
// `caller_tenant` stands in when an outcome names no tenant (an event
// refused before one was settled). `admission_seconds`: each admitted
// event's share of its admission round trip.
void RecordOutcomes(ServerContext& context, const std::string& channel,
                    const std::string& caller_tenant,
                    std::span<const ingest::EventOutcome> outcomes, double admission_seconds);

}  // namespace mccig::http
