// event_row.cpp — see event_row.h.
#include "store/event_row.h"

#include <mccig/sdk/timestamp.h>

#include "json/json_writer.h"

namespace mccig::store {

EventRow RowOf(const sdk::ConversationEvent& event) {
  const auto text = [](const nlohmann::json& value) {
    return value.is_null() ? std::string("{}") : json_writer::Dump(value);
  };
  return EventRow{.event_id = event.event_id,
                  .tenant_id = event.tenant_id,
                  .provider_message_id = event.provider_message_id,
                  .channel = event.channel,
                  .content = event.content,
                  .metadata = text(event.metadata),
                  .raw_metadata = text(event.raw_metadata),
                  .occurred_at = event.timestamp_from_provider
                                     ? sdk::FormatTimestamp(event.timestamp_ms)
                                     : std::string()};
}

}  // namespace mccig::store
