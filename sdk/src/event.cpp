// event.cpp — channel names and the JSON form of ConversationEvent.
#include "mccig/sdk/event.h"

#include "mccig/sdk/timestamp.h"

namespace mccig::sdk {

std::string_view ChannelName(ChannelType channel) noexcept {
  switch (channel) {
    case ChannelType::kSms:
      return "sms";
    case ChannelType::kChat:
      return "chat";
    case ChannelType::kVoice:
      return "voice";
  }
  return "unknown";
}

std::string_view ChannelTypeName(ChannelType channel) noexcept {
  switch (channel) {
    case ChannelType::kSms:
      return "SMS";
    case ChannelType::kChat:
      return "CHAT";
    case ChannelType::kVoice:
      return "VOICE";
  }
  return "UNKNOWN";
}

std::optional<ChannelType> ParseChannel(std::string_view name) noexcept {
  if (name == "sms") return ChannelType::kSms;
  if (name == "chat") return ChannelType::kChat;
  if (name == "voice") return ChannelType::kVoice;
  return std::nullopt;
}

nlohmann::json ToJson(const ConversationEvent& event) {
  return nlohmann::json{
      {"event_id", event.event_id},
      {"provider_message_id", event.provider_message_id},
      {"tenant_id", event.tenant_id},
      {"channel_type", ChannelTypeName(event.channel)},
      {"timestamp", FormatTimestamp(event.timestamp_ms)},
      {"content", event.content},
      {"metadata", event.metadata},
      {"raw_metadata", event.raw_metadata},
  };
}

}  // namespace mccig::sdk
