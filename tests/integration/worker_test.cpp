// The worker end to end (DESIGN.md §3–4): HTTP → admission → stream →
// worker → PostgreSQL, on a real Redis (one per test) and a real PostgreSQL
// (a fresh database per test on DATABASE_URL, or a private cluster for the
// tests that stop the server). Every invariant of issue "worker": rows with
// every column right, exactly once across duplicates, redeliveries, outages
// and crashes; poison events isolated and dead-lettered; replay.
#include <sched.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include <gtest/gtest.h>

#include "admission/redis_admission.h"
#include "auth/authenticator.h"
#include "auth/crypto.h"
#include "http/http_server.h"
#include "ingest/event_id.h"
#include "queue/event_codec.h"
#include "queue/stream_queue.h"
#include "store/event_queries.h"
#include "store/migrations.h"
#include "store/pg_event_store.h"
#include "support/http_client.h"
#include "support/plugins.h"
#include "support/postgres.h"
#include "support/process.h"
#include "support/redis_server.h"
#include "support/samples.h"
#include "support/wait.h"
#include "worker/worker.h"

namespace mccig {
namespace {

using nlohmann::json;
using testing::PostJson;
using testing::SmsPayload;
using testing::WaitUntil;

sdk::ConversationEvent Event(const std::string& sid) {
  sdk::ConversationEvent e;
  e.event_id = ingest::NewEventId(1714564800000);
  e.provider_message_id = sid;
  e.tenant_id = "acme";
  e.channel = sdk::ChannelType::kSms;
  e.timestamp_ms = 1714564800000;
  e.content = "queued directly";
  return e;
}

worker::WorkerOptions FastOptions() {
  return worker::WorkerOptions{.concurrency = 2,
                               .backlog_consumers = 0,
                               .batch_size = 50,
                               .max_retries = 2,
                               .base_backoff_ms = 20,
                               .max_backoff_ms = 200,
                               .visibility_timeout_ms = 1000,
                               .block_ms = 100};
}

class WorkerTest : public ::testing::Test {
 protected:
  // Private-cluster tests construct the fixture with their own server.
  void SetUp() override {
    if (db_url_.empty()) {
      database_ = std::make_unique<testing::TestDatabase>();
      db_url_ = database_->url();
    }
    pool_ = std::make_unique<redis::Pool>(redis::ParseRedisUrl(redis_.url()).value(),
                                          redis::PoolOptions{.size = 24});
    queue_ = std::make_unique<queue::StreamQueue>(*pool_);
    queries_ = std::make_unique<store::EventQueries>(db_url_);
    admission_ =
        std::make_unique<admission::RedisAdmission>(*pool_, admission::AdmissionSettings{});
    context_.registry.store(testing::BundledRegistry());
    context_.admission = admission_.get();
    context_.simulation_mode = true;
    context_.internal_endpoints = true;
    context_.queue = queue_.get();
    context_.queries = queries_.get();
    context_.metrics = &metrics_;
    server_ =
        std::make_unique<http::HttpServer>(http::ServerOptions{.port = 0, .threads = 8}, context_);
    server_->Start();
  }
  void TearDown() override {
    context_.worker_stats = nullptr;
    if (worker_) worker_->Stop();
    server_->Stop();
  }

  void StartWorker(worker::WorkerOptions options = FastOptions(), int copy_sessions = 1,
                   std::size_t backlog_rows = 1) {
    worker_ = std::make_unique<worker::Worker>(
        *queue_, store::PgEventStores(db_url_, copy_sessions, backlog_rows), options);
    worker_->set_observer(&metrics_);
    context_.worker_stats = &worker_->stats();
    worker_->Start();
  }
  void Migrate() {
    pqxx::connection c(db_url_);
    ASSERT_TRUE(store::Migrate(c));
  }

  testing::HttpResult Post(const json& body, std::map<std::string, std::string> headers = {}) {
    return testing::HttpCall(server_->port(), "POST", "/v1/ingest/sms", body.dump(),
                             "application/json", headers);
  }
  testing::HttpResult Get(const std::string& path) {
    return testing::HttpCall(server_->port(), "GET", path);
  }
  // One entry holding `events`, as one admission call leaves it.
  void Enqueue(const std::vector<std::string>& events) {
    auto added = queue_->Enqueue(events);
    ASSERT_TRUE(added) << added.error().message;
  }
  void Enqueue(const std::string& encoded) { Enqueue(std::vector<std::string>{encoded}); }
  // `entries` entries of `each` events, provider ids `prefix`0, `prefix`1, ...
  void EnqueueEntriesOf(int entries, int each, const std::string& prefix) {
    for (int e = 0; e < entries; ++e) {
      std::vector<std::string> events;
      for (int i = 0; i < each; ++i) {
        events.push_back(queue::EncodeEvent(Event(prefix + std::to_string(e * each + i))));
      }
      Enqueue(events);
    }
  }
  // Entries of five events each (`events` is a multiple of five), added in
  // one MULTI (so one blocked read takes them all), counted as queued as
  // admission counts them.
  void EnqueueAtomically(const std::vector<std::string>& events) {
    std::vector<std::string> entries;
    for (std::size_t i = 0; i < events.size(); i += 5) {
      std::string joined;
      for (std::size_t j = i; j < i + 5; ++j) joined += (joined.empty() ? "" : "\n") + events[j];
      entries.push_back(std::move(joined));
    }
    const std::string count = std::to_string(events.size());
    std::vector<std::vector<std::string_view>> commands = {{"MULTI"}};
    for (const auto& e : entries) {
      commands.push_back({"XADD", queue::kStreamKey, "*", queue::kEventsField, e, "n", "5"});
    }
    commands.push_back({"INCRBY", queue::kQueuedEventsKey, count});
    commands.push_back({"EXEC"});
    auto lease = pool_->Acquire();
    ASSERT_TRUE(lease);
    ASSERT_TRUE(lease.value().Pipeline(commands));
  }
  int64_t Sql(const std::string& query) {
    try {
      pqxx::connection c(db_url_);
      return pqxx::nontransaction(c).exec(query)[0][0].as<int64_t>();
    } catch (const std::exception&) {
      return -1;  // server down or schema missing: callers wait
    }
  }
  int64_t Rows() { return Sql("SELECT COUNT(*) FROM conversation_events"); }
  queue::QueueStats Stats() { return queue_->Stats().value(); }
  bool Drained() {
    const auto s = queue_->Stats();
    return s && s.value().length == 0 && s.value().pending == 0;
  }

