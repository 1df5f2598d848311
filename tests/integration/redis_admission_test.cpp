// The admission invariants of DESIGN.md §2, end to end: HTTP server, bundled
// plugins, the real admission script on a real Redis (support/redis_server.h,
// one server per test so the stream counts are exact).
#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "admission/admission_keys.h"
#include "admission/redis_admission.h"
#include "http/http_server.h"
#include "queue/event_codec.h"
#include "queue/stream_queue.h"
#include "support/http_client.h"
#include "support/plugins.h"
#include "support/redis_server.h"

namespace mccig {
namespace {

using nlohmann::json;
using testing::PostJson;

json Sms(const std::string& tenant, const std::string& sid) {
  return {{"tenant_id", tenant},
          {"From", "+15551230001"},
          {"To", "+15559870002"},
          {"Body", "Hello"},
          {"MessageSid", sid}};
}

class RedisAdmissionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pool_ = std::make_unique<redis::Pool>(redis::ParseRedisUrl(redis_.url()).value(),
                                          redis::PoolOptions{.size = 16});
    admission::AdmissionSettings settings;
    settings.default_limit = {.capacity = 1000, .refill_per_second = 1000};
    // tight: two tokens, practically no refill. quick: one token, back in 250 ms.
    settings.tenant_limits["tight"] = {.capacity = 2, .refill_per_second = 0.001};
    settings.tenant_limits["quick"] = {.capacity = 1, .refill_per_second = 4};
    admission_ = std::make_unique<admission::RedisAdmission>(*pool_, settings);
    context_.registry.store(testing::BundledRegistry());
    context_.admission = admission_.get();
    server_ =
        std::make_unique<http::HttpServer>(http::ServerOptions{.port = 0, .threads = 16}, context_);
    server_->Start();
  }
  void TearDown() override { server_->Stop(); }

  testing::HttpResult Post(const json& body) {
    return PostJson(server_->port(), "/v1/ingest/sms", body);
  }

  redis::Reply Redis(std::initializer_list<std::string_view> args) {
    auto lease = pool_->Acquire();
    EXPECT_TRUE(lease) << lease.error().message;
    auto reply = lease.value().Command(args);
    EXPECT_TRUE(reply) << reply.error().message;
    return std::move(reply.value());
  }
  // Events queued (an entry holds every event one admission call accepted).
  long long StreamLength() { return queue::StreamQueue(*pool_).Stats().value().length; }
  bool Claimed(const std::string& tenant, const std::string& sid) {
    const std::string field = admission::IdempotencyField("sms", sid);
    for (int generation : {0, 1}) {
      const std::string key = admission::IdempotencyGenerationKey(tenant, generation);
      if (Redis({"HEXISTS", key, field})->integer == 1) return true;
    }
    return false;
  }

  testing::RedisServer redis_;
  std::unique_ptr<redis::Pool> pool_;
  std::unique_ptr<admission::RedisAdmission> admission_;
  http::ServerContext context_;
  std::unique_ptr<http::HttpServer> server_;
};

TEST_F(RedisAdmissionTest, AcceptedEventIsInTheStreamBeforeThe201) {
  const auto r = Post(Sms("acme", "SM-A1"));
  ASSERT_EQ(r.status, 201) << r.body;
  // The reply came after the script returned, so the entry must be there.
  auto entries = Redis({"XRANGE", queue::kStreamKey, "-", "+"});
  ASSERT_EQ(entries->elements, 1u);
  const redisReply* fields = entries->element[0]->element[1];
  ASSERT_EQ(fields->elements, 4u);
  EXPECT_EQ(std::string(fields->element[0]->str), queue::kEventsField);
  EXPECT_EQ(std::string(fields->element[2]->str), "n");
  EXPECT_EQ(std::string(fields->element[3]->str), "1") << "the events it holds";
  auto event = queue::DecodeEvent(fields->element[1]->str);
  ASSERT_TRUE(event) << event.error().message;
  EXPECT_EQ(event.value().event_id, r.Json()["event_id"]);
  EXPECT_EQ(event.value().provider_message_id, "SM-A1");
  EXPECT_EQ(event.value().tenant_id, "acme");
  EXPECT_TRUE(Claimed("acme", "SM-A1"));
  // The claim's generation outlives it: kept three TTLs from its turn.
  auto ttl = Redis({"TTL", admission::IdempotencyGenerationKey("acme", 0)});
  EXPECT_GT(ttl->integer, 3 * 86400 - 100);
}

