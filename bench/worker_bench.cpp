// worker_bench.cpp — how fast the worker drains the queue into PostgreSQL,
// beside the ceiling: a raw COPY of the same rows into a table of the same
// shape (same keys and indexes), in one transaction.
//
// Each iteration queues kEvents events (~700 bytes each, timing paused), in
// entries of range(1) events each (1: one admission call per event, the
// worst case; 1000: a full batch per call), starts range(0) consumers, and
// times until every entry is stored and acked. The
// worker's rate includes everything the ceiling leaves out: XREADGROUP,
// decoding, ON CONFLICT checks, one commit per batch, the ack script.
// Needs REDIS_URL and DATABASE_URL; bench/run_worker starts both.
#include <cstdlib>
#include <iostream>

#include <benchmark/benchmark.h>
#include <spdlog/spdlog.h>
#include <pqxx/nontransaction>
#include <pqxx/stream_to>
#include <pqxx/transaction>

#include "ingest/event_id.h"
#include "queue/event_codec.h"
#include "queue/stream_queue.h"
#include "redis/redis_url.h"
#include "sample_event.h"
#include "store/migrations.h"
#include "store/pg_event_store.h"
#include "worker/worker.h"

namespace {

using namespace mccig;
using bench::SampleEvent;

constexpr int kEvents = 20'000;

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') {
    std::cerr << name << " is not set: run bench/run_worker, which starts Redis and PostgreSQL\n";
    std::exit(2);
  }
  return v;
}

struct Fixture {
  std::string database_url = Env("DATABASE_URL");
  redis::Pool pool{redis::ParseRedisUrl(Env("REDIS_URL")).value(), redis::PoolOptions{.size = 8}};
  queue::StreamQueue queue{pool};
  int64_t next_id = 0;

  Fixture() {
    spdlog::set_level(spdlog::level::warn);
    pqxx::connection c(database_url);
    if (!store::Migrate(c)) std::exit(2);
    pqxx::nontransaction(c).exec(
        "CREATE TABLE IF NOT EXISTS bench_copy_ceiling (LIKE conversation_events INCLUDING ALL)");
  }

  // An empty table and an empty queue. The queue may hold what others left
  // on the same Redis (bench_admission's events, in bench/report): drained
  // here they would be counted as this run's, and a run that stores more
  // than kEvents is an error.
  void Reset() {
    auto lease = pool.Acquire();
    if (!lease || !lease.value().Command({"DEL", queue::kStreamKey, queue::kQueuedEventsKey})) {
      std::exit(2);
    }
    pqxx::connection c(database_url);
    pqxx::nontransaction(c).exec("TRUNCATE conversation_events, bench_copy_ceiling");
    pqxx::nontransaction(c).exec("VACUUM ANALYZE conversation_events");
  }

  std::vector<sdk::ConversationEvent> Events() {
    std::vector<sdk::ConversationEvent> out;
    for (int i = 0; i < kEvents; ++i) out.push_back(SampleEvent(next_id++));
    return out;
  }

  // Entries of `per_entry` events, as admission calls of that size leave them.
  void Enqueue(const std::vector<sdk::ConversationEvent>& events, std::size_t per_entry) {
    auto lease = pool.Acquire();
    std::vector<std::string> entries;
    for (std::size_t i = 0; i < events.size(); ++i) {
      if (i % per_entry == 0) entries.emplace_back();
      if (!entries.back().empty()) entries.back() += '\n';
      entries.back() += queue::EncodeEvent(events[i]);
    }
    const std::string count = std::to_string(events.size());
    const std::string in_entry = std::to_string(per_entry);
    std::vector<std::vector<std::string_view>> commands = {
        {"INCRBY", queue::kQueuedEventsKey, count}};
    for (const std::string& entry : entries) {
      commands.push_back(
          {"XADD", queue::kStreamKey, "*", queue::kEventsField, entry, "n", in_entry});
      if (commands.size() == 1000) {
        if (!lease.value().Pipeline(commands)) std::exit(2);
        commands.clear();
      }
    }
    if (!commands.empty() && !lease.value().Pipeline(commands)) std::exit(2);
  }

  bool Drained() {
    auto s = queue.Stats();
    return s && s.value().length == 0 && s.value().pending == 0;
  }
};

Fixture& Shared() {
  static Fixture f;
  return f;
}

void BM_WorkerDrain(benchmark::State& state) {
  Fixture& f = Shared();
  worker::WorkerOptions options;
  options.concurrency = static_cast<int>(state.range(0));
  options.block_ms = 50;
  for (auto _ : state) {
    f.Reset();
    f.Enqueue(f.Events(), static_cast<std::size_t>(state.range(1)));
    const std::string url = f.database_url;
    // The COPY sessions as `mccig worker` has them by default.
    worker::Worker worker(
        f.queue,
        store::PgEventStores(url, config::Config{}.worker_copy_sessions, options.backlog_rows()),
        options);
    const auto start = std::chrono::steady_clock::now();
    worker.Start();
    while (!f.Drained()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    const auto end = std::chrono::steady_clock::now();
    state.SetIterationTime(std::chrono::duration<double>(end - start).count());
    worker.Stop();
    if (worker.stats().stored.load() != kEvents) state.SkipWithError("not every event was stored");
  }
  state.SetItemsProcessed(state.iterations() * kEvents);
}

void BM_CopyCeiling(benchmark::State& state) {
  Fixture& f = Shared();
  for (auto _ : state) {
    f.Reset();
    const auto events = f.Events();
    pqxx::connection c(f.database_url);
    const auto start = std::chrono::steady_clock::now();
    {
      pqxx::work tx(c);
      pqxx::stream_to copy(
          tx, "bench_copy_ceiling",
          std::vector<std::string>{"id", "tenant_id", "provider_message_id", "channel", "content",
                                   "metadata", "raw_metadata", "occurred_at"});
      for (const auto& e : events) {
        copy << std::make_tuple(e.event_id, e.tenant_id, e.provider_message_id,
                                std::string(sdk::ChannelName(e.channel)), e.content,
                                e.metadata.dump(), e.raw_metadata.dump(),
                                std::string("2024-05-01T12:00:00Z"));
      }
      copy.complete();
      tx.commit();
    }
    const auto end = std::chrono::steady_clock::now();
    state.SetIterationTime(std::chrono::duration<double>(end - start).count());
  }
  state.SetItemsProcessed(state.iterations() * kEvents);
}

BENCHMARK(BM_WorkerDrain)
    ->ArgsProduct({{1, 2}, {1, 1000}})
    ->UseManualTime()
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CopyCeiling)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
