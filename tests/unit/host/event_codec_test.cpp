// The queue's event encoding (queue/event_codec.h): the event contract's
// JSON plus timestamp_from_provider, decoded back field for field, and
// anything incomplete refused as a poison entry.
#include "queue/event_codec.h"

#include <gtest/gtest.h>

namespace mccig {
namespace {

sdk::ConversationEvent Sample() {
  sdk::ConversationEvent e;
  e.event_id = "0190f0a2-0000-7000-8000-000000000001";
  e.provider_message_id = "SM\"1\"";
  e.tenant_id = "acme";
  e.channel = sdk::ChannelType::kVoice;
  e.timestamp_ms = 1714564800123;
  e.timestamp_from_provider = true;
  e.content = "line one\nline two, caf\u00e9 \\ done";
  e.metadata = {{"duration", 42}, {"nested", {{"a", {1, 2}}}}};
  e.raw_metadata = {{"CallSid", "CA1"}, {"x", nullptr}};
  return e;
}

TEST(EventCodec, EncodesTheEventContractPlusTheTimestampFlag) {
  const sdk::ConversationEvent e = Sample();
  nlohmann::json expected = sdk::ToJson(e);
  expected["timestamp_from_provider"] = true;
  EXPECT_EQ(queue::EncodeEvent(e), expected.dump());
  EXPECT_EQ(nlohmann::json::parse(queue::EncodeEvent(e)), expected);
}

TEST(EventCodec, DecodesWhatItEncodes) {
  const sdk::ConversationEvent e = Sample();
  auto decoded = queue::DecodeEvent(queue::EncodeEvent(e));
  ASSERT_TRUE(decoded) << decoded.error().message;
  const sdk::ConversationEvent& d = decoded.value();
  EXPECT_EQ(d.event_id, e.event_id);
  EXPECT_EQ(d.provider_message_id, e.provider_message_id);
  EXPECT_EQ(d.tenant_id, e.tenant_id);
  EXPECT_EQ(d.channel, e.channel);
  EXPECT_EQ(d.timestamp_ms, e.timestamp_ms);
  EXPECT_TRUE(d.timestamp_from_provider);
  EXPECT_EQ(d.content, e.content);
  EXPECT_EQ(d.metadata, e.metadata);
  EXPECT_EQ(d.raw_metadata, e.raw_metadata);
}

TEST(EventCodec, RefusesIncompleteEntries) {
  EXPECT_FALSE(queue::DecodeEvent("not json"));
  EXPECT_FALSE(queue::DecodeEvent("[]"));
  nlohmann::json j = nlohmann::json::parse(queue::EncodeEvent(Sample()));
  j.erase("tenant_id");
  EXPECT_EQ(queue::DecodeEvent(j.dump()).error().code, "invalid_event");
  j = nlohmann::json::parse(queue::EncodeEvent(Sample()));
  j["channel_type"] = "FAX";
  EXPECT_FALSE(queue::DecodeEvent(j.dump()));
}

TEST(EventCodec, AnEncodedEventIsOneLineSoAnEntryCanHoldMany) {
  sdk::ConversationEvent e = Sample();
  e.content = "line one\nline two\r\n";
  e.raw_metadata = {{"Body", "a\nb"}, {"nested", {{"k", "\n"}}}};
  const std::string one = queue::EncodeEvent(e);
  EXPECT_EQ(one.find('\n'), std::string::npos);
  const std::string entry = one + "\n" + one + "\n\n" + "garbage";
  const std::vector<std::string_view> lines = queue::SplitEvents(entry);
  ASSERT_EQ(lines.size(), 3u) << "empty lines are skipped";
  EXPECT_EQ(lines[0], one);
  EXPECT_EQ(lines[1], one);
  EXPECT_EQ(lines[2], "garbage");
  EXPECT_EQ(queue::DecodeEvent(lines[1]).value().content, e.content);
  EXPECT_TRUE(queue::SplitEvents("").empty());
  EXPECT_EQ(queue::SplitEvents("x\n").size(), 1u);
}

void ExpectSameRow(const store::EventRow& a, const store::EventRow& b) {
  EXPECT_EQ(a.event_id, b.event_id);
  EXPECT_EQ(a.tenant_id, b.tenant_id);
  EXPECT_EQ(a.provider_message_id, b.provider_message_id);
  EXPECT_EQ(a.channel, b.channel);
  EXPECT_EQ(a.content, b.content);
  EXPECT_EQ(a.metadata, b.metadata);
  EXPECT_EQ(a.raw_metadata, b.raw_metadata);
  EXPECT_EQ(a.occurred_at, b.occurred_at);
}

TEST(EventCodec, DecodesARowWithItsPayloadsAsTheirText) {
  const sdk::ConversationEvent e = Sample();
  auto row = queue::DecodeRow(queue::EncodeEvent(e));
  ASSERT_TRUE(row) << row.error().message;
  ExpectSameRow(row.value(), store::RowOf(e));
  EXPECT_EQ(row.value().metadata, R"({"duration":42,"nested":{"a":[1,2]}})");
  EXPECT_EQ(row.value().occurred_at, "2024-05-01T12:00:00.123Z");

  sdk::ConversationEvent received = e;
  received.timestamp_from_provider = false;
  EXPECT_EQ(queue::DecodeRow(queue::EncodeEvent(received)).value().occurred_at, "")
      << "a receive time is stored as NULL";
}

TEST(EventCodec, DecodesEveryLineOfAnEntryInPlace) {
  sdk::ConversationEvent second = Sample();
  second.provider_message_id = "SM2";
  std::string entry = queue::EncodeEvent(Sample()) + "\n" + queue::EncodeEvent(second);
  entry.reserve(entry.size() + queue::kDecodePadding);
  const char* end = entry.data() + entry.capacity();
  const auto lines = queue::SplitEvents(entry);
  ASSERT_EQ(lines.size(), 2u);
  for (std::string_view line : lines) {
    auto row = queue::DecodeRow(line, static_cast<std::size_t>(end - line.data()));
    ASSERT_TRUE(row) << row.error().message;
  }
  EXPECT_EQ(queue::DecodeRow(lines[1], end - lines[1].data()).value().provider_message_id, "SM2");
}

TEST(EventCodec, RowsOfUnusualShapesAreDecodedTheSlowWayAndPoisonIsRefused) {
  // Keys in another order, and a payload that is not an object: still events.
  nlohmann::json j = nlohmann::json::parse(queue::EncodeEvent(Sample()));
  j["raw_metadata"] = nlohmann::json::array({1, "two"});
  auto row = queue::DecodeRow(j.dump(2));
  ASSERT_TRUE(row) << row.error().message;
  EXPECT_EQ(row.value().raw_metadata, R"([1,"two"])");
  EXPECT_EQ(row.value().content, Sample().content);

  EXPECT_EQ(queue::DecodeRow("not json").error().code, "invalid_event");
  j.erase("tenant_id");
  EXPECT_EQ(queue::DecodeRow(j.dump()).error().message, "missing tenant_id");
  j = nlohmann::json::parse(queue::EncodeEvent(Sample()));
  j["channel_type"] = "FAX";
  EXPECT_FALSE(queue::DecodeRow(j.dump()));
  j["channel_type"] = "SMS";
  j["timestamp"] = "yesterday";
  EXPECT_FALSE(queue::DecodeRow(j.dump()));
}

}  // namespace
}  // namespace mccig