TEST_F(RedisAdmissionTest, DuplicateSpendsNoToken) {
  const auto first = Post(Sms("tight", "SM-D1"));
  ASSERT_EQ(first.status, 201);
  for (int i = 0; i < 5; ++i) {
    const auto dup = Post(Sms("tight", "SM-D1"));
    ASSERT_EQ(dup.status, 200) << dup.body;
    EXPECT_EQ(dup.Json()["status"], "duplicate");
    EXPECT_EQ(dup.Json()["event_id"], first.Json()["event_id"]) << "the original event's id";
  }
  // Two tokens: the first event took one, the duplicates none.
  EXPECT_EQ(Post(Sms("tight", "SM-D2")).status, 201);
  EXPECT_EQ(Post(Sms("tight", "SM-D3")).status, 429);
  EXPECT_EQ(StreamLength(), 2);
}

TEST_F(RedisAdmissionTest, RateLimitedClaimsNothingAndTheRetryIsAccepted) {
  ASSERT_EQ(Post(Sms("quick", "SM-R1")).status, 201);
  const auto limited = Post(Sms("quick", "SM-R2"));
  ASSERT_EQ(limited.status, 429) << limited.body;
  EXPECT_EQ(limited.headers.at("Retry-After"), "1");  // 250 ms, rounded up
  EXPECT_EQ(limited.headers.at("X-RateLimit-Limit"), "1");
  EXPECT_EQ(limited.headers.at("X-RateLimit-Remaining"), "0");
  EXPECT_EQ(limited.Json()["error"], "rate_limited");
  EXPECT_FALSE(Claimed("quick", "SM-R2"));
  EXPECT_EQ(StreamLength(), 1);

  std::this_thread::sleep_for(std::chrono::seconds(1));  // what Retry-After asked for
  const auto retry = Post(Sms("quick", "SM-R2"));
  EXPECT_EQ(retry.status, 201) << retry.body;
  EXPECT_EQ(StreamLength(), 2);
}

TEST_F(RedisAdmissionTest, SameMessageIdFromTwoTenantsIsTwoEvents) {
  EXPECT_EQ(Post(Sms("acme", "SM-T1")).status, 201);
  EXPECT_EQ(Post(Sms("globex", "SM-T1")).status, 201);
  EXPECT_EQ(Post(Sms("globex", "SM-T1")).status, 200);
  EXPECT_EQ(StreamLength(), 2);
}

TEST_F(RedisAdmissionTest, FiftyConcurrentCopiesGiveOneAcceptAndOneEntry) {
  std::atomic<int> created{0}, duplicates{0}, other{0};
  std::vector<std::thread> senders;
  for (int i = 0; i < 50; ++i) {
    senders.emplace_back([&] {
      const int status = Post(Sms("acme", "SM-C1")).status;
      (status == 201 ? created : status == 200 ? duplicates : other)++;
    });
  }
  for (auto& t : senders) t.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(duplicates.load(), 49);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(StreamLength(), 1);
}

sdk::ConversationEvent SmsEvent(const std::string& tenant, const std::string& sid) {
  sdk::ConversationEvent e;
  e.event_id = "id-" + sid;
  e.tenant_id = tenant;
  e.provider_message_id = sid;
  e.content = "hi";
  return e;
}

std::vector<admission::AdmissionItem> Items(const std::vector<sdk::ConversationEvent>& events) {
  std::vector<admission::AdmissionItem> items;
  for (const auto& e : events) items.push_back({.event = &e});
  return items;
}

