// HTTP-level tests against the real server on an ephemeral port, with the
// bundled plugins loaded from their .so files and an in-memory admission
// stage (support/fake_admission.h): every status code of the ingest API.
#include <gtest/gtest.h>

#include <Poco/Net/StreamSocket.h>

#include <chrono>
#include <thread>

#include "http/http_server.h"
#include "support/fake_admission.h"
#include "support/http_client.h"
#include "support/plugins.h"

namespace mccig {
namespace {

using nlohmann::json;
using testing::HttpCall;
using testing::PostJson;

const json kSms = {{"tenant_id", "acme"},
                   {"From", "+15551230001"},
                   {"To", "+15559870002"},
                   {"Body", "Hello"},
                   {"MessageSid", "SM1"}};

class HttpIngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    context_.registry.store(testing::BundledRegistry());
    context_.admission = &admission_;
    context_.body_limit_bytes = 4096;
    server_ = std::make_unique<http::HttpServer>(
        http::ServerOptions{.port = 0, .threads = 4, .read_timeout_ms = 500}, context_);
    server_->Start();
  }
  void TearDown() override { server_->Stop(); }
  uint16_t port() const { return server_->port(); }

  testing::FakeAdmission admission_;
  http::ServerContext context_;
  std::unique_ptr<http::HttpServer> server_;
};

TEST_F(HttpIngestTest, AcceptsAValidEvent) {
  auto r = PostJson(port(), "/v1/ingest/sms", kSms);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.headers["Content-Type"], "application/json");
  const json body = r.Json();
  EXPECT_EQ(body["status"], "accepted");
  EXPECT_EQ(body["provider_message_id"], "SM1");
  EXPECT_EQ(body["event_id"].get<std::string>().size(), 36u);
  const auto accepted = admission_.accepted();
  ASSERT_EQ(accepted.size(), 1u);
  const auto& event = accepted[0];
  EXPECT_EQ(event.event_id, body["event_id"]);
  EXPECT_EQ(event.tenant_id, "acme");
  EXPECT_EQ(event.raw_metadata, kSms);
}

TEST_F(HttpIngestTest, AliasRoutesBehaveTheSame) {
  EXPECT_EQ(PostJson(port(), "/ingest/sms", kSms).status, 201);
  auto chat = PostJson(port(), "/ingest/chat?source=web",
                       {{"tenant_id", "acme"}, {"userId", "u"}, {"message", "m"}, {"chatId", "c"}});
  EXPECT_EQ(chat.status, 201) << chat.body;
}

TEST_F(HttpIngestTest, DuplicateAnswers200) {
  ASSERT_EQ(PostJson(port(), "/v1/ingest/sms", kSms).status, 201);
  auto r = PostJson(port(), "/v1/ingest/sms", kSms);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Json(), (json{{"status", "duplicate"}, {"provider_message_id", "SM1"}}));
}

TEST_F(HttpIngestTest, AcceptsFormEncodedSms) {
  auto r =
      HttpCall(port(), "POST", "/v1/ingest/sms",
               "tenant_id=acme&From=%2B15551230001&To=%2B15559870002&Body=Hi+there&MessageSid=SM2&"
               "AccountSid=AC1&NumMedia=0",
               "application/x-www-form-urlencoded");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(admission_.accepted().back().content, "Hi there");
  EXPECT_EQ(admission_.accepted().back().raw_metadata["AccountSid"], "AC1");
}

TEST_F(HttpIngestTest, ValidationErrorsListEveryField) {
  auto r = PostJson(port(), "/v1/ingest/voice",
                    {{"tenant_id", "acme"}, {"confidence", 2}, {"duration", -1}});
  ASSERT_EQ(r.status, 400);
  EXPECT_EQ(r.Json()["error"], "validation_failed");
  EXPECT_EQ(r.Json()["details"],
            (json{{{"field", "callId"}, {"message", "required"}},
                  {{"field", "transcript_text"}, {"message", "required"}},
                  {{"field", "confidence"}, {"message", "must be at most 1"}},
                  {{"field", "duration"}, {"message", "must be at least 0"}}}));
  EXPECT_TRUE(admission_.accepted().empty());
}

TEST_F(HttpIngestTest, MalformedJsonSaysWhere) {
  auto r = HttpCall(port(), "POST", "/v1/ingest/chat", "{\"tenant_id\": }", "application/json");
  ASSERT_EQ(r.status, 400);
  EXPECT_EQ(r.Json()["error"], "invalid_json");
  EXPECT_NE(r.Json()["message"].get<std::string>().find("at byte 15"), std::string::npos) << r.body;
}

