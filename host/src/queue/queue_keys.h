// queue_keys.h — the Redis keys and stream fields of the queue.
//
// queue:conversations is the stream of events admitted and not yet stored:
// each entry holds, in its "events" field, one or more encoded events
// (event_codec.h), one per line — one entry per admission call, so a batch
// is one XADD and one ack. An entry marked "simulate" "failure" (simulation
// mode) is failed by the worker. Its length counts entries; the number of
// events in it is kept beside it, in queued:{queue:conversations}, by the
// scripts that add and remove entries. dlq:conversations holds one event
// per entry, in its "event" field, with why it failed. The hash tag puts
// the counter in the stream's cluster slot, as admission_keys.h explains.
#pragma once

#include <string_view>

namespace mccig::queue {

inline constexpr std::string_view kStreamKey = "queue:conversations";
inline constexpr std::string_view kQueuedEventsKey = "queued:{queue:conversations}";
inline constexpr std::string_view kDeadLetterKey = "dlq:conversations";

inline constexpr std::string_view kEventsField = "events";  // stream: one event per line
inline constexpr std::string_view kEventField = "event";    // dead letters; one event

}  // namespace mccig::queue