TEST_F(RedisAdmissionTest, AcceptedEventsOfOneCallShareOneEntryInOrder) {
  // tight has two tokens: E3 and E4 take them, E5 is refused.
  const std::vector<sdk::ConversationEvent> events = {
      SmsEvent("acme", "E1"),  SmsEvent("acme", "E1"),  SmsEvent("acme", "E2"),
      SmsEvent("tight", "E3"), SmsEvent("tight", "E4"), SmsEvent("tight", "E5")};
  const auto results = admission_->AdmitBatch(Items(events));
  using S = admission::AdmissionStatus;
  const std::vector<S> expected = {S::kAccepted, S::kDuplicate, S::kAccepted,
                                   S::kAccepted, S::kAccepted,  S::kRateLimited};
  ASSERT_EQ(results.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(results[i].status, expected[i]) << i;

  auto entries = Redis({"XRANGE", queue::kStreamKey, "-", "+"});
  ASSERT_EQ(entries->elements, 1u) << "one XADD per call";
  const redisReply* fields = entries->element[0]->element[1];
  ASSERT_EQ(std::string(fields->element[0]->str), queue::kEventsField);
  const std::string text(fields->element[1]->str, fields->element[1]->len);
  std::vector<std::string> ids;
  for (std::string_view line : queue::SplitEvents(text)) {
    ids.push_back(queue::DecodeEvent(line).value().provider_message_id);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"E1", "E2", "E3", "E4"}));
  EXPECT_EQ(std::string(fields->element[3]->str), "4");
  EXPECT_EQ(StreamLength(), 4);
}

// Tenants interleaved in one call (single requests admitted together):
// each event's result comes back in its own place, each tenant judged in
// its order; an event marked for a simulated failure gets its own entry.
TEST_F(RedisAdmissionTest, InterleavedTenantsGetTheirOwnResultsInPlace) {
  const std::vector<sdk::ConversationEvent> events = {
      SmsEvent("acme", "I1"),  SmsEvent("tight", "I2"), SmsEvent("acme", "I1"),
      SmsEvent("tight", "I3"), SmsEvent("tight", "I4"), SmsEvent("acme", "I5")};
  std::vector<admission::AdmissionItem> items = Items(events);
  items[5].options.simulate_worker_failure = true;
  const auto results = admission_->AdmitBatch(items);
  using S = admission::AdmissionStatus;
  const std::vector<S> expected = {S::kAccepted, S::kAccepted,    S::kDuplicate,
                                   S::kAccepted, S::kRateLimited, S::kAccepted};
  ASSERT_EQ(results.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(results[i].status, expected[i]) << i;
  EXPECT_EQ(results[2].original_event_id, "id-I1");
  EXPECT_EQ(results[1].remaining, 1) << "tight's first token";
  EXPECT_EQ(results[3].remaining, 0);
  EXPECT_EQ(results[1].limit, 2);
  EXPECT_EQ(results[0].limit, 1000);

  auto entries = Redis({"XRANGE", queue::kStreamKey, "-", "+"});
  ASSERT_EQ(entries->elements, 2u) << "the marked event alone, the others together";
  std::vector<std::string> marked, together;
  for (std::size_t e = 0; e < entries->elements; ++e) {
    const redisReply* fields = entries->element[e]->element[1];
    const std::string text(fields->element[1]->str, fields->element[1]->len);
    const bool simulated = fields->elements == 6;
    for (std::string_view line : queue::SplitEvents(text)) {
      (simulated ? marked : together)
          .push_back(queue::DecodeEvent(line).value().provider_message_id);
    }
  }
  EXPECT_EQ(marked, (std::vector<std::string>{"I5"}));
  EXPECT_EQ(together, (std::vector<std::string>{"I1", "I2", "I3"}));
  EXPECT_EQ(StreamLength(), 4);
}

// A call whose every event is accepted gets the script's short reply; each
// event's remaining count still comes back per tenant, in its own place.
TEST_F(RedisAdmissionTest, AllAcceptedCallCountsEachTenantsTokensDown) {
  const std::vector<sdk::ConversationEvent> events = {
      SmsEvent("acme", "A1"), SmsEvent("tight", "A2"), SmsEvent("acme", "A3"),
      SmsEvent("tight", "A4"), SmsEvent("acme", "A5")};
  const auto results = admission_->AdmitBatch(Items(events));
  ASSERT_EQ(results.size(), events.size());
  const std::vector<int64_t> remaining = {999, 1, 998, 0, 997};
  const std::vector<int64_t> limit = {1000, 2, 1000, 2, 1000};
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(results[i].status, admission::AdmissionStatus::kAccepted) << i;
    EXPECT_EQ(results[i].remaining, remaining[i]) << i;
    EXPECT_EQ(results[i].limit, limit[i]) << i;
  }
  EXPECT_EQ(StreamLength(), 5);
  // The next call starts where this one left the bucket: tight has none.
  const auto next = admission_->AdmitBatch(Items({SmsEvent("tight", "A6")}));
  EXPECT_EQ(next[0].status, admission::AdmissionStatus::kRateLimited);
}

