// The /v1/stream message contract (stream/stream_protocol.h), and the
// AdmissionBatcher that admits stream events in shared round trips.
#include "stream/stream_protocol.h"

#include <atomic>
#include <future>

#include <gtest/gtest.h>

#include "admission/admission_batcher.h"
#include "support/fake_admission.h"

namespace mccig {
namespace {

using nlohmann::json;
using stream::ParseClientMessage;

TEST(StreamProtocol, ParsesEventsAndHeartbeats) {
  const auto event =
      ParseClientMessage(R"({"type":"event","id":"e1","channel":"sms","payload": {"Body": "hi"}})");
  ASSERT_TRUE(std::holds_alternative<stream::EventMessage>(event));
  const auto& e = std::get<stream::EventMessage>(event);
  EXPECT_EQ(e.id, "e1");
  EXPECT_EQ(e.channel, "sms");
  EXPECT_EQ(e.payload, json({{"Body", "hi"}}));
  EXPECT_EQ(e.payload_text, R"({"Body":"hi"})");

  const auto numbered =
      ParseClientMessage(R"({"type":"event","id":7,"channel":"chat","payload":{}})");
  EXPECT_EQ(std::get<stream::EventMessage>(numbered).id, 7);

  const auto heartbeat = ParseClientMessage(R"({"type":"heartbeat"})");
  ASSERT_TRUE(std::holds_alternative<stream::HeartbeatMessage>(heartbeat));
  EXPECT_TRUE(std::get<stream::HeartbeatMessage>(heartbeat).id.is_null());
}

TEST(StreamProtocol, BadMessagesNameEveryProblemAndKeepTheId) {
  const auto missing = ParseClientMessage(R"({"type":"event","id":"e2"})");
  ASSERT_TRUE(std::holds_alternative<stream::BadMessage>(missing));
  const auto& bad = std::get<stream::BadMessage>(missing);
  EXPECT_EQ(bad.id, "e2");
  EXPECT_EQ(bad.error.code, "validation_failed");
  ASSERT_EQ(bad.error.details.size(), 2u);
  EXPECT_EQ(bad.error.details[0].field, "channel");
  EXPECT_EQ(bad.error.details[1].field, "payload");

  const auto no_id = std::get<stream::BadMessage>(
      ParseClientMessage(R"({"type":"event","channel":"sms","payload":{}})"));
  EXPECT_EQ(no_id.error.details[0].field, "id");
  EXPECT_EQ(std::get<stream::BadMessage>(ParseClientMessage("[1]")).error.code, "invalid_body");
  EXPECT_EQ(std::get<stream::BadMessage>(ParseClientMessage("{")).error.code, "invalid_json");
  EXPECT_EQ(std::get<stream::BadMessage>(ParseClientMessage(R"({"type":"x","id":{}})"))
                .error.details[0]
                .field,
            "id");
}

TEST(StreamProtocol, AnswersCarryTheIdAndTheOutcome) {
  ingest::EventOutcome accepted{
      .kind = ops::Outcome::kAccepted, .event_id = "ev", .provider_message_id = "SM1"};
  EXPECT_EQ(json::parse(stream::EventAck("e1", accepted)), json({{"type", "event_ack"},
                                                                 {"id", "e1"},
                                                                 {"status", "accepted"},
                                                                 {"event_id", "ev"},
                                                                 {"provider_message_id", "SM1"}}));
  const json limited = json::parse(stream::EventAck(
      3, {.kind = ops::Outcome::kRateLimited, .tenant = "acme", .retry_after_ms = 1500}));
  EXPECT_EQ(limited["status"], "rate_limited");
  EXPECT_EQ(limited["retry_after_seconds"], 2);
  const json refused = json::parse(stream::EventAck(
      "e2", ingest::RejectedOutcome(sdk::Error::Validation({{"Body", "required"}}))));
  EXPECT_EQ(refused["type"], "event_error");
  EXPECT_EQ(refused["details"][0]["field"], "Body");
  EXPECT_EQ(json::parse(stream::HeartbeatAck(nullptr, 42)),
            json({{"type", "heartbeat_ack"}, {"id", nullptr}, {"server_time_ms", 42}}));
}

sdk::ConversationEvent Event(const std::string& sid) {
  sdk::ConversationEvent e;
  e.tenant_id = "acme";
  e.provider_message_id = sid;
  return e;
}

TEST(AdmissionBatcher, KeepsSubmissionOrderAndAnswersEverythingBeforeStopping) {
  testing::FakeAdmission fake;
  std::vector<admission::AdmissionStatus> statuses;
  std::mutex mutex;
  {
    admission::AdmissionBatcher batcher(fake, 100);
    for (int i = 0; i < 500; ++i) {
      batcher.Submit(Event(i % 2 ? "same" : "SM" + std::to_string(i)),
                     [&](const admission::AdmissionResult& r, const sdk::ConversationEvent&) {
                       std::lock_guard lock(mutex);
                       statuses.push_back(r.status);
                     });
    }
    batcher.Stop();
  }
  ASSERT_EQ(statuses.size(), 500u);
  EXPECT_EQ(statuses[1], admission::AdmissionStatus::kAccepted);  // the first "same"
  EXPECT_EQ(statuses[3], admission::AdmissionStatus::kDuplicate);
  EXPECT_LE(fake.calls(), 500);
  EXPECT_GE(fake.calls(), 5);  // at most 100 per round trip
}

TEST(AdmissionBatcher, AfterStopEventsAreAnsweredUnavailable) {
  testing::FakeAdmission fake;
  admission::AdmissionBatcher batcher(fake, 10);
  batcher.Stop();
  std::promise<admission::AdmissionStatus> answered;
  batcher.Submit(Event("late"),
                 [&](const admission::AdmissionResult& r, const sdk::ConversationEvent&) {
                   answered.set_value(r.status);
                 });
  EXPECT_EQ(answered.get_future().get(), admission::AdmissionStatus::kUnavailable);
  EXPECT_EQ(fake.calls(), 0);
}

}  // namespace
}  // namespace mccig