TEST_F(HttpIngestTest, UnknownChannelIs404) {
  auto r = PostJson(port(), "/v1/ingest/fax", kSms);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.Json()["error"], "not_found");
  EXPECT_EQ(HttpCall(port(), "GET", "/nope").status, 404);
}

TEST_F(HttpIngestTest, WrongMethodIs405WithAllow) {
  auto r = HttpCall(port(), "GET", "/v1/ingest/sms");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers["Allow"], "POST");
  EXPECT_EQ(r.Json()["error"], "method_not_allowed");
}

TEST_F(HttpIngestTest, OversizedBodyIs413BeforeReading) {
  auto r = HttpCall(port(), "POST", "/v1/ingest/sms", std::string(5000, ' '), "application/json");
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.Json()["limit_bytes"], 4096);
}

TEST_F(HttpIngestTest, OversizedChunkedBodyIs413) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port());
  Poco::Net::HTTPRequest request("POST", "/v1/ingest/sms", Poco::Net::HTTPMessage::HTTP_1_1);
  request.setContentType("application/json");
  request.setChunkedTransferEncoding(true);
  std::ostream& out = session.sendRequest(request);
  for (int i = 0; i < 10; ++i) out << std::string(1000, ' ');
  Poco::Net::HTTPResponse response;
  session.receiveResponse(response);
  EXPECT_EQ(response.getStatus(), 413);
}

TEST_F(HttpIngestTest, OtherContentTypesAre415) {
  auto r = HttpCall(port(), "POST", "/v1/ingest/sms", "hello", "text/plain");
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(r.Json()["error"], "unsupported_media_type");
  auto form_on_chat =
      HttpCall(port(), "POST", "/v1/ingest/chat", "a=b", "application/x-www-form-urlencoded");
  EXPECT_EQ(form_on_chat.status, 415);
}

TEST_F(HttpIngestTest, RateLimitedIs429WithRetryAfter) {
  admission_.ForceNext({.status = admission::AdmissionStatus::kRateLimited,
                        .retry_after_ms = 1200,
                        .limit = 100,
                        .remaining = 0});
  auto r = PostJson(port(), "/v1/ingest/sms", kSms);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.headers["Retry-After"], "2");
  EXPECT_EQ(r.headers["X-RateLimit-Limit"], "100");
  EXPECT_EQ(r.headers["X-RateLimit-Remaining"], "0");
  EXPECT_EQ(r.Json()["error"], "rate_limited");
}

TEST_F(HttpIngestTest, UnavailableQueueIs503WithRetryAfter) {
  admission_.ForceNext(
      {.status = admission::AdmissionStatus::kUnavailable, .detail = "redis down"});
  auto r = PostJson(port(), "/v1/ingest/sms", kSms);
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.headers["Retry-After"], "1");
  EXPECT_EQ(r.body.find("redis down"), std::string::npos) << "internal detail must not leak";
}

TEST_F(HttpIngestTest, HealthzAnswers) {
  auto r = HttpCall(port(), "GET", "/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Json()["status"], "ok");
}

TEST_F(HttpIngestTest, NulInAnyFieldIs400NotADeadLetterLater) {
  // An extra provider field would land in raw_metadata, which PostgreSQL
  // cannot store with a NUL: refused here, naming the field.
  nlohmann::json body = kSms;
  body["Extra"] = std::string("a\0b", 3);
  auto r = PostJson(port(), "/v1/ingest/sms", body);
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.Json()["details"][0]["field"], "Extra");
  auto form = HttpCall(port(), "POST", "/v1/ingest/sms",
                       "tenant_id=acme&From=1&To=2&Body=x&MessageSid=SMn&Note=a%00b",
                       "application/x-www-form-urlencoded");
  ASSERT_EQ(form.status, 400) << form.body;
  EXPECT_EQ(form.Json()["details"][0]["field"], "Note");
  EXPECT_TRUE(admission_.accepted().empty());
}

TEST_F(HttpIngestTest, DuplicateKeysAndDeepNestingAre400) {
  auto dup =
      HttpCall(port(), "POST", "/v1/ingest/sms",
               R"({"tenant_id":"acme","MessageSid":"a","MessageSid":"b"})", "application/json");
  EXPECT_EQ(dup.status, 400);
  EXPECT_EQ(dup.Json()["error"], "invalid_json");
  auto deep = HttpCall(port(), "POST", "/v1/ingest/chat",
                       "{\"metadata\":" + std::string(40, '[') + std::string(40, ']') + "}",
                       "application/json");
  EXPECT_EQ(deep.status, 400);
}

