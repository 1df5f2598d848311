// event_row.h — one row of conversation_events as the worker stores it:
// text, ready for COPY. The payloads (metadata, raw_metadata) stay the JSON
// text they travelled in through the queue: the worker never builds a
// document for them only to write it out again. occurred_at is empty when
// the provider gave no time (stored as NULL). A plain value.
#pragma once

#include <string>

#include <mccig/sdk/event.h>

namespace mccig::store {

struct EventRow {
  std::string event_id{};
  std::string tenant_id{};
  std::string provider_message_id{};
  sdk::ChannelType channel = sdk::ChannelType::kSms;
  std::string content{};
  std::string metadata{};      // JSON text
  std::string raw_metadata{};  // JSON text
  std::string occurred_at{};   // ISO-8601 UTC, or empty for NULL
};

// The row of an event (its payloads written as JSON text).
EventRow RowOf(const sdk::ConversationEvent& event);

}  // namespace mccig::store