  testing::RedisServer redis_;
  std::unique_ptr<testing::TestDatabase> database_;
  std::string db_url_;
  std::unique_ptr<redis::Pool> pool_;
  std::unique_ptr<queue::StreamQueue> queue_;
  std::unique_ptr<store::EventQueries> queries_;
  std::unique_ptr<admission::RedisAdmission> admission_;
  ops::Metrics metrics_{{"acme", "globex"}};
  http::ServerContext context_;
  std::unique_ptr<http::HttpServer> server_;
  std::unique_ptr<worker::Worker> worker_;
};

TEST_F(WorkerTest, PostBecomesARowWithEveryColumnRight) {
  StartWorker();
  json body = SmsPayload("SM-ROW1");
  body["Timestamp"] = "2024-05-01T12:00:00Z";
  body["AccountSid"] = "AC1";
  const auto accepted = Post(body);
  ASSERT_EQ(accepted.status, 201) << accepted.body;
  const std::string event_id = accepted.Json()["event_id"];
  ASSERT_TRUE(WaitUntil([&] { return Rows() == 1; }));

  pqxx::connection c(db_url_);
  const pqxx::row r = pqxx::nontransaction(c).exec1(
      "SELECT id::text, tenant_id, provider_message_id, channel, content, metadata::text,"
      " raw_metadata::text, occurred_at = '2024-05-01T12:00:00Z', created_at <= NOW()"
      " FROM conversation_events");
  EXPECT_EQ(r[0].as<std::string>(), event_id);
  EXPECT_EQ(r[1].as<std::string>(), "acme");
  EXPECT_EQ(r[2].as<std::string>(), "SM-ROW1");
  EXPECT_EQ(r[3].as<std::string>(), "sms");
  EXPECT_EQ(r[4].as<std::string>(), "Hello SM-ROW1");
  EXPECT_EQ(json::parse(r[5].as<std::string>()),
            (json{{"from", "+15551230001"}, {"to", "+15559870002"}}));
  EXPECT_EQ(json::parse(r[6].as<std::string>()), body);
  EXPECT_TRUE(r[7].as<bool>());
  EXPECT_TRUE(r[8].as<bool>());
  EXPECT_TRUE(WaitUntil([&] { return Drained(); })) << "acked and deleted from the stream";
}

// The queue carries a JSON body's own text (compacted) as raw_metadata: a
// body laid out over CRLF lines, after a byte-order mark, is still one
// event of its entry and is stored as it was sent.
TEST_F(WorkerTest, APrettyPrintedBodyIsStoredAsSent) {
  StartWorker();
  json body = SmsPayload("SM-PRETTY");
  body["Body"] = "two\nlines and \"quotes\"";
  const auto accepted = testing::HttpCall(server_->port(), "POST", "/v1/ingest/sms",
                                          testing::LaidOutBody(body), "application/json", {});
  ASSERT_EQ(accepted.status, 201) << accepted.body;
  ASSERT_TRUE(WaitUntil([&] { return Rows() == 1 && Drained(); }));
  EXPECT_EQ(Stats().dead_letters, 0);
  pqxx::connection c(db_url_);
  const pqxx::row r =
      pqxx::nontransaction(c).exec1("SELECT content, raw_metadata::text FROM conversation_events");
  EXPECT_EQ(r[0].as<std::string>(), "two\nlines and \"quotes\"");
  EXPECT_EQ(json::parse(r[1].as<std::string>()), body);
}

TEST_F(WorkerTest, ABatchEventIsStoredAsSentDigitsAndAll) {
  // A writer would round the price to a double's 0.1; the text keeps it.
  StartWorker();
  const std::string event = R"({
    "MessageSid": "SM-DIGITS", "From": "+15550001", "To": "+15550002", "Body": "hi",
    "tenant_id": "acme", "Price": 0.10000000000000000001, "Segments": 1e0 })";
  const auto answer =
      testing::HttpCall(server_->port(), "POST", "/v1/ingest/sms/batch",
                        "{\"events\": [\r\n  " + event + "\r\n]}", "application/json", {});
  ASSERT_EQ(answer.status, 200) << answer.body;
  ASSERT_TRUE(WaitUntil([&] { return Rows() == 1 && Drained(); }));
  pqxx::connection c(db_url_);
  const pqxx::row r = pqxx::nontransaction(c).exec1(
      "SELECT raw_metadata->>'Price', raw_metadata->>'Segments', raw_metadata->>'Body' "
      "FROM conversation_events");
  EXPECT_EQ(r[0].as<std::string>(), "0.10000000000000000001");
  EXPECT_EQ(r[1].as<std::string>(), "1");  // PostgreSQL's own numeric form of 1e0
  EXPECT_EQ(r[2].as<std::string>(), "hi");
}

// The scheduling policy (/proc/self/task/*/stat field 41) of each of this
// process's threads named worker-*.
std::vector<int> WorkerThreadPolicies() {
  std::vector<int> policies;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::string name;
    std::getline(std::ifstream(task.path() / "comm"), name);
    if (!name.starts_with("worker-")) continue;
    std::string stat;
    std::getline(std::ifstream(task.path() / "stat"), stat);
    std::istringstream fields(stat.substr(stat.rfind(')') + 2));  // from field 3 on
    std::string field;
    for (int n = 3; n <= 41 && fields >> field; ++n) {
    }
    policies.push_back(std::stoi(field));
  }
  return policies;
}

