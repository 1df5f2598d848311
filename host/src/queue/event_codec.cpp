// event_codec.cpp — see event_codec.h.
#include "queue/event_codec.h"

#include <mccig/sdk/timestamp.h>
#include <nlohmann/json.hpp>

namespace mccig::queue {

std::string EncodeEvent(const sdk::ConversationEvent& event) {
  nlohmann::json j = sdk::ToJson(event);
  j["timestamp_from_provider"] = event.timestamp_from_provider;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

sdk::Result<sdk::ConversationEvent> DecodeEvent(std::string_view encoded) {
  const nlohmann::json j = nlohmann::json::parse(encoded, nullptr, false);
  const auto bad = [](std::string why) { return sdk::Error{"invalid_event", std::move(why), {}}; };
  if (!j.is_object()) return bad("not a JSON object");
  for (const char* key :
       {"event_id", "provider_message_id", "tenant_id", "channel_type", "timestamp", "content"}) {
    if (!j.contains(key) || !j[key].is_string()) return bad(std::string("missing ") + key);
  }
  sdk::ConversationEvent e;
  e.event_id = j["event_id"];
  e.provider_message_id = j["provider_message_id"];
  e.tenant_id = j["tenant_id"];
  std::string type = j["channel_type"];
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto channel = sdk::ParseChannel(type);
  if (!channel) return bad("unknown channel_type");
  e.channel = *channel;
  const auto ts = sdk::ParseTimestamp(j["timestamp"].get<std::string>());
  if (!ts) return bad("bad timestamp");
  e.timestamp_ms = *ts;
  e.timestamp_from_provider = j.value("timestamp_from_provider", false);
  e.content = j["content"];
  e.metadata = j.value("metadata", nlohmann::json::object());
  e.raw_metadata = j.value("raw_metadata", nlohmann::json::object());
  return e;
}

}  // namespace mccig::queue
