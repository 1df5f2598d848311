// The PostgreSQL side on a real server: migrations (idempotent, safe when
// several processes start at once, and through `mccig migrate`), and how
// the event store classifies failures.
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <pqxx/nontransaction>

#include "ingest/event_id.h"
#include "store/migrations.h"
#include "store/pg_event_store.h"
#include "support/ports.h"
#include "support/postgres.h"
#include "support/process.h"

namespace mccig {
namespace {

int64_t Scalar(const std::string& url, const std::string& sql) {
  pqxx::connection c(url);
  return pqxx::nontransaction(c).exec(sql)[0][0].as<int64_t>();
}

store::EventRow Event(const std::string& sid) {
  sdk::ConversationEvent e;
  e.event_id = ingest::NewEventId(1714564800000);
  e.provider_message_id = sid;
  e.tenant_id = "acme";
  e.content = "hello";
  return store::RowOf(e);
}

TEST(Migrations, ApplyOnceThenAreUpToDate) {
  testing::TestDatabase db;
  pqxx::connection c(db.url());
  EXPECT_EQ(store::AppliedVersion(c).value(), 0);
  auto first = store::Migrate(c);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first.value().size(), store::Migrations().size());
  auto second = store::Migrate(c);
  ASSERT_TRUE(second);
  EXPECT_TRUE(second.value().empty());
  EXPECT_EQ(store::AppliedVersion(c).value(), store::Migrations().back().version);
  EXPECT_EQ(Scalar(db.url(), "SELECT COUNT(*) FROM schema_migrations"),
            static_cast<int64_t>(store::Migrations().size()));
  // The table is the one DESIGN.md §4 describes.
  EXPECT_EQ(Scalar(db.url(),
                   "SELECT COUNT(*) FROM information_schema.columns WHERE table_name = "
                   "'conversation_events'"),
            9);
}

TEST(Migrations, ConcurrentStartersApplyEachFileOnce) {
  testing::TestDatabase db;
  std::atomic<int> applied{0}, failed{0};
  std::vector<std::thread> starters;
  for (int i = 0; i < 4; ++i) {
    starters.emplace_back([&] {
      pqxx::connection c(db.url());
      auto r = store::Migrate(c);
      if (r)
        applied += static_cast<int>(r.value().size());
      else
        failed++;
    });
  }
  for (auto& t : starters) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(applied.load(), static_cast<int>(store::Migrations().size()));
}

TEST(Migrations, MigrateCommand) {
  testing::TestDatabase db;
  const std::string config = std::string(::testing::TempDir()) + "/migrate.yaml";
  std::ofstream(config) << "plugins: []\n";
  const std::string log = std::string(::testing::TempDir()) + "/migrate.log";
  const pid_t pid = testing::Spawn({MCCIG_BINARY, "migrate", "--config", config},
                                   {"DATABASE_URL=" + db.url()}, log);
  EXPECT_EQ(testing::WaitExit(pid), 0);
  EXPECT_EQ(Scalar(db.url(), "SELECT MAX(version) FROM schema_migrations"),
            store::Migrations().back().version);
  const pid_t again = testing::Spawn({MCCIG_BINARY, "migrate", "--config", config},
                                     {"DATABASE_URL=" + db.url()}, log);
  EXPECT_EQ(testing::WaitExit(again), 0) << "idempotent";
}

TEST(EventStore, InsertsSkipConflictsAndClassifyFailures) {
  testing::TestDatabase db;
  store::PgEventStore events(db.url());
  ASSERT_TRUE(events.Prepare());
  const auto a = Event("SM1");
  auto stored = events.InsertBatch({a, Event("SM2")});
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(stored.value(), 2u);
  EXPECT_EQ(events.InsertBatch({a, Event("SM1")}).value(), 0u) << "same id, same provider id";
  // A redelivered event beside a new one: the COPY fails as a whole, the
  // conflict-aware insert stores the new one.
  EXPECT_EQ(events.InsertBatch({Event("SM6"), a}).value(), 1u);

  auto poison = Event("SM3");
  poison.metadata = R"({"x":"\u0000"})";  // no jsonb holds a NUL
  auto rejected = events.InsertBatch({poison});
  ASSERT_FALSE(rejected);
  EXPECT_EQ(rejected.error().code, "db_rejected") << rejected.error().message;

  // A missing table says nothing about the rows: retry, never dead-letter.
  {
    pqxx::connection c(db.url());
    pqxx::nontransaction(c).exec("ALTER TABLE conversation_events RENAME TO moved_away");
  }
  auto missing = events.InsertBatch({Event("SM5")});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "db_unavailable") << missing.error().message;

