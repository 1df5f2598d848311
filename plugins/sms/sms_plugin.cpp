// sms_plugin.cpp — SMS from Twilio-style gateways.
//
// Real SMS providers post application/x-www-form-urlencoded with many fields
// beyond the ones declared here (AccountSid, NumMedia, MediaUrl0, SmsStatus…);
// those are kept untouched in raw_metadata. provider_message_id = MessageSid.
// Requests are verified with the X-Twilio-Signature scheme for tenants that
// configure an auth token for this plugin (signing_secrets.sms).
#include <mccig/sdk/export.h>
#include <mccig/sdk/twilio.h>

namespace {

using mccig::sdk::BodyFormat;
using mccig::sdk::ChannelType;
using mccig::sdk::FieldSpec;
using mccig::sdk::FieldType;
using mccig::sdk::PluginInfo;

class SmsPlugin {
 public:
  static PluginInfo Describe() {
    return PluginInfo{
        .name = "sms",
        .version = "1.0.0",
        .description = "SMS from Twilio-style gateways (JSON or form-encoded webhooks)",
        .channel = ChannelType::kSms,
        .routes = {"sms"},
        .accepts = {BodyFormat::kJson, BodyFormat::kForm},
        .fields =
            {
                mccig::sdk::TenantIdField(),
                FieldSpec{.name = "From",
                          .required = true,
                          .min_length = 1,
                          .max_length = 64,
                          .description = "sender: an E.164 number, short code or alphanumeric id",
                          .example = "+15551230001"},
                FieldSpec{.name = "To",
                          .required = true,
                          .min_length = 1,
                          .max_length = 64,
                          .description = "recipient: an E.164 number or short code",
                          .example = "+15559870002"},
                FieldSpec{.name = "Body",
                          .required = true,
                          .max_length = 1600,
                          .description = "message text (empty for media-only messages)",
                          .example = "Hi, is my order on its way?"},
                FieldSpec{.name = "MessageSid",
                          .required = true,
                          .min_length = 1,
                          .max_length = 128,
                          .description = "the provider's message id; retries repeat it",
                          .example = "SM0123456789abcdef0123456789abcdef"},
                FieldSpec{.name = "Timestamp",
                          .type = FieldType::kTimestamp,
                          .description = "when the provider received the message",
                          .example = "2024-05-01T12:00:00Z"},
            },
        .mapping = {.content_field = "Body",
                    .timestamp_field = "Timestamp",
                    .message_id = {.join = {"MessageSid"}},
                    .metadata = {{"From", "from"}, {"To", "to"}}},
    };
  }

  mccig::sdk::Status Verify(const mccig::sdk::RequestView& request) const {
    return mccig::sdk::VerifyTwilioSignature(request);
  }
};

}  // namespace

MCCIG_PLUGIN(SmsPlugin)
