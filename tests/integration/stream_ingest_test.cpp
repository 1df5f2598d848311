// WebSocket ingest at /v1/stream (issue 8), against the whole pipeline: real
// Redis, the admission script, the worker and PostgreSQL (support/pipeline.h),
// with a Boost.Beast client (support/ws_client.h).
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "auth/authenticator.h"
#include "auth/crypto.h"
#include "support/http_client.h"
#include "support/pipeline.h"
#include "support/samples.h"
#include "support/wait.h"
#include "support/ws_client.h"

namespace mccig {
namespace {

using nlohmann::json;
using testing::WsClient;

json Sms(const std::string& sid) {
  return {
      {"From", "+15551230001"}, {"To", "+15559870002"}, {"Body", "Hi " + sid}, {"MessageSid", sid}};
}

json Event(const json& id, const json& payload, const std::string& channel = "sms") {
  return {{"type", "event"}, {"id", id}, {"channel", channel}, {"payload", payload}};
}

const std::map<std::string, std::string> kAcme = {{"Authorization", "Bearer acme-key"}};

class StreamIngestTest : public ::testing::Test {
 protected:
  static testing::PipelineOptions Options(stream::StreamOptions stream) {
    testing::PipelineOptions options;
    options.admission.default_limit = {.capacity = 100'000, .refill_per_second = 100'000};
    options.stream = stream;
    return options;
  }
  explicit StreamIngestTest(stream::StreamOptions stream = {}) : pipeline_(WithAuth(stream)) {}

  testing::PipelineOptions WithAuth(stream::StreamOptions stream) {
    testing::PipelineOptions options = Options(stream);
    options.auth = &auth_;
    return options;
  }