  store::PgEventStore nowhere(
      "postgresql://mccig@127.0.0.1:" + std::to_string(testing::FreePort()) + "/mccig");
  auto down = nowhere.InsertBatch({Event("SM4")});
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error().code, "db_unavailable") << down.error().message;
}

// Every byte of every field arrives: the COPY text's escapes (tab,
// newline, carriage return, backslash), text that looks like its markers
// (\N, \.), multi-byte UTF-8, JSON with escapes of its own, and NULL.
TEST(EventStore, CopyKeepsEveryByteOfEveryField) {
  testing::TestDatabase db;
  store::PgEventStore events(db.url());
  ASSERT_TRUE(events.Prepare());
  auto tricky = Event("tab\there");
  tricky.content = "line one\nline two\r\n\tindented \\ back\\slash\n\\.\n\\N caf\u00e9 \u20ac";
  tricky.metadata = R"({"note":"a\tb\nc \\ \"q\"","n":[1,2.5,null]})";
  tricky.raw_metadata = R"({"Body":"x\u0001y"})";
  tricky.occurred_at = "2026-12-01T10:00:00.123Z";
  auto plain = Event("SM-plain");  // no occurred_at: NULL
  ASSERT_TRUE(events.InsertBatch({tricky, plain}));

  pqxx::connection c(db.url());
  pqxx::nontransaction tx(c);
  const auto row = tx.exec_params1(
      "SELECT content, provider_message_id, metadata = $1::jsonb, raw_metadata = $2::jsonb, "
      "occurred_at = $3::timestamptz FROM conversation_events WHERE id = $4",
      tricky.metadata, tricky.raw_metadata, tricky.occurred_at, tricky.event_id);
  EXPECT_EQ(row[0].as<std::string>(), tricky.content);
  EXPECT_EQ(row[1].as<std::string>(), "tab\there");
  EXPECT_TRUE(row[2].as<bool>());
  EXPECT_TRUE(row[3].as<bool>());
  EXPECT_TRUE(row[4].as<bool>());
  EXPECT_TRUE(tx.exec_params1("SELECT occurred_at IS NULL FROM conversation_events WHERE id = $1",
                              plain.event_id)[0]
                  .as<bool>());
}

// A connection the server ended is made again: the batch after it is
// stored (at most one failure, "db_unavailable", in between).
TEST(EventStore, ReconnectsAfterTheServerEndsItsConnections) {
  testing::TestDatabase db;
  store::PgEventStore events(db.url());
  ASSERT_TRUE(events.Prepare());
  ASSERT_TRUE(events.InsertBatch({Event("SM-R1")}));
  Scalar(db.url(),
         "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
         "WHERE datname = current_database() AND pid <> pg_backend_pid()");
  auto stored = events.InsertBatch({Event("SM-R2")});
  if (!stored) {
    EXPECT_EQ(stored.error().code, "db_unavailable") << stored.error().message;
    stored = events.InsertBatch({Event("SM-R2")});
  }
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(Scalar(db.url(), "SELECT COUNT(*) FROM conversation_events"), 2);
}

}  // namespace
}  // namespace mccig
