// vonage_sms_plugin.cpp — inbound SMS in Vonage's webhook format, as a plugin
// built out of tree against the installed SDK (see CMakeLists.txt).
//
// Vonage names its fields its own way (msisdn, to, messageId, text) and sends
// "message-timestamp" as "YYYY-MM-DD HH:MM:SS" in UTC without a zone, so this
// plugin declares its fields and mapping and adds one step to normalization.
#include <mccig/sdk/export.h>
#include <mccig/sdk/timestamp.h>

namespace {

using namespace mccig::sdk;

class VonageSmsPlugin {
 public:
  static PluginInfo Describe() {
    const auto text = [](const char* name, bool required, std::size_t max, const char* what,
                         const char* example) {
      return FieldSpec{.name = name,
                       .required = required,
                       .min_length = 1,
                       .max_length = max,
                       .description = what,
                       .example = example};
    };
    return PluginInfo{
        .name = "vonage_sms",
        .version = "1.0.0",
        .description = "inbound SMS from Vonage (JSON or form-encoded webhooks)",
        .channel = ChannelType::kSms,
        .routes = {"vonage/sms"},
        .accepts = {BodyFormat::kJson, BodyFormat::kForm},
        .fields = {TenantIdField(), text("msisdn", true, 32, "the sender's number", "447700900001"),
                   text("to", true, 32, "the number the message was sent to", "447700900000"),
                   text("messageId", true, 64, "Vonage's message id", "0A0000000123ABCD1"),
                   text("text", true, 1600, "the message text", "Where is my parcel?"),
                   text("type", false, 16, "text, unicode or binary", "text"),
                   text("message-timestamp", false, 19, "when Vonage received it, UTC",
                        "2024-05-01 12:00:00")},
        .mapping = {.content_field = "text",
                    .message_id = {.join = {"messageId"}},
                    .metadata = {{"msisdn", "from"}, {"to", "to"}, {"type", "type"}}},
    };
  }

  Result<NormalizedEvent> Normalize(const nlohmann::json& payload, const PluginInfo& info) const {
    Result<NormalizedEvent> event = NormalizeByMapping(payload, info.mapping);
    const auto stamp = payload.find("message-timestamp");
    if (!event || stamp == payload.end()) return event;
    // Vonage's time is UTC: give it the zone the SDK's parser requires.
    const std::optional<int64_t> ms = ParseTimestamp(stamp->get<std::string>() + "Z");
    if (!ms) return Error::Validation({{"message-timestamp", "must be YYYY-MM-DD HH:MM:SS (UTC)"}});
    event.value().occurred_at_ms = ms;
    return event;
  }
};

}  // namespace

MCCIG_PLUGIN(VonageSmsPlugin)