TEST_F(WorkerTest, ConsumersYieldToRequestThreadsUnlessToldOtherwise) {
  // A consumer names its thread, then sets its policy: wait for both.
  StartWorker();
  const std::vector<int> batch = {SCHED_BATCH, SCHED_BATCH};
  EXPECT_TRUE(WaitUntil([&] { return WorkerThreadPolicies() == batch; }));
  worker_->Stop();
  worker::WorkerOptions normal = FastOptions();
  normal.scheduling = worker::ThreadScheduling::kNormal;
  StartWorker(normal);
  const std::vector<int> other = {SCHED_OTHER, SCHED_OTHER};
  EXPECT_TRUE(WaitUntil([&] { return WorkerThreadPolicies() == other; }));
  ASSERT_EQ(Post(SmsPayload("SM-SCHED")).status, 201);
  EXPECT_TRUE(WaitUntil([&] { return Rows() == 1; }));
}

// worker.copy_sessions: the consumers' COPYs share that many server
// processes. A COPY smaller than a backlog's waits for the first session;
// a backlog's takes any free one (store/copy_sessions.h). A lock held on
// the table here keeps each COPY that starts waiting, so what the second
// consumer's COPY does while the first one's is in progress shows.
TEST_F(WorkerTest, BacklogCopiesTakeAFreeSessionSmallOnesWaitForTheFirst) {
  Migrate();
  // The server processes whose last statement was one of the worker's COPYs.
  const auto copying = [&] {
    return Sql(
        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND query LIKE 'COPY conversation_events %'");
  };
  struct Case {
    int sessions;
    std::size_t backlog_rows;  // a read takes one entry of 50 events (batch_size 50)
    int64_t copying;           // server processes in a COPY at once
  };
  int64_t stored = 0;
  for (const Case c : {Case{1, 1, 1}, Case{2, 51, 1}, Case{2, 50, 2}}) {
    const std::string name = std::to_string(c.sessions) + " session(s), backlog at " +
                             std::to_string(c.backlog_rows) + " rows";
    EnqueueEntriesOf(10, 50, "SM-COPY" + std::to_string(stored) + "-");
    stored += 10 * 50;
    pqxx::connection locker(db_url_);
    pqxx::work hold(locker);
    hold.exec0("LOCK TABLE conversation_events IN SHARE MODE");
    StartWorker(FastOptions(), c.sessions, c.backlog_rows);
    ASSERT_TRUE(WaitUntil([&] { return copying() == c.copying; })) << name << ": " << copying();
    // Both consumers have had the time to read and reach a session.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(copying(), c.copying) << name;
    hold.abort();
    ASSERT_TRUE(WaitUntil([&] { return Drained() && Rows() == stored; }))
        << name << ": " << Rows() << " rows";
    worker_->Stop();
    worker_.reset();  // its connections close with its stores
    ASSERT_TRUE(WaitUntil([&] { return copying() == 0; }));
  }
}

// worker.backlog_consumers: a consumer beyond worker.concurrency reads only
// while the last read was full (a backlog). Single events, each stored
// before the next, never wake it: it never joins the group. Two full
// entries behind a lock on the table: the first consumer's read is full
// and its COPY waits, so the backlog consumer reads the second entry.
TEST_F(WorkerTest, BacklogConsumersReadOnlyWhileReadsComeFull) {
  Migrate();
  // Entries pending per consumer of the group, by the consumer's index.
  const auto pending = [&] {
    std::map<std::string, int64_t> out;
    auto reply = pool_->Acquire().value().Command(
        {"XINFO", "CONSUMERS", queue::kStreamKey, queue::kConsumerGroup});
    if (!reply) return out;
    for (std::size_t c = 0; c < reply.value()->elements; ++c) {
      const redisReply* fields = reply.value()->element[c];
      std::string name;
      int64_t count = 0;
      for (std::size_t i = 0; i + 1 < fields->elements; i += 2) {
        const std::string key(fields->element[i]->str, fields->element[i]->len);
        if (key == "name") name = fields->element[i + 1]->str;
        if (key == "pending") count = fields->element[i + 1]->integer;
      }
      out[name.substr(name.rfind(':') + 1)] = count;
    }
    return out;
  };
  worker::WorkerOptions options = FastOptions();
  options.concurrency = 1;
  options.backlog_consumers = 1;  // batch_size 50: a read of 25 or more is full
  StartWorker(options, /*copy_sessions=*/2, options.backlog_rows());
  for (int i = 0; i < 10; ++i) {
    EnqueueEntriesOf(1, 1, "SM-TRICKLE" + std::to_string(i) + "-");
    ASSERT_TRUE(WaitUntil([&] { return Drained() && Rows() == i + 1; }));
  }
  EXPECT_EQ(pending().count("1"), 0u) << "the backlog consumer read";
  EXPECT_FALSE(worker_->stats().backlog.load());

  pqxx::connection locker(db_url_);
  pqxx::work hold(locker);
  hold.exec0("LOCK TABLE conversation_events IN SHARE MODE");
  EnqueueEntriesOf(2, 50, "SM-BACKLOG");
  const std::map<std::string, int64_t> both = {{"0", 1}, {"1", 1}};
  EXPECT_TRUE(WaitUntil([&] { return pending() == both; }));
  EXPECT_TRUE(worker_->stats().backlog.load());
  hold.abort();
  ASSERT_TRUE(WaitUntil([&] { return Drained() && Rows() == 110; }));
}

TEST_F(WorkerTest, ReceiveTimeFallbackIsStoredAsNullOccurredAt) {
  StartWorker();
  ASSERT_EQ(Post(SmsPayload("SM-NOTS")).status, 201);
  ASSERT_TRUE(WaitUntil([&] { return Rows() == 1; }));
  EXPECT_EQ(Sql("SELECT COUNT(*) FROM conversation_events WHERE occurred_at IS NULL"), 1);
}

TEST_F(WorkerTest, DuplicatesAndRedeliveriesGiveOneRow) {
  StartWorker();
  ASSERT_EQ(Post(SmsPayload("SM-DUP")).status, 201);
  ASSERT_EQ(Post(SmsPayload("SM-DUP")).status, 200);
  // A redelivery of an event already stored (a crash between commit and
  // ack) and the same provider id under a new event id: both no-ops.
  const sdk::ConversationEvent again = Event("SM-DUP");
  Enqueue(queue::EncodeEvent(again));
  Enqueue(queue::EncodeEvent(again));
  ASSERT_TRUE(WaitUntil([&] { return Drained() && Rows() >= 1; }));
  EXPECT_EQ(Rows(), 1);
  const auto count = Get("/v1/internal/events/count?provider_message_id=SM-DUP");
  EXPECT_EQ(count.Json(), (json{{"count", 1}}));
  EXPECT_EQ(worker_->stats().already_stored.load(), 2);
}

TEST_F(WorkerTest, SameIdFromTwoTenantsIsTwoRows) {
  StartWorker();
  ASSERT_EQ(Post(SmsPayload("SM-TEN", "acme")).status, 201);
  ASSERT_EQ(Post(SmsPayload("SM-TEN", "globex")).status, 201);
  ASSERT_TRUE(WaitUntil([&] { return Rows() == 2; }));
  EXPECT_EQ(Get("/v1/internal/events/count?provider_message_id=SM-TEN&tenant_id=globex").Json(),
            (json{{"count", 1}}));
}

TEST_F(WorkerTest, OnePoisonEventIsDeadLetteredAndTheRestOfItsBatchStored) {
  Migrate();
  for (int i = 0; i < 5; ++i) Enqueue(queue::EncodeEvent(Event("SM-OK" + std::to_string(i))));
  // JSONB cannot hold \u0000: PostgreSQL rejects this row, and only it.
  sdk::ConversationEvent poison = Event("SM-POISON");
  poison.raw_metadata = {{"note", std::string("a\0b", 3)}};
  Enqueue(queue::EncodeEvent(poison));
  Enqueue("this is not an event");  // cannot even be decoded
  StartWorker();                    // one batch holds all seven

  ASSERT_TRUE(WaitUntil([&] { return Drained() && Stats().dead_letters == 2; }));
  EXPECT_EQ(Rows(), 5);
  auto letters = queue_->ListDeadLetters(10).value();
  ASSERT_EQ(letters.size(), 2u);
  const auto& persist = letters[0].stage == "persist" ? letters[0] : letters[1];
  const auto& decode = letters[0].stage == "decode" ? letters[0] : letters[1];
  EXPECT_EQ(persist.attempts, 3);  // the first try and max_retries = 2
  EXPECT_NE(persist.error.find("22P05"), std::string::npos) << persist.error;
  EXPECT_EQ(decode.attempts, 1);
  EXPECT_EQ(decode.event, "this is not an event");

  EXPECT_EQ(Sql("SELECT COUNT(*) FROM ingest_failures WHERE stage = 'persist' AND attempts = 3"
                " AND provider_message_id = 'SM-POISON' AND tenant_id = 'acme'"
                " AND channel = 'sms' AND error LIKE '%22P05%' AND payload <> ''"),
            1);
  EXPECT_EQ(Sql("SELECT COUNT(*) FROM ingest_failures WHERE stage = 'decode'"), 1);

  const auto dlq = Get("/v1/internal/dlq?limit=50");
  ASSERT_EQ(dlq.status, 200) << dlq.body;
  EXPECT_EQ(dlq.Json()["total"], 2);
  EXPECT_EQ(dlq.Json()["entries"].size(), 2u);
  for (const auto& e : dlq.Json()["entries"]) {
    EXPECT_TRUE(e.contains("error") && e.contains("stage") && e.contains("attempts")) << e;
  }
}

TEST_F(WorkerTest, PoisonEventInAnEntryOfManyIsDeadLetteredAloneAndTheEntrySettled) {
  Migrate();
  sdk::ConversationEvent poison = Event("SM-MANY-POISON");
  poison.raw_metadata = {{"note", std::string("a\0b", 3)}};
  const std::string poison_text = queue::EncodeEvent(poison);
  // One entry, as one admission call of five events leaves it, with a line
  // that is not an event among them.
  Enqueue({queue::EncodeEvent(Event("SM-MANY-1")), poison_text, "not an event",
           queue::EncodeEvent(Event("SM-MANY-2")), queue::EncodeEvent(Event("SM-MANY-3"))});
  EXPECT_EQ(Stats().length, 5) << "events queued";
  EXPECT_EQ(Stats().entries, 1);
  StartWorker();

  ASSERT_TRUE(WaitUntil([&] { return Drained() && Stats().dead_letters == 2; }));
  EXPECT_EQ(Rows(), 3);
  EXPECT_EQ(Stats().length, 0);
  auto letters = queue_->ListDeadLetters(10).value();
  ASSERT_EQ(letters.size(), 2u);
  EXPECT_EQ(letters[0].source_id, letters[1].source_id) << "both came in the one entry";
  const auto& persist = letters[0].stage == "persist" ? letters[0] : letters[1];
  const auto& decode = letters[0].stage == "decode" ? letters[0] : letters[1];
  EXPECT_EQ(persist.event, poison_text) << "the event alone, not its entry";
  EXPECT_EQ(persist.attempts, 3);
  EXPECT_EQ(decode.event, "not an event");
  EXPECT_EQ(Sql("SELECT COUNT(*) FROM ingest_failures"), 2);
  EXPECT_EQ(worker_->stats().dead_lettered.load(), 2);

  // Replayed, the poison event comes back as an entry of its own and fails
  // alone again; nothing already stored is touched.
  ASSERT_EQ(queue_->Replay({persist.id}).value().size(), 1u);
  ASSERT_TRUE(WaitUntil([&] { return Drained() && Stats().dead_letters == 2; }));
  EXPECT_EQ(Rows(), 3);
}

TEST_F(WorkerTest, ReadsAreBoundedInEventsWhateverTheEntriesHold) {
  // Three entries of 100 events, then ten of one: a read asking for about
  // 150 events takes entries until they hold that many, never all 310.
  EnqueueEntriesOf(3, 100, "SM-R");
  for (int i = 0; i < 10; ++i) Enqueue(queue::EncodeEvent(Event("SM-S" + std::to_string(i))));
  ASSERT_TRUE(queue_->EnsureGroup());
  const auto sizes = [](const std::vector<queue::StreamEntry>& entries) {
    std::vector<int64_t> out;
    for (const auto& e : entries) out.push_back(e.size);
    return out;
  };
  auto first = queue_->Read("c1", 150, 10);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(sizes(first.value()), (std::vector<int64_t>{100, 100}));
  auto second = queue_->Read("c1", 105, 10);
  EXPECT_EQ(sizes(second.value()), (std::vector<int64_t>{100, 1, 1, 1, 1, 1}));
  auto third = queue_->Read("c1", 150, 10);
  EXPECT_EQ(sizes(third.value()), (std::vector<int64_t>{1, 1, 1, 1, 1}));
  EXPECT_TRUE(queue_->Read("c1", 150, 10).value().empty());
  // Taking over another consumer's entries is bounded the same way.
  auto reclaimed = queue_->Reclaim("c2", 0, 150);
  ASSERT_TRUE(reclaimed) << reclaimed.error().message;
  EXPECT_EQ(sizes(reclaimed.value()), (std::vector<int64_t>{100, 100}));
  EXPECT_EQ(Stats().pending, 13);
}

// An ack settles each entry once: the entries another consumer took over
// and settled first are neither counted again nor taken off the count of
// events queued twice. One entry stays unread throughout, so the count is
// never reset by an empty stream and must be exact at every step.
TEST_F(WorkerTest, AckSettlesEachEntryOnceWhenAnotherConsumerSettledSomeFirst) {
  EnqueueEntriesOf(5, 3, "SM-ACK");
  ASSERT_TRUE(queue_->EnsureGroup());
  // The entries a read or a reclaim delivered, as the worker settles them.
  const auto settled = [](const sdk::Result<std::vector<queue::StreamEntry>>& delivered) {
    std::vector<queue::SettledEntry> out;
    EXPECT_TRUE(delivered) << delivered.error().message;
    if (!delivered) return out;
    for (const auto& e : delivered.value()) out.push_back({e.id, static_cast<std::size_t>(e.size)});
    return out;
  };
  const auto queued = [&] { return std::pair{Stats().length, Stats().entries}; };
  using Queued = std::pair<int64_t, int64_t>;  // events, entries
  const auto read = settled(queue_->Read("c1", 12, 10));
  ASSERT_EQ(read.size(), 4u);
  const auto taken = settled(queue_->Reclaim("c2", 0, 6));
  ASSERT_EQ(taken.size(), 2u);

  // All of c2's entries are still pending: acked, deleted and uncounted
  // together.
  EXPECT_EQ(queue_->Ack(taken).value(), 2);
  EXPECT_EQ(queued(), Queued(9, 3));
  // c1 settles the four it read: only the two nobody settled count.
  EXPECT_EQ(queue_->Ack(read).value(), 2);
  EXPECT_EQ(queued(), Queued(3, 1));
  EXPECT_EQ(Stats().pending, 0);
  // Settled again, nothing changes.
  EXPECT_EQ(queue_->Ack(read).value(), 0);
  EXPECT_EQ(queued(), Queued(3, 1));

  // More entries than the script takes in one chunk (1000) in one ack: the
  // unread entry of three events, then 2003 of one; one more stays unread.
  EnqueueEntriesOf(2004, 1, "SM-ACK-MANY");
  const auto many = settled(queue_->Read("c1", 2006, 10));
  ASSERT_EQ(many.size(), 2004u);
  EXPECT_EQ(queue_->Ack(many).value(), 2004);
  EXPECT_EQ(queued(), Queued(1, 1));
}

// A consumer's ack rides on its next read or reclaim (AckFirst): Redis
// runs it first, in the same round trip, and the read then delivers what
// is still there. Without the ack script loaded (Redis restarted, SCRIPT
// FLUSH), both calls still do their part.
TEST_F(WorkerTest, AckFirstSettlesEntriesInTheRoundTripOfTheNextRead) {
  EnqueueEntriesOf(4, 2, "SM-ACKFIRST");
  ASSERT_TRUE(queue_->EnsureGroup());
  const auto ids = [](const std::vector<queue::StreamEntry>& entries) {
    std::vector<queue::SettledEntry> out;
    for (const auto& e : entries) out.push_back({e.id, static_cast<std::size_t>(e.size)});
    return out;
  };
  auto first = queue_->Read("c1", 4, 10);
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_EQ(first.value().size(), 2u);

  queue::AckFirst ack{.entries = ids(first.value())};
  auto second = queue_->Read("c1", 2, 10, 0, &ack);
  ASSERT_TRUE(second) << second.error().message;
  ASSERT_TRUE(ack.outcome.has_value());
  ASSERT_TRUE(*ack.outcome) << ack.outcome->error().message;
  EXPECT_EQ(ack.outcome->value(), 2);
  EXPECT_EQ(second.value().size(), 1u);
  EXPECT_EQ(Stats().length, 4);  // two entries of two left: one read, one not
  EXPECT_EQ(Stats().pending, 1);

  auto lease = pool_->Acquire();
  ASSERT_TRUE(lease.value().Command({"SCRIPT", "FLUSH"}));
  queue::AckFirst reloaded{.entries = ids(second.value())};
  auto reclaimed = queue_->Reclaim("c2", 0, 10, &reloaded);
  ASSERT_TRUE(reclaimed) << reclaimed.error().message;
  ASSERT_TRUE(reloaded.outcome.has_value());
  ASSERT_TRUE(*reloaded.outcome) << reloaded.outcome->error().message;
  EXPECT_EQ(reloaded.outcome->value(), 1);
  EXPECT_TRUE(reclaimed.value().empty());  // nothing pending is left to take over
  EXPECT_EQ(Stats().length, 2);
  EXPECT_EQ(Stats().pending, 0);

  // An empty ack sends nothing; the outcome stays unset.
  queue::AckFirst none;
  ASSERT_TRUE(queue_->Read("c1", 2, 10, 0, &none));
  EXPECT_FALSE(none.outcome.has_value());
}

// How many EVALSHA calls this Redis has run (INFO commandstats).
int64_t EvalshaCalls(redis::Pool& pool) {
  auto lease = pool.Acquire();
  auto info = lease.value().Command({"INFO", "commandstats"});
  const std::string text(info.value()->str, info.value()->len);
  const std::size_t at = text.find("cmdstat_evalsha:calls=");
  return at == std::string::npos ? 0 : std::stoll(text.substr(at + 22));
}

// Once entries are about a read's size (batches), reads skip read.lua,
// which would carry each entry's text through Lua (it hashes every byte);
// a smaller entry among them sends the read back to the script.
TEST_F(WorkerTest, EntriesAsLargeAsAReadAreReadWithoutTheScript) {
  EnqueueEntriesOf(3, 100, "SM-B");
  Enqueue(queue::EncodeEvent(Event("SM-B-small")));
  ASSERT_TRUE(queue_->EnsureGroup());
  ASSERT_EQ(queue_->Read("c1", 100, 10).value().size(), 1u);  // by read.lua: learns the size
  const int64_t before = EvalshaCalls(*pool_);
  ASSERT_EQ(queue_->Read("c1", 100, 10).value().size(), 1u);
  ASSERT_EQ(queue_->Read("c1", 100, 10).value().size(), 1u);
  EXPECT_EQ(EvalshaCalls(*pool_), before) << "two large entries, two plain XREADGROUPs";
  const auto last = queue_->Read("c1", 100, 10);
  ASSERT_EQ(last.value().size(), 1u);
  EXPECT_EQ(last.value().front().size, 1);
  EXPECT_TRUE(queue_->Read("c1", 100, 10).value().empty());
  EXPECT_EQ(Stats().pending, 4);
}

// A read that waited for the queue lets a trickle gather (worker.linger_ms)
// and takes it in the same read: one transaction for the five entries.
TEST_F(WorkerTest, AReadThatWaitedTakesWhatArrivesWhileItLingers) {
  ASSERT_TRUE(queue_->EnsureGroup());
  std::thread trickle([this] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the read is waiting
    for (int i = 0; i < 5; ++i) {
      Enqueue(queue::EncodeEvent(Event("SM-L" + std::to_string(i))));
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  auto read = queue_->Read("c1", 200, 5000, /*linger_ms=*/1000);
  trickle.join();
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read.value().size(), 5u)
      << "the first entry woke it, the others came while it lingered";
}

TEST_F(WorkerTest, SimulatedFailureGoesToTheDeadLetterQueueAndReplayStoresItOnce) {
  StartWorker();
  const auto accepted = Post(SmsPayload("SM-SIM"), {{"X-Simulate-Failure", "worker"}});
  ASSERT_EQ(accepted.status, 201) << accepted.body;
  ASSERT_TRUE(WaitUntil([&] { return Stats().dead_letters == 1; }));
  EXPECT_EQ(Rows(), 0);
  EXPECT_EQ(worker_->stats().dead_lettered.load(), 1);

  const auto list = Get("/v1/internal/dlq");
  const json entry = list.Json()["entries"][0];
  EXPECT_EQ(entry["event_id"], accepted.Json()["event_id"]);
  EXPECT_EQ(entry["stage"], "persist");
  EXPECT_EQ(entry["attempts"], 3);

  const auto replay = testing::HttpCall(server_->port(), "POST", "/v1/internal/dlq/replay",
                                        json{{"id", entry["id"]}}.dump(), "application/json");
  ASSERT_EQ(replay.status, 200) << replay.body;
  EXPECT_EQ(replay.Json()["replayed"], json::array({entry["id"]}));
  ASSERT_TRUE(WaitUntil([&] { return Rows() == 1 && Drained(); }));
  EXPECT_EQ(Stats().dead_letters, 0);
  // Replaying again (it is gone) and replaying a copy change nothing.
  Enqueue(queue::EncodeEvent(queue::DecodeEvent(entry["event"].dump()).value()));
  ASSERT_TRUE(WaitUntil([&] { return Drained(); }));
  EXPECT_EQ(Sql("SELECT COUNT(*) FROM conversation_events WHERE id = '" +
                accepted.Json()["event_id"].get<std::string>() + "'"),
            1);
  EXPECT_EQ(Rows(), 1);
}

TEST_F(WorkerTest, DeadLetterCommandListsAndReplays) {
  StartWorker();
  ASSERT_EQ(Post(SmsPayload("SM-CLI"), {{"X-Simulate-Failure", "worker"}}).status, 201);
  ASSERT_TRUE(WaitUntil([&] { return Stats().dead_letters == 1; }));
  const std::string dir = ::testing::TempDir();
  std::ofstream(dir + "/dlq.yaml") << "plugins: []\n";
  const auto mccig = [&](std::vector<std::string> args, const std::string& out) {
    args.insert(args.begin(), MCCIG_BINARY);
    args.insert(args.end(), {"--config", dir + "/dlq.yaml"});
    std::remove(out.c_str());
    return testing::WaitExit(testing::Spawn(args, {"REDIS_URL=" + redis_.url()}, out));
  };
  ASSERT_EQ(mccig({"dlq", "list", "--json"}, dir + "/dlq-list.out"), 0);
  std::ifstream listed(dir + "/dlq-list.out");
  std::string line;
  std::getline(listed, line);
  const json entry = json::parse(line);
  EXPECT_EQ(entry["stage"], "persist");
  EXPECT_EQ(entry["attempts"], 3);

  EXPECT_EQ(mccig({"dlq", "replay", "--id", "0-1"}, dir + "/dlq-bad.out"), 1) << "unknown id";
  EXPECT_EQ(mccig({"dlq", "replay"}, dir + "/dlq-usage.out"), 2);
  ASSERT_EQ(mccig({"dlq", "replay", "--id", entry["id"]}, dir + "/dlq-replay.out"), 0);
  ASSERT_TRUE(WaitUntil([&] { return Rows() == 1 && Drained(); }));
  EXPECT_EQ(Stats().dead_letters, 0);
}

TEST_F(WorkerTest, SimulationHeaderIsIgnoredWhenSimulationIsOff) {
  context_.simulation_mode = false;
  StartWorker();
  ASSERT_EQ(Post(SmsPayload("SM-NOSIM"), {{"X-Simulate-Failure", "worker"}}).status, 201);
  ASSERT_TRUE(WaitUntil([&] { return Rows() == 1; }));
  EXPECT_EQ(Stats().dead_letters, 0);
}

TEST_F(WorkerTest, InternalEndpointsAre404WhenDisabledAndCheckTheirParameters) {
  EXPECT_EQ(Get("/v1/internal/events/count").status, 400);
  EXPECT_EQ(Get("/v1/internal/events/count").Json()["details"][0]["field"], "provider_message_id");
  EXPECT_EQ(Get("/v1/internal/dlq?limit=0").Json()["details"][0]["field"], "limit");
  EXPECT_EQ(testing::HttpCall(server_->port(), "POST", "/v1/internal/dlq/replay", "{}",
                              "application/json")
                .status,
            400);
  context_.internal_endpoints = false;
  EXPECT_EQ(Get("/v1/internal/events/count?provider_message_id=x").status, 404);
  EXPECT_EQ(Get("/v1/internal/dlq").status, 404);
}

TEST_F(WorkerTest, InternalEndpointsNeedTheAdminTokenWhenAuthIsOn) {
  Migrate();
  config::Config c;
  c.tenants = {{.id = "acme", .api_key_sha256 = {auth::Sha256Hex("acme-key")}}};
  c.admin_token_sha256 = {auth::Sha256Hex("admin-token")};
  const auth::Authenticator authenticator(c);
  context_.auth = &authenticator;
  const std::string path = "/v1/internal/events/count?provider_message_id=x";
  const auto none = Get(path);
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.headers.at("WWW-Authenticate"), "Bearer realm=\"mccig\"");
  EXPECT_EQ(testing::HttpCall(server_->port(), "GET", path, "", "",
                              {{"Authorization", "Bearer acme-key"}})
                .status,
            401)
      << "a tenant key is not an admin token";
  const auto ok = testing::HttpCall(server_->port(), "GET", path, "", "",
                                    {{"Authorization", "Bearer admin-token"}});
  EXPECT_EQ(ok.status, 200) << ok.body;
  context_.internal_endpoints = false;
  EXPECT_EQ(testing::HttpCall(server_->port(), "GET", path, "", "",
                              {{"Authorization", "Bearer admin-token"}})
                .status,
            404)
      << "the token does not open disabled endpoints";
  context_.auth = nullptr;
}

TEST_F(WorkerTest, StreamFlushedUnderTheWorkerIsRecreated) {
  StartWorker();
  ASSERT_EQ(Post(SmsPayload("SM-F1")).status, 201);
  ASSERT_TRUE(WaitUntil([&] { return Rows() == 1; }));
  {
    auto lease = pool_->Acquire();
    ASSERT_TRUE(lease.value().Command({"FLUSHALL"}));
  }
  ASSERT_EQ(Post(SmsPayload("SM-F2")).status, 201);
  EXPECT_TRUE(WaitUntil([&] { return Rows() == 2; }));
}

TEST_F(WorkerTest, ReadyzChecksRedisPostgresMigrationsAndPlugins) {
  auto before = Get("/readyz");
  EXPECT_EQ(before.status, 503) << before.body;
  EXPECT_EQ(before.Json()["status"], "not_ready");
  EXPECT_EQ(before.Json()["checks"]["redis"]["ok"], true);
  EXPECT_EQ(before.Json()["checks"]["postgres"]["ok"], false);
  EXPECT_NE(before.Json()["checks"]["postgres"]["error"].get<std::string>().find("mccig migrate"),
            std::string::npos);
  Migrate();
  auto ready = Get("/readyz");
  EXPECT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(ready.Json()["checks"]["plugins"]["loaded"], 3);
  EXPECT_EQ(ready.Json()["checks"]["postgres"]["schema_version"],
            store::Migrations().back().version);
  EXPECT_EQ(Get("/healthz").status, 200);

  redis_.Stop();
  auto down = Get("/readyz");
  EXPECT_EQ(down.status, 503);
  EXPECT_EQ(down.Json()["checks"]["redis"]["ok"], false);
  EXPECT_EQ(Get("/healthz").status, 200) << "alive, just not ready";
  redis_.Start();
}

TEST_F(WorkerTest, HealthSummarisesAndMetricsPassPromtool) {
  StartWorker();
  ASSERT_EQ(Post(SmsPayload("SM-MET1")).status, 201);
  ASSERT_EQ(Post(SmsPayload("SM-MET1")).status, 200);
  ASSERT_EQ(Post(SmsPayload("SM-MET2", "unlisted-tenant")).status, 201);
  ASSERT_TRUE(WaitUntil([&] { return Rows() == 2 && Drained(); }));

  const auto health = Get("/health");
  ASSERT_EQ(health.status, 200) << health.body;
  EXPECT_EQ(health.Json()["status"], "ok");
  EXPECT_EQ(health.Json()["summary"]["queue_length"], 0);
  EXPECT_EQ(health.Json()["summary"]["worker"]["stored"], 2);

  const auto metrics = Get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.headers.at("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = metrics.body;
  for (const char* expected :
       {"mccig_http_requests_total{channel=\"sms\",route=\"ingest\",status=\"201\"} 2",
        "mccig_http_requests_total{channel=\"sms\",route=\"ingest\",status=\"200\"} 1",
        "mccig_admissions_total{outcome=\"accepted\",tenant=\"acme\"} 1",
        "mccig_admissions_total{outcome=\"duplicate\",tenant=\"acme\"} 1",
        "mccig_admissions_total{outcome=\"accepted\",tenant=\"other\"} 1",
        "mccig_admission_duration_seconds_count 3", "mccig_queue_length 0", "mccig_queue_pending 0",
        "mccig_dlq_size 0", "mccig_worker_events_stored_total 2", "mccig_worker_batch_rows_count",
        "mccig_worker_insert_duration_seconds_bucket", "mccig_queue_oldest_age_seconds 0",
        "mccig_build_info{version="}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
  }
  // The exposition format, checked by Prometheus's own linter.
  const std::string file = ::testing::TempDir() + "/metrics.txt";
  std::ofstream(file) << text;
  const std::string lint = ::testing::TempDir() + "/promtool.out";
  std::remove(lint.c_str());
  const int rc = testing::WaitExit(
      testing::Spawn({"/bin/sh", "-c", "promtool check metrics < '" + file + "'"}, {}, lint));
  EXPECT_EQ(rc, 0) << "promtool (Debian's prometheus package) says:\n" << testing::ReadFile(lint);
}

// Tests that stop PostgreSQL run it privately, so no other test notices.
class WorkerOutageTest : public WorkerTest {
 protected:
  void SetUp() override {
    db_url_ = postgres_.url();
    WorkerTest::SetUp();
  }
  testing::PostgresServer postgres_;
};

TEST_F(WorkerOutageTest, PostgresStoppedMidRunThenEverythingIsStoredAfterRestart) {
  StartWorker();
  for (int i = 0; i < 10; ++i) ASSERT_EQ(Post(SmsPayload("SM-A" + std::to_string(i))).status, 201);
  ASSERT_TRUE(WaitUntil([&] { return Rows() == 10; }));

  postgres_.Stop("immediate");
  for (int i = 0; i < 20; ++i) ASSERT_EQ(Post(SmsPayload("SM-B" + std::to_string(i))).status, 201);
  // The worker retries with backoff; nothing is acked, nothing dead-lettered.
  ASSERT_TRUE(WaitUntil([&] { return worker_->stats().retries.load() >= 3; }));
  EXPECT_EQ(Stats().length, 20);
  EXPECT_EQ(Stats().dead_letters, 0);

  postgres_.Start();
  ASSERT_TRUE(WaitUntil([&] { return Rows() == 30 && Drained(); }, 30));
  EXPECT_EQ(Sql("SELECT COUNT(DISTINCT provider_message_id) FROM conversation_events"), 30);
  EXPECT_EQ(Stats().dead_letters, 0);
}

TEST_F(WorkerOutageTest, KilledWorkerPendingEventsAreReclaimedAndStoredExactlyOnce) {
  Migrate();
  // A real `mccig worker` process reads a batch while PostgreSQL is down and
  // holds it pending, retrying; then it is killed with SIGKILL.
  const std::string config = std::string(::testing::TempDir()) + "/worker-kill.yaml";
  std::ofstream(config) << "plugins: []\nworker: {concurrency: 1, base_backoff_ms: 50, "
                           "max_backoff_ms: 100, visibility_timeout_ms: 60000}\n";
  const pid_t child = testing::Spawn({MCCIG_BINARY, "worker", "--config", config},
                                     {"REDIS_URL=" + redis_.url(), "DATABASE_URL=" + db_url_},
                                     std::string(::testing::TempDir()) + "/worker-kill.log");
  ASSERT_TRUE(WaitUntil([&] {
    auto groups = pool_->Acquire().value().Command({"XINFO", "GROUPS", queue::kStreamKey});
    return groups && groups.value()->elements == 1;
  })) << "the worker process never joined the group";
  ASSERT_TRUE(WaitUntil([&] { return Rows() == 0; }));  // it migrated and is idle

  postgres_.Stop("immediate");
  // Five entries of five events, queued in one MULTI so the child's blocked
  // read takes them all at once.
  std::vector<std::string> encoded;
  for (int i = 0; i < 25; ++i)
    encoded.push_back(queue::EncodeEvent(Event("SM-K" + std::to_string(i))));
  EnqueueAtomically(encoded);
  ASSERT_TRUE(WaitUntil([&] { return Stats().pending == 5; })) << "the child never read them";
  kill(child, SIGKILL);
  EXPECT_EQ(testing::WaitExit(child), 128 + SIGKILL);

  postgres_.Start();
  EXPECT_EQ(Stats().pending, 5) << "still owned by the dead consumer";
  EXPECT_EQ(Stats().length, 25) << "events queued";
  StartWorker();  // visibility timeout 1 s: takes them over
  ASSERT_TRUE(WaitUntil([&] { return Rows() == 25 && Drained(); }, 30));
  EXPECT_EQ(Sql("SELECT COUNT(DISTINCT provider_message_id) FROM conversation_events"), 25);
  EXPECT_GE(worker_->stats().reclaimed.load(), 5);
}

TEST_F(WorkerOutageTest, SigtermFinishesTheBatchAndExitsZero) {
  const std::string config = std::string(::testing::TempDir()) + "/worker-term.yaml";
  std::ofstream(config) << "plugins: []\nworker: {concurrency: 2}\n";
  for (int i = 0; i < 40; ++i) Enqueue(queue::EncodeEvent(Event("SM-T" + std::to_string(i))));
  const pid_t child = testing::Spawn({MCCIG_BINARY, "worker", "--config", config},
                                     {"REDIS_URL=" + redis_.url(), "DATABASE_URL=" + db_url_},
                                     std::string(::testing::TempDir()) + "/worker-term.log");
  ASSERT_TRUE(WaitUntil([&] { return Rows() == 40 && Drained(); }));
  kill(child, SIGTERM);
  EXPECT_EQ(testing::WaitExit(child), 0);
  auto consumers = pool_->Acquire().value().Command(
      {"XINFO", "CONSUMERS", queue::kStreamKey, queue::kConsumerGroup});
  ASSERT_TRUE(consumers);
  EXPECT_EQ(consumers.value()->elements, 0u) << "idle consumers leave the group on exit";
}

}  // namespace
}  // namespace mccig
