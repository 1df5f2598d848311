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
#include "store/event_row.h"

namespace mccig::queue {

std::string EncodeEvent(const sdk::ConversationEvent& event);
// EncodeEvent's text, appended to `out` (a batch joins its events in one
// string without a copy of each). `raw_metadata_text`, when given, is
// event.raw_metadata as compact JSON text on one line (the body's own, as
// read): it is copied instead of writing the value out again.
void AppendEncodedEvent(const sdk::ConversationEvent& event, std::string& out,
                        std::string_view raw_metadata_text = {});
// The events of an entry's "events" field, one per line; empty lines are
// skipped. The views point into `events`.
std::vector<std::string_view> SplitEvents(std::string_view events);
sdk::Result<sdk::ConversationEvent> DecodeEvent(std::string_view encoded);

// Bytes that may be read past an encoded event when it is decoded as a
// row: an entry's text kept with this much spare capacity lets DecodeRow
// read every line of it in place (StreamQueue keeps its entries so).
inline constexpr std::size_t kDecodePadding = 64;

// The worker's decode: an encoded event straight into the row it becomes,
// its payloads kept as the JSON text they are (simdjson, on demand: no
// document is built for them). `readable` is how many bytes from the start
// of `encoded` may be read; below encoded.size() + kDecodePadding the text
// is copied first. Refuses what DecodeEvent refuses, with its errors.
sdk::Result<store::EventRow> DecodeRow(std::string_view encoded, std::size_t readable = 0);

}  // namespace mccig::queue
