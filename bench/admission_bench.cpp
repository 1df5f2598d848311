// admission_bench.cpp — admissions per second against a real Redis, beside
// the ceiling: EVALSHA of a script that only returns 1, through the same pool
// with the same number of connections. The ratio says how much of a round
// trip the admission logic itself (duplicate check, token bucket, claim,
// XADD of a ~700-byte event) costs. Needs REDIS_URL; bench/run_admission
// starts a throwaway Redis and reports medians and the ratio.
#include <atomic>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>

#include <benchmark/benchmark.h>

#include "admission/redis_admission.h"
#include "queue/event_codec.h"
#include "redis/redis_url.h"
#include "sample_event.h"

namespace {

using namespace mccig;
using bench::SampleEvent;

constexpr int kConnections = 16;  // the default HTTP thread count, one lease each

redis::Pool& SharedPool() {
  static redis::Pool pool = [] {
    const char* url = std::getenv("REDIS_URL");
    if (url == nullptr) {
      std::cerr << "REDIS_URL is not set: run bench/run_admission, which starts Redis\n";
      std::exit(2);
    }
    auto endpoint = redis::ParseRedisUrl(url);
    if (!endpoint) {
      std::cerr << "REDIS_URL: " << endpoint.error().message << "\n";
      std::exit(2);
    }
    return redis::Pool(endpoint.value(), redis::PoolOptions{.size = kConnections});
  }();
  return pool;
}

std::atomic<uint64_t> g_next_id{0};
// Provider ids unique across runs on one Redis: a rerun within the
// idempotency TTL would otherwise meet its own earlier ids as duplicates.
const std::string g_run_prefix = "SM" + std::to_string(std::random_device{}()) + "-";

void BM_Admission(benchmark::State& state) {
  static admission::RedisAdmission admission = [] {
    admission::AdmissionSettings settings;
    settings.default_limit = {.capacity = 1'000'000'000, .refill_per_second = 1'000'000'000};
    return admission::RedisAdmission(SharedPool(), settings);
  }();
  sdk::ConversationEvent event = SampleEvent(0);
  for (auto _ : state) {
    event.provider_message_id = g_run_prefix + std::to_string(g_next_id.fetch_add(1));
    const auto result = admission.Admit(event, {});
    if (result.status != admission::AdmissionStatus::kAccepted) {
      state.SkipWithError(("not accepted: " + result.detail).c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_TrivialEvalsha(benchmark::State& state) {
  static const redis::Script trivial("return 1");
  for (auto _ : state) {
    auto lease = SharedPool().Acquire();
    if (!lease) {
      state.SkipWithError(lease.error().message.c_str());
      break;
    }
    auto reply = trivial.Run(lease.value(), {}, {});
    if (!reply) {
      state.SkipWithError(reply.error().message.c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_Admission)->Threads(1)->Threads(kConnections)->UseRealTime()->MinTime(2.0);
BENCHMARK(BM_TrivialEvalsha)->Threads(1)->Threads(kConnections)->UseRealTime()->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();
