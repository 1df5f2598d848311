// The generic mapping: ids by join and by stable hash, metadata, timestamps.
#include "mccig/sdk/normalize.h"

#include <gtest/gtest.h>

#include "mccig/sdk/sha256.h"

namespace mccig::sdk {
namespace {

using nlohmann::json;

TEST(DeriveMessageId, JoinsPresentFields) {
  const MessageIdRule rule{.join = {"callId", "segmentId"}};
  EXPECT_EQ(DeriveMessageId({{"callId", "c1"}}, rule), "c1");
  EXPECT_EQ(DeriveMessageId({{"callId", "c1"}, {"segmentId", "s2"}}, rule), "c1:s2");
  EXPECT_EQ(DeriveMessageId({{"segmentId", "s2"}}, rule), "");
}

TEST(DeriveMessageId, HashesWhenThePrimaryFieldIsAbsent) {
  const MessageIdRule rule{.join = {"messageId"},
                           .hash_of = {"chatId", "userId", "timestamp", "message"}};
  const json a = {{"chatId", "c"}, {"userId", "u"}, {"message", "hi"}};
  const std::string id = DeriveMessageId(a, rule);
  EXPECT_EQ(id, "sha256:" + Sha256Hex("c\x1fu\x1f\x1fhi\x1f"));
  EXPECT_EQ(DeriveMessageId(a, rule), id) << "stable across calls";
  // Field boundaries matter: ("ab","c") and ("a","bc") differ.
  EXPECT_NE(DeriveMessageId({{"chatId", "ab"}, {"userId", "c"}}, rule),
            DeriveMessageId({{"chatId", "a"}, {"userId", "bc"}}, rule));
  EXPECT_EQ(DeriveMessageId({{"messageId", "m1"}, {"chatId", "c"}}, rule), "m1");
}

TEST(NormalizeByMapping, FillsEveryMappedPart) {
  const EventMapping mapping{.content_field = "Body",
                             .timestamp_field = "Timestamp",
                             .message_id = {.join = {"MessageSid"}},
                             .metadata = {{"From", "from"}, {"Missing", "missing"}}};
  auto event = NormalizeByMapping({{"tenant_id", "acme"},
                                   {"Body", "hello"},
                                   {"MessageSid", "SM1"},
                                   {"From", "+1555"},
                                   {"Timestamp", "2024-05-01T12:00:00Z"}},
                                  mapping);
  ASSERT_TRUE(event.ok());
  EXPECT_EQ(event.value().tenant_id, "acme");
  EXPECT_EQ(event.value().content, "hello");
  EXPECT_EQ(event.value().provider_message_id, "SM1");
  EXPECT_EQ(event.value().occurred_at_ms, 1714564800000);
  EXPECT_EQ(event.value().metadata, (json{{"from", "+1555"}}));
}

TEST(NormalizeByMapping, MissingIdIsAValidationError) {
  auto event =
      NormalizeByMapping({{"tenant_id", "acme"}}, EventMapping{.message_id = {.join = {"id"}}});
  ASSERT_FALSE(event.ok());
  EXPECT_EQ(event.error().code, "validation_failed");
  EXPECT_EQ(event.error().details, (FieldErrors{{"id", "required"}}));
}

}  // namespace
}  // namespace mccig::sdk
