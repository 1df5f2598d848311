// traffic_bench.cpp — the cost the console's traffic record adds to every
// ingest request (ops/traffic.h: one mutex, a few increments), alone and
// with two threads contending, beside an uncontended mutex lock/unlock as
// the floor. Run with bench/run_micro.
#include <benchmark/benchmark.h>

#include <chrono>
#include <mutex>

#include "ops/traffic.h"

namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

mccig::ops::Traffic& Shared() {
  static mccig::ops::Traffic traffic({"acme", "globex"}, NowMs());
  return traffic;
}

void BM_MutexFloor(benchmark::State& state) {
  static std::mutex mutex;
  int64_t n = 0;
  for (auto _ : state) {
    std::lock_guard lock(mutex);
    benchmark::DoNotOptimize(++n);
  }
}

void BM_TrafficRecord(benchmark::State& state) {
  mccig::ops::Traffic& traffic = Shared();
  const std::string tenant = state.thread_index() % 2 ? "acme" : "globex";
  const std::string channel = "sms";
  for (auto _ : state) {
    traffic.Record(tenant, channel, mccig::ops::Outcome::kAccepted, NowMs());
  }
}

}  // namespace

BENCHMARK(BM_MutexFloor);
BENCHMARK(BM_TrafficRecord)->Threads(1)->Threads(2);

BENCHMARK_MAIN();
