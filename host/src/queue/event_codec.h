// event_codec.h — how a ConversationEvent travels through the queue stream.
//
// An event is one line of JSON: the event contract of sdk::ToJson plus
// "timestamp_from_provider", so the worker can store a receive-time
// fallback as NULL occurred_at. The text never holds a raw newline, so a
// stream entry can carry several events, one per line (queue_keys.h).
// Decode refuses anything that is not a complete event (a poison entry,
// not a crash). Pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <mccig/sdk/event.h>
#include <mccig/sdk/result.h>

#include "queue/queue_keys.h"

namespace mccig::queue {

std::string EncodeEvent(const sdk::ConversationEvent& event);
// EncodeEvent's text, appended to `out` (a batch joins its events in one
// string without a copy of each).
void AppendEncodedEvent(const sdk::ConversationEvent& event, std::string& out);
// The events of an entry's "events" field, one per line; empty lines are
// skipped. The views point into `events`.
std::vector<std::string_view> SplitEvents(std::string_view events);
sdk::Result<sdk::ConversationEvent> DecodeEvent(std::string_view encoded);

}  // namespace mccig::queue
