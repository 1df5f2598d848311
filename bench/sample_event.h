// sample_event.h — the event the Redis and PostgreSQL benchmarks move: a
// realistic SMS (~700 bytes once encoded), numbered n so each is distinct.
#pragma once

#include <cstdint>
#include <string>

#include <mccig/sdk/event.h>

#include "ingest/event_id.h"

namespace mccig::bench {

inline sdk::ConversationEvent SampleEvent(int64_t n) {
  sdk::ConversationEvent e;
  e.event_id = ingest::NewEventId(1714564800000 + n);
  e.provider_message_id = "SM" + std::to_string(n);
  e.tenant_id = "bench";
  e.channel = sdk::ChannelType::kSms;
  e.timestamp_ms = 1714564800000;
  e.timestamp_from_provider = true;
  e.content =
      "Hi, is my order #4471 on its way? I ordered it last Tuesday and the tracking page has not "
      "changed since Friday.";
  e.metadata = {{"from", "+15551230001"}, {"to", "+15559870002"}};
  e.raw_metadata = {{"tenant_id", "bench"},
                    {"From", "+15551230001"},
                    {"To", "+15559870002"},
                    {"Body", e.content},
                    {"MessageSid", e.provider_message_id},
                    {"Timestamp", "2024-05-01T12:00:00Z"}};
  return e;
}

}  // namespace mccig::bench