// The first refusal of a call comes after accepted events, of its own
// tenant and of the tenants before it: each of those keeps its result and
// remaining count, and every event after it is judged as usual.
TEST_F(RedisAdmissionTest, AcceptedEventsBeforeTheFirstRefusalKeepTheirResults) {
  using S = admission::AdmissionStatus;
  struct Case {
    std::vector<sdk::ConversationEvent> events;
    std::vector<S> status;
    std::vector<int64_t> remaining;  // -1: not checked
  };
  const std::vector<Case> cases = {
      // The refusal in the first tenant's own run (acme is judged first).
      {{SmsEvent("acme", "F1"), SmsEvent("tight", "G1"), SmsEvent("acme", "F2"),
        SmsEvent("tight", "G2"), SmsEvent("tight", "G3"), SmsEvent("acme", "F1"),
        SmsEvent("acme", "F3")},
       {S::kAccepted, S::kAccepted, S::kAccepted, S::kAccepted, S::kRateLimited, S::kDuplicate,
        S::kAccepted},
       {999, 1, 998, 0, 0, -1, 997}},
      // The refusal in the second tenant, after all of the first's events
      // (fresh tenants: acme's bucket refills between the calls).
      {{SmsEvent("beta", "H1"), SmsEvent("gamma", "K1"), SmsEvent("beta", "H2"),
        SmsEvent("gamma", "K1"), SmsEvent("beta", "H3")},
       {S::kAccepted, S::kAccepted, S::kAccepted, S::kDuplicate, S::kAccepted},
       {999, 999, 998, -1, 997}},
  };
  for (const Case& c : cases) {
    const auto results = admission_->AdmitBatch(Items(c.events));
    ASSERT_EQ(results.size(), c.events.size());
    for (std::size_t i = 0; i < c.events.size(); ++i) {
      EXPECT_EQ(results[i].status, c.status[i]) << c.events[i].provider_message_id;
      if (c.remaining[i] >= 0) {
        EXPECT_EQ(results[i].remaining, c.remaining[i]) << i;
      }
    }
  }
  EXPECT_EQ(StreamLength(), 5 + 4) << "each accepted event queued once";
}