// Sends raw bytes and returns what the server answers before closing.
std::string RawExchange(uint16_t port, const std::string& head,
                        const std::function<void(Poco::Net::StreamSocket&)>& after = {}) {
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
  socket.setReceiveTimeout(Poco::Timespan(10, 0));
  socket.sendBytes(head.data(), static_cast<int>(head.size()));
  if (after) after(socket);
  std::string answer;
  char buffer[4096];
  try {
    for (int n; (n = socket.receiveBytes(buffer, sizeof buffer)) > 0;) answer.append(buffer, n);
  } catch (const std::exception&) {
  }
  return answer;
}

// curl and most HTTP clients send Expect: 100-continue before a large body
// and wait for the interim answer; pipelined requests are answered in order.
TEST_F(HttpIngestTest, ExpectContinueAndPipelinedRequestsAreServed) {
  const std::string body = kSms.dump();
  std::string interim;
  const std::string answer =
      RawExchange(port(),
                  "POST /v1/ingest/sms HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  "Expect: 100-continue\r\nConnection: close\r\nContent-Length: " +
                      std::to_string(body.size()) + "\r\n\r\n",
                  [&](Poco::Net::StreamSocket& s) {
                    char buffer[64];
                    const int n = s.receiveBytes(buffer, sizeof buffer);
                    interim.assign(buffer, n > 0 ? n : 0);
                    s.sendBytes(body.data(), static_cast<int>(body.size()));
                  });
  EXPECT_EQ(interim, "HTTP/1.1 100 Continue\r\n\r\n");
  EXPECT_NE(answer.find("HTTP/1.1 201"), std::string::npos) << answer;

  std::string pipelined;
  for (const char* sid : {"SM-pipe-1", "SM-pipe-2"}) {
    nlohmann::json event = kSms;
    event["MessageSid"] = sid;
    const std::string b = event.dump();
    pipelined += "POST /v1/ingest/sms HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
                 std::string(sid == std::string("SM-pipe-2") ? "Connection: close\r\n" : "") +
                 "Content-Length: " + std::to_string(b.size()) + "\r\n\r\n" + b;
  }
  const std::string both = RawExchange(port(), pipelined);
  const auto first = both.find("SM-pipe-1");
  const auto second = both.find("SM-pipe-2");
  ASSERT_NE(first, std::string::npos) << both;
  ASSERT_NE(second, std::string::npos) << both;
  EXPECT_LT(first, second);
  EXPECT_EQ(admission_.accepted().size(), 3u);
}

