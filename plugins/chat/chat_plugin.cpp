// chat_plugin.cpp — messages from chat backends (web chat, in-app messaging).
//
// provider_message_id = messageId when the backend sends one; otherwise a
// stable SHA-256 of (chatId, userId, timestamp, message), so a retried
// delivery of the same message is still recognised as a duplicate.
#include <mccig/sdk/export.h>

namespace {

using mccig::sdk::ChannelType;
using mccig::sdk::FieldSpec;
using mccig::sdk::FieldType;
using mccig::sdk::PluginInfo;

class ChatPlugin {
 public:
  static PluginInfo Describe() {
    return PluginInfo{
        .name = "chat",
        .version = "1.0.0",
        .description = "chat messages from web and in-app chat backends",
        .channel = ChannelType::kChat,
        .routes = {"chat"},
        .fields =
            {
                mccig::sdk::TenantIdField(),
                FieldSpec{.name = "userId",
                          .required = true,
                          .min_length = 1,
                          .max_length = 128,
                          .description = "the author of the message",
                          .example = "user-42"},
                FieldSpec{.name = "message",
                          .required = true,
                          .min_length = 1,
                          .max_length = 65536,
                          .description = "message text",
                          .example = "Can I change my delivery address?"},
                FieldSpec{.name = "chatId",
                          .required = true,
                          .min_length = 1,
                          .max_length = 128,
                          .description = "the conversation the message belongs to",
                          .example = "chat-7"},
                FieldSpec{.name = "timestamp",
                          .type = FieldType::kTimestamp,
                          .description = "when the message was sent",
                          .example = "2024-05-01T12:00:00Z"},
                FieldSpec{
                    .name = "messageId",
                    .min_length = 1,
                    .max_length = 128,
                    .description = "the backend's message id; derived from the content if absent",
                    .example = "msg-1001"},
                FieldSpec{.name = "metadata",
                          .type = FieldType::kObject,
                          .description = "caller-defined attributes, kept as metadata.attributes",
                          .example = {{"locale", "en-US"}}},
            },
        .mapping = {.content_field = "message",
                    .timestamp_field = "timestamp",
                    .message_id = {.join = {"messageId"},
                                   .hash_of = {"chatId", "userId", "timestamp", "message"}},
                    .metadata = {{"userId", "user_id"},
                                 {"chatId", "chat_id"},
                                 {"metadata", "attributes"}}},
    };
  }
};

}  // namespace

MCCIG_PLUGIN(ChatPlugin)