// Claims live between one and two TTLs: the generation a claim went into
// is read for one more turn, then unlinked when the next turn comes.
TEST_F(RedisAdmissionTest, ClaimsOutliveOneTtlAndGoAtTheSecondTurn) {
  admission::AdmissionSettings one_second;
  one_second.idempotency_ttl_seconds = 1;
  one_second.default_limit = {.capacity = 1000, .refill_per_second = 1000};
  admission_->UpdateSettings(one_second);
  const auto admit = [&](const std::string& sid) {
    const std::vector<sdk::ConversationEvent> events = {SmsEvent("acme", sid)};
    return admission_->AdmitBatch(Items(events))[0].status;
  };
  using S = admission::AdmissionStatus;
  ASSERT_EQ(admit("SM-G1"), S::kAccepted);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  ASSERT_EQ(admit("SM-G2"), S::kAccepted);  // the first turn: SM-G1's generation is older now
  EXPECT_EQ(admit("SM-G1"), S::kDuplicate) << "a claim lives at least one TTL";
  EXPECT_TRUE(Claimed("acme", "SM-G1"));
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(admit("SM-G3"), S::kAccepted);  // the second turn unlinks SM-G1's generation
  EXPECT_FALSE(Claimed("acme", "SM-G1"));
  EXPECT_TRUE(Claimed("acme", "SM-G2")) << "claimed a turn later, so still remembered";
  EXPECT_EQ(admit("SM-G1"), S::kAccepted) << "forgotten after two turns";
  EXPECT_EQ(admit("SM-G2"), S::kDuplicate);
}

TEST_F(RedisAdmissionTest, FailedEnqueueOfABatchChangesNothingAtAll) {
  const std::vector<sdk::ConversationEvent> events = {
      SmsEvent("acme", "B1"), SmsEvent("acme", "B1"), SmsEvent("tight", "B2")};
  Redis({"SET", queue::kStreamKey, "not a stream"});
  for (const auto& r : admission_->AdmitBatch(Items(events))) {
    EXPECT_EQ(r.status, admission::AdmissionStatus::kUnavailable);
  }
  EXPECT_FALSE(Claimed("acme", "B1"));
  EXPECT_FALSE(Claimed("tight", "B2"));
  EXPECT_EQ(Redis({"EXISTS", admission::BucketKey("tight")})->integer, 0) << "token spent";
  EXPECT_EQ(Redis({"EXISTS", queue::kQueuedEventsKey})->integer, 0);
  Redis({"DEL", queue::kStreamKey});
  const auto results = admission_->AdmitBatch(Items(events));
  EXPECT_EQ(results[0].status, admission::AdmissionStatus::kAccepted);
  EXPECT_EQ(results[1].status, admission::AdmissionStatus::kDuplicate);
  EXPECT_EQ(results[2].status, admission::AdmissionStatus::kAccepted);
  EXPECT_EQ(StreamLength(), 2);
}

TEST_F(RedisAdmissionTest, FailedEnqueueIs503AndChangesNothing) {
  // A key of the wrong type makes XADD fail inside the script.
  Redis({"SET", queue::kStreamKey, "not a stream"});
  const auto r = Post(Sms("tight", "SM-F1"));
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(r.headers.at("Retry-After"), "1");
  EXPECT_FALSE(Claimed("tight", "SM-F1"));
  EXPECT_EQ(Redis({"EXISTS", admission::BucketKey("tight")})->integer, 0) << "token spent";

  Redis({"DEL", queue::kStreamKey});
  EXPECT_EQ(Post(Sms("tight", "SM-F1")).status, 201);
  EXPECT_EQ(Post(Sms("tight", "SM-F2")).status, 201);  // both tokens were still there
  EXPECT_EQ(StreamLength(), 2);
}

TEST_F(RedisAdmissionTest, ScriptFlushIsReloadedTransparently) {
  ASSERT_EQ(Post(Sms("acme", "SM-S1")).status, 201);
  Redis({"SCRIPT", "FLUSH"});
  EXPECT_EQ(Post(Sms("acme", "SM-S2")).status, 201);
  EXPECT_EQ(StreamLength(), 2);
}

TEST_F(RedisAdmissionTest, UpdatedLimitsApplyToTheNextRequest) {
  ASSERT_EQ(Post(Sms("tight", "SM-U1")).status, 201);
  ASSERT_EQ(Post(Sms("tight", "SM-U2")).status, 201);
  ASSERT_EQ(Post(Sms("tight", "SM-U3")).status, 429);
  admission::AdmissionSettings reloaded;
  reloaded.tenant_limits["tight"] = {.capacity = 2, .refill_per_second = 1000};
  admission_->UpdateSettings(reloaded);  // what SIGHUP does
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(Post(Sms("tight", "SM-U3")).status, 201);
}