  auth::Authenticator auth_{testing::KeyedTenants()};
  testing::Pipeline pipeline_;
};

TEST_F(StreamIngestTest, AThousandEventsGetAThousandAcksAndAThousandRows) {
  WsClient client(pipeline_.port(), kAcme);
  constexpr int kEvents = 1000;
  // Sent without waiting: the acks come back as the batcher admits them.
  std::thread sender([&] {
    for (int i = 0; i < kEvents; ++i) client.Send(Event(i, Sms("WS-" + std::to_string(i))));
  });
  std::set<int> acked;
  std::set<std::string> event_ids;
  for (int i = 0; i < kEvents; ++i) {
    const json ack = client.Receive();
    ASSERT_EQ(ack["type"], "event_ack") << ack;
    ASSERT_EQ(ack["status"], "accepted") << ack;
    acked.insert(ack["id"].get<int>());
    event_ids.insert(ack["event_id"].get<std::string>());
  }
  sender.join();
  EXPECT_EQ(acked.size(), static_cast<std::size_t>(kEvents));
  EXPECT_EQ(event_ids.size(), static_cast<std::size_t>(kEvents));
  ASSERT_TRUE(testing::WaitUntil([&] { return pipeline_.Rows() == kEvents; }, 60))
      << pipeline_.Rows();
  EXPECT_EQ(pipeline_.Sql("SELECT COUNT(DISTINCT tenant_id) FROM conversation_events WHERE "
                          "tenant_id = 'acme'"),
            1);
  client.Close();
}

TEST_F(StreamIngestTest, MalformedFramesGetEventErrorAndTheConnectionStaysUsable) {
  WsClient client(pipeline_.port(), kAcme);
  client.Send(std::string("{not json"));
  json answer = client.Receive();
  EXPECT_EQ(answer["type"], "event_error");
  EXPECT_EQ(answer["error"], "invalid_json");
  EXPECT_TRUE(answer["id"].is_null());

  client.Send(json{{"type", "event"}, {"id", "e1"}, {"channel", "sms"}});
  answer = client.Receive();
  EXPECT_EQ(answer["type"], "event_error");
  EXPECT_EQ(answer["id"], "e1");
  EXPECT_EQ(answer["details"][0]["field"], "payload");

  json invalid = Sms("WS-bad");
  invalid.erase("Body");
  client.Send(Event("e2", invalid));
  answer = client.Receive();
  EXPECT_EQ(answer["type"], "event_error");
  EXPECT_EQ(answer["error"], "validation_failed");
  EXPECT_EQ(answer["details"], json::array({{{"field", "Body"}, {"message", "required"}}}));

  client.Send(Event("e3", Sms("WS-1"), "fax"));
  EXPECT_EQ(client.Receive()["error"], "not_found");
  client.SendBinary("\x01\x02");
  EXPECT_EQ(client.Receive()["error"], "invalid_message");
  client.Send(json{{"type", "subscribe"}, {"id", 7}});
  EXPECT_EQ(client.Receive()["details"][0]["field"], "type");

  client.Send(json{{"type", "heartbeat"}, {"id", "hb"}});
  answer = client.Receive();
  EXPECT_EQ(answer["type"], "heartbeat_ack");
  EXPECT_EQ(answer["id"], "hb");
  EXPECT_GT(answer["server_time_ms"].get<int64_t>(), 0);

  client.Send(Event("e4", Sms("WS-1")));
  answer = client.Receive();
  EXPECT_EQ(answer["type"], "event_ack");
  EXPECT_EQ(answer["status"], "accepted");
  EXPECT_EQ(answer["id"], "e4");
  client.Send(Event("e5", Sms("WS-1")));
  const json duplicate = client.Receive();
  EXPECT_EQ(duplicate["status"], "duplicate");
  EXPECT_EQ(duplicate["event_id"], answer["event_id"]);
  ASSERT_TRUE(testing::WaitUntil([&] { return pipeline_.Rows() == 1; })) << pipeline_.Rows();
}

TEST_F(StreamIngestTest, TheUpgradeIsAuthenticatedLikeHttp) {
  const auto refused = [&](const std::map<std::string, std::string>& headers) {
    try {
      WsClient client(pipeline_.port(), headers);
    } catch (const boost::system::system_error&) {
      return true;
    }
    return false;
  };
  EXPECT_TRUE(refused({}));
  EXPECT_TRUE(refused({{"Authorization", "Bearer wrong"}}));
  EXPECT_FALSE(refused({{"X-API-Key", "acme-key"}}));
  const auto plain = testing::HttpCall(pipeline_.port(), "GET", "/v1/stream");
  EXPECT_EQ(plain.status, 426) << plain.body;
  EXPECT_EQ(plain.Json()["error"], "upgrade_required");
  const auto no_key = testing::HttpCall(pipeline_.port(), "GET", "/v1/stream", "", "",
                                        {{"Upgrade", "websocket"}, {"Connection", "Upgrade"}});
  EXPECT_EQ(no_key.status, 401) << no_key.body;
}

TEST_F(StreamIngestTest, AnEventsPayloadIsStoredAsSent) {
  // A writer would round the price to a double's 0.1; the payload's own
  // text keeps it, and the tenant taken from the key is not added to it.
  WsClient client(pipeline_.port(), kAcme);
  client.Send(std::string(R"({"type": "event", "id": 7, "channel": "sms",
    "payload": {"From": "+15551230001", "To": "+15559870002", "Body": "Hi",
                "MessageSid": "WS-DIGITS", "Price": 0.10000000000000000001}})"));
  const json ack = client.Receive();
  ASSERT_EQ(ack["status"], "accepted") << ack;
  ASSERT_TRUE(testing::WaitUntil([&] { return pipeline_.Rows() == 1; }, 30));
  EXPECT_EQ(pipeline_.Sql("SELECT COUNT(*) FROM conversation_events WHERE tenant_id = 'acme' "
                          "AND raw_metadata->>'Price' = '0.10000000000000000001' "
                          "AND NOT raw_metadata ? 'tenant_id'"),
            1);
  client.Close();
}

TEST_F(StreamIngestTest, EventsCarryTheKeysTenantAndCannotClaimAnother) {
  WsClient client(pipeline_.port(), kAcme);
  json other = Sms("WS-t");
  other["tenant_id"] = "globex";
  client.Send(Event(1, other));
  const json answer = client.Receive();
  EXPECT_EQ(answer["type"], "event_error");
  EXPECT_EQ(answer["error"], "forbidden");

  // globex verifies sms by provider signature, which a stream event cannot carry.
  WsClient globex(pipeline_.port(), {{"Authorization", "Bearer globex-key"}});
  globex.Send(Event(2, Sms("WS-g")));
  EXPECT_EQ(globex.Receive()["error"], "unauthorized");
  globex.Send(Event(3, {{"userId", "u1"}, {"message", "hello"}, {"chatId", "c1"}}, "chat"));
  const json chat = globex.Receive();
  EXPECT_EQ(chat["status"], "accepted") << chat;
}

// A client that sends without reading: the gateway stops reading it once
// max_in_flight answers are owed, so its sends stall in TCP and nothing
// piles up in the gateway; when it reads again, everything is answered.
TEST_F(StreamIngestTest, ASlowReaderIsBackPressuredNotBuffered) {
  WsClient client(pipeline_.port(), kAcme, /*socket_buffer_bytes=*/4096);
  constexpr int kEvents = 60'000;
  std::atomic<int> sent{0};
  std::thread sender([&] {
    for (int i = 0; i < kEvents; ++i, ++sent) client.Send(Event(i, Sms("BP-" + std::to_string(i))));
  });
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_LT(sent.load(), kEvents) << "the sender should be stalled by TCP";
  const int64_t max_owed = stream::StreamOptions{}.max_in_flight + 1;
  EXPECT_LE(pipeline_.stream().owed_answers(), max_owed);
  int acks = 0;
  for (; acks < kEvents; ++acks) {
    if (client.Receive()["status"] != "accepted") break;
  }
  sender.join();
  EXPECT_EQ(acks, kEvents);
  client.Close();
}

// A gateway that stops (SIGTERM) answers the events it has taken, then
// closes with 1001 so clients reconnect elsewhere.
TEST_F(StreamIngestTest, StoppingAcksWhatWasTakenThenClosesWithGoingAway) {
  WsClient client(pipeline_.port(), kAcme);
  for (int i = 0; i < 10; ++i) client.Send(Event(i, Sms("STOP-" + std::to_string(i))));
  ASSERT_TRUE(testing::WaitUntil([&] { return pipeline_.Rows() == 10; }));
  std::thread stopper([&] { pipeline_.stream().Stop(); });
  int acks = 0;
  for (; acks < 10; ++acks) {
    if (client.Receive()["status"] != "accepted") break;
  }
  EXPECT_EQ(acks, 10);
  EXPECT_EQ(client.ReadUntilClosed().code, boost::beast::websocket::close_code::going_away);
  stopper.join();
  EXPECT_EQ(pipeline_.stream().connections(), 0);
}

TEST_F(StreamIngestTest, MetricsShowTheConnections) {
  WsClient a(pipeline_.port(), kAcme);
  WsClient b(pipeline_.port(), kAcme);
  ASSERT_TRUE(testing::WaitUntil([&] { return pipeline_.stream().connections() == 2; }));
  const auto metrics = testing::HttpCall(pipeline_.port(), "GET", "/metrics");
  ASSERT_EQ(metrics.status, 200) << metrics.body;
  EXPECT_NE(metrics.body.find("mccig_stream_connections 2"), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("mccig_stream_owed_answers 0"), std::string::npos);
}

class StreamLimitsTest : public StreamIngestTest {
 protected:
  StreamLimitsTest()
      : StreamIngestTest(stream::StreamOptions{.max_connections = 2,
                                               .idle_timeout = std::chrono::milliseconds(1000),
                                               .max_message_bytes = 4096}) {}
};

TEST_F(StreamLimitsTest, ConnectionsBeyondTheMaximumAre503) {
  WsClient a(pipeline_.port(), kAcme);
  WsClient b(pipeline_.port(), kAcme);
  EXPECT_THROW(WsClient(pipeline_.port(), kAcme), boost::system::system_error);
  const auto full = testing::HttpCall(
      pipeline_.port(), "GET", "/v1/stream", "", "",
      {{"Upgrade", "websocket"}, {"Connection", "Upgrade"}, {"Authorization", "Bearer acme-key"}});
  EXPECT_EQ(full.status, 503);
  EXPECT_EQ(full.Json()["error"], "overloaded");
  a.Close();
  ASSERT_TRUE(testing::WaitUntil([&] { return pipeline_.stream().connections() < 2; }));
  WsClient c(pipeline_.port(), kAcme);
}

TEST_F(StreamLimitsTest, IdleConnectionsAreClosed) {
  WsClient client(pipeline_.port(), kAcme);
  const auto started = std::chrono::steady_clock::now();
  client.ReadUntilClosed();
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(900));
  ASSERT_TRUE(testing::WaitUntil([&] { return pipeline_.stream().connections() == 0; }));
}

TEST_F(StreamLimitsTest, AMessageOverTheLimitClosesWith1009) {
  WsClient client(pipeline_.port(), kAcme);
  client.Send(Event(1, Sms(std::string(5000, 'x'))));
  EXPECT_EQ(client.ReadUntilClosed().code, boost::beast::websocket::close_code::too_big);
}

}  // namespace
}  // namespace mccig