TEST_F(HttpIngestTest, SlowBodyIsCutOffWith408) {
  const auto start = std::chrono::steady_clock::now();
  std::atomic<bool> done{false};
  std::thread trickle;
  const std::string answer =
      RawExchange(port(),
                  "POST /v1/ingest/sms HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  "Content-Length: 200\r\n\r\n{",
                  [&](Poco::Net::StreamSocket& s) {
                    // One byte every 100 ms: never idle long enough for a socket timeout.
                    trickle = std::thread([&, s]() mutable {
                      for (int i = 0; i < 40 && !done; ++i) {
                        std::this_thread::sleep_for(std::chrono::milliseconds(100));
                        try {
                          s.sendBytes(" ", 1);
                        } catch (const std::exception&) {
                          return;
                        }
                      }
                    });
                  });
  done = true;
  trickle.join();
  EXPECT_NE(answer.find("HTTP/1.1 408"), std::string::npos) << answer;
  EXPECT_NE(answer.find("request_timeout"), std::string::npos) << answer;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  EXPECT_TRUE(admission_.accepted().empty());
}

// HTTP/1.1 requires Host (RFC 9112 §3.2): its absence is the client's
// error, a 400, never a 500; HTTP/1.0 may leave it out and is served.
TEST_F(HttpIngestTest, AMissingHostIsA400OnHttp11AndServedOnHttp10) {
  const std::string body = kSms.dump();
  const std::string rest =
      "Content-Type: application/json\r\nConnection: close\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  const std::string http11 = RawExchange(port(), "POST /v1/ingest/sms HTTP/1.1\r\n" + rest);
  EXPECT_NE(http11.find("HTTP/1.1 400"), std::string::npos) << http11;
  EXPECT_NE(http11.find("missing_host"), std::string::npos) << http11;
  EXPECT_TRUE(admission_.accepted().empty());
  const std::string http10 = RawExchange(port(), "POST /v1/ingest/sms HTTP/1.0\r\n" + rest);
  EXPECT_NE(http10.find(" 201 "), std::string::npos) << http10;
}

TEST_F(HttpIngestTest, TooManyOrTooLongHeadersAreRefused) {
  std::string many = "POST /v1/ingest/sms HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 200; ++i) many += "X-Filler-" + std::to_string(i) + ": y\r\n";
  EXPECT_NE(RawExchange(port(), many + "Content-Length: 0\r\n\r\n").find("HTTP/1.1 400"),
            std::string::npos);
  const std::string huge =
      "POST /v1/ingest/sms HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') +
      "\r\nContent-Length: 0\r\n\r\n";
  EXPECT_NE(RawExchange(port(), huge).find("HTTP/1.1 400"), std::string::npos);
  // The server is unharmed.
  EXPECT_EQ(PostJson(port(), "/v1/ingest/sms", kSms).status, 201);
}

TEST_F(HttpIngestTest, CorsPreflightAndResponsesAsConfigured) {
  context_.cors = http::CorsPolicy(true, "https://console.example");
  auto preflight = HttpCall(port(), "OPTIONS", "/v1/ingest/sms", "", "",
                            {{"Origin", "https://console.example"},
                             {"Access-Control-Request-Method", "POST"},
                             {"Access-Control-Request-Headers", "content-type,x-api-key"}});
  EXPECT_EQ(preflight.status, 204);
  EXPECT_EQ(preflight.headers["Access-Control-Allow-Origin"], "https://console.example");
  EXPECT_NE(preflight.headers["Access-Control-Allow-Headers"].find("X-API-Key"), std::string::npos);
  EXPECT_EQ(preflight.body, "");

  auto post = HttpCall(port(), "POST", "/v1/ingest/sms", kSms.dump(), "application/json",
                       {{"Origin", "https://console.example"}});
  EXPECT_EQ(post.status, 201);
  EXPECT_EQ(post.headers["Access-Control-Allow-Origin"], "https://console.example");

  const auto other =
      HttpCall(port(), "OPTIONS", "/v1/ingest/sms", "", "",
               {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(other.status, 403);
  EXPECT_EQ(other.headers.count("Access-Control-Allow-Origin"), 0u);
  context_.cors = http::CorsPolicy();
  const auto off =
      HttpCall(port(), "GET", "/healthz", "", "", {{"Origin", "https://console.example"}});
  EXPECT_EQ(off.headers.count("Access-Control-Allow-Origin"), 0u);
}

TEST(HttpOverload, ConnectionsBeyondTheMaximumGet503NotATimeout) {
  // Both allowed connections are held by clients that send half a body; a
  // connection beyond them is answered 503 at once and closed.
  testing::FakeAdmission admission;
  http::ServerContext context;
  context.registry.store(testing::BundledRegistry());
  context.admission = &admission;
  http::HttpServer server(
      http::ServerOptions{.port = 0, .threads = 2, .max_connections = 2, .read_timeout_ms = 1000},
      context);
  server.Start();
  std::vector<std::thread> holders;
  for (int i = 0; i < 2; ++i) {
    holders.emplace_back([&] {
      RawExchange(server.port(),
                  "POST /v1/ingest/sms HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  "Content-Length: 100\r\n\r\n{");
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto start = std::chrono::steady_clock::now();
  std::vector<testing::HttpResult> answers(6);
  std::vector<std::thread> clients;
  for (int i = 0; i < 6; ++i) {
    clients.emplace_back([&, i] {
      nlohmann::json body = kSms;
      body["MessageSid"] = "SM-load-" + std::to_string(i);
      answers[i] = PostJson(server.port(), "/v1/ingest/sms", body);
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(900))
      << "answered before the holders' bodies time out";
  for (const auto& a : answers) {
    EXPECT_EQ(a.status, 503) << a.body;
    EXPECT_EQ(a.Json()["error"], "overloaded");
    EXPECT_NE(a.Json()["message"].get<std::string>().find("server.max_connections"),
              std::string::npos);
    EXPECT_EQ(a.headers.at("Retry-After"), "1");
  }
  for (auto& t : holders) t.join();  // their bodies timed out (408): room again
  EXPECT_EQ(PostJson(server.port(), "/v1/ingest/sms", kSms).status, 201);
  server.Stop();
  EXPECT_EQ(admission.accepted().size(), 1u);
}

TEST(HttpOverload, RequestsBeyondMaxQueuedGet503AndTheWaitingOneIsServed) {
  testing::FakeAdmission admission;
  http::ServerContext context;
  context.registry.store(testing::BundledRegistry());
  context.admission = &admission;
  http::HttpServer server(http::ServerOptions{.port = 0, .threads = 2, .max_queued = 1}, context);
  server.Start();
  admission.Hold();  // Redis is slow: the first request waits for admission
  testing::HttpResult first;
  std::thread waiting([&] { first = PostJson(server.port(), "/v1/ingest/sms", kSms); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (admission.waiting() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(admission.waiting(), 1);
  nlohmann::json other = kSms;
  other["MessageSid"] = "SM-other";
  const auto shed = PostJson(server.port(), "/v1/ingest/sms", other);
  EXPECT_EQ(shed.status, 503) << shed.body;
  EXPECT_EQ(shed.Json()["error"], "overloaded");
  EXPECT_NE(shed.Json()["message"].get<std::string>().find("server.max_queued"), std::string::npos);
  admission.Release();
  waiting.join();
  EXPECT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(PostJson(server.port(), "/v1/ingest/sms", other).status, 201) << "room again";
  server.Stop();
}

// Stop finishes what it has taken: a request waiting for admission when
// the server stops is still answered (and its connection then closed);
// nothing new is accepted.
TEST(HttpStop, AnswersTheRequestInFlightThenRefusesConnections) {
  testing::FakeAdmission admission;
  http::ServerContext context;
  context.registry.store(testing::BundledRegistry());
  context.admission = &admission;
  http::HttpServer server(http::ServerOptions{.port = 0, .threads = 2}, context);
  server.Start();
  const uint16_t port = server.port();
  admission.Hold();
  testing::HttpResult in_flight;
  std::thread client([&] { in_flight = PostJson(port, "/v1/ingest/sms", kSms); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (admission.waiting() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(admission.waiting(), 1);
  std::thread stopper([&] { server.Stop(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  admission.Release();
  client.join();
  stopper.join();
  EXPECT_EQ(in_flight.status, 201) << in_flight.body;
  EXPECT_EQ(in_flight.headers["Connection"], "close");
  EXPECT_EQ(admission.accepted().size(), 1u);
  EXPECT_THROW(PostJson(port, "/v1/ingest/sms", kSms), std::exception);
}

// The simulation header travels with its event through the shared
// admission batcher; a bad value is refused before admission.
TEST_F(HttpIngestTest, SimulationHeaderReachesAdmissionWithItsEvent) {
  context_.simulation_mode = true;
  const auto simulated = HttpCall(port(), "POST", "/v1/ingest/sms", kSms.dump(), "application/json",
                                  {{"X-Simulate-Failure", "worker"}});
  EXPECT_EQ(simulated.status, 201) << simulated.body;
  nlohmann::json plain = kSms;
  plain["MessageSid"] = "SM-plain";
  EXPECT_EQ(PostJson(port(), "/v1/ingest/sms", plain).status, 201);
  EXPECT_EQ(admission_.simulated_failures(), 1) << "only the marked event";
  nlohmann::json other = kSms;
  other["MessageSid"] = "SM-bad-header";
  const auto bad = HttpCall(port(), "POST", "/v1/ingest/sms", other.dump(), "application/json",
                            {{"X-Simulate-Failure", "sometimes"}});
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(admission_.accepted().size(), 2u);
  context_.simulation_mode = false;
}

TEST_F(HttpIngestTest, RequestIdIsEchoedOrMade) {
  auto given = HttpCall(port(), "GET", "/healthz", "", "", {{"X-Request-Id", "abc-123"}});
  EXPECT_EQ(given.headers["X-Request-Id"], "abc-123");
  auto made = HttpCall(port(), "GET", "/healthz");
  EXPECT_EQ(made.headers["X-Request-Id"].size(), 36u) << "a UUIDv7";
  auto unsafe = HttpCall(port(), "GET", "/healthz", "", "", {{"X-Request-Id", "a b\"c"}});
  EXPECT_EQ(unsafe.headers["X-Request-Id"].size(), 36u) << "replaced, not echoed";
}

}  // namespace
}  // namespace mccig