// Polls until the gateway answers something other than 503 (the pool spaces
// its reconnects), and returns that answer.
testing::HttpResult PostUntilAvailable(const std::function<testing::HttpResult()>& post) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  testing::HttpResult r = post();
  while (r.status == 503 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    r = post();
  }
  return r;
}

TEST_F(RedisAdmissionTest, RedisDownIs503AndTheHostRecoversAfterARestart) {
  ASSERT_EQ(Post(Sms("acme", "SM-X1")).status, 201);
  redis_.Stop();
  const auto down = Post(Sms("acme", "SM-X2"));
  EXPECT_EQ(down.status, 503) << down.body;
  EXPECT_EQ(down.headers.at("Retry-After"), "1");
  EXPECT_EQ(down.Json()["error"], "unavailable");

  redis_.Start();  // same port, same append-only file
  const auto back = PostUntilAvailable([&] { return Post(Sms("acme", "SM-X2")); });
  EXPECT_EQ(back.status, 201) << back.body;
  // The event accepted before the restart survived it, and still counts.
  EXPECT_EQ(Post(Sms("acme", "SM-X1")).status, 200);
  EXPECT_EQ(StreamLength(), 2);
}

TEST_F(RedisAdmissionTest, AcceptedEventsSurviveARedisCrash) {
  ASSERT_EQ(Post(Sms("acme", "SM-K1")).status, 201);
  redis_.Kill();  // no shutdown: only what the AOF already holds survives
  redis_.Start();
  const auto dup = PostUntilAvailable([&] { return Post(Sms("acme", "SM-K1")); });
  EXPECT_EQ(dup.status, 200) << dup.body;
  EXPECT_EQ(StreamLength(), 1);
}

// The pool speaks to Redis however REDIS_URL says: a unix socket, a
// password, a database other than 0.
TEST(RedisPoolEndpoints, UnixSocketPasswordAndDatabase) {
  testing::RedisServer server({.password = "s3cret", .unix_socket = true});
  auto endpoint = redis::ParseRedisUrl("unix://" + server.socket_path() + "?db=5&password=s3cret");
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  redis::Pool pool(endpoint.value(), redis::PoolOptions{.size = 1});
  {
    auto lease = pool.Acquire();
    ASSERT_TRUE(lease) << lease.error().message;
    ASSERT_TRUE(lease.value().Command({"SET", "where", "db5"}));
  }
  redis::Pool db0(
      redis::ParseRedisUrl("redis://:s3cret@127.0.0.1:" + std::to_string(server.port()) + "/0")
          .value(),
      redis::PoolOptions{.size = 1});
  auto lease = db0.Acquire();
  ASSERT_TRUE(lease) << lease.error().message;
  EXPECT_EQ(lease.value().Command({"EXISTS", "where"}).value()->integer, 0);
  ASSERT_TRUE(lease.value().Command({"SELECT", "5"}));
  EXPECT_EQ(std::string(lease.value().Command({"GET", "where"}).value()->str), "db5");
}

TEST(RedisPoolEndpoints, WrongPasswordIsAClearError) {
  testing::RedisServer server({.password = "s3cret"});
  redis::Pool pool(
      redis::ParseRedisUrl("redis://:wrong@127.0.0.1:" + std::to_string(server.port())).value(),
      redis::PoolOptions{.size = 1});
  auto lease = pool.Acquire();
  ASSERT_FALSE(lease);
  EXPECT_NE(lease.error().message.find("WRONGPASS"), std::string::npos) << lease.error().message;
  EXPECT_EQ(lease.error().message.find("wrong@"), std::string::npos) << "no password in errors";
}

}  // namespace
}  // namespace mccig
