// event_codec.h — how a ConversationEvent travels through the queue stream.
//
// One stream field, "event", holding JSON: the event contract of
// sdk::ToJson plus "timestamp_from_provider", so the worker can store a
// receive-time fallback as NULL occurred_at. Decode refuses anything that
// is not a complete event (a poison entry, not a crash). Pure functions.
#pragma once

#include <string>
#include <string_view>

#include <mccig/sdk/event.h>
#include <mccig/sdk/result.h>

namespace mccig::queue {

inline constexpr std::string_view kStreamKey = "queue:conversations";
inline constexpr std::string_view kDeadLetterKey = "dlq:conversations";
inline constexpr std::string_view kEventField = "event";

std::string EncodeEvent(const sdk::ConversationEvent& event);
sdk::Result<sdk::ConversationEvent> DecodeEvent(std::string_view encoded);

}  // namespace mccig::queue
