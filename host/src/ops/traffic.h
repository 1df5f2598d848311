// traffic.h — recent ingest activity, kept in memory for the operations
// console: totals by tenant, channel and outcome since start, a per-second
// window of the last kWindowSeconds for the rate chart, and each tenant's
// recent 429s.
//
// Per process, like /metrics: a deployment with several gateways shows each
// one's own traffic. Memory is bounded: tenants are TenantLabels (configured
// ids, "other", "unidentified"), channels come from the loaded plugins, the
// window is a ring of one slot per second, and at most kRecentRefusals 429s
// are kept per tenant. One mutex guards it all; a request holds it for a few
// array increments. Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "ops/tenant_labels.h"

namespace mccig::ops {

enum class Outcome { kAccepted, kDuplicate, kRateLimited, kRejected, kUnavailable };
inline constexpr std::size_t kOutcomes = 5;
// The JSON names, indexed by Outcome.
inline constexpr std::array<const char*, kOutcomes> kOutcomeNames = {
    "accepted", "duplicate", "rate_limited", "rejected", "unavailable"};

inline const char* OutcomeName(Outcome outcome) {
  return kOutcomeNames[static_cast<std::size_t>(outcome)];
}

// The outcome an ingest answer stands for: 201 accepted, 200 duplicate, 429
// rate limited, other 4xx rejected (the caller's fault), 5xx unavailable.
Outcome OutcomeOfStatus(int status);

class Traffic {
 public:
  static constexpr int64_t kWindowSeconds = 900;
  static constexpr std::size_t kRecentRefusals = 20;

  // `labels`: shared with the other views; the set alone makes a private one.
  Traffic(std::shared_ptr<const TenantLabels> labels, int64_t now_ms);
  Traffic(std::set<std::string> tenants, int64_t now_ms)
      : Traffic(std::make_shared<const TenantLabels>(std::move(tenants)), now_ms) {}

  // One ingest answer. `tenant` is empty when the request was refused before
  // its tenant was known; `retry_after_s` matters for 429s only.
  // `count` events with the same answer (a batch's) count as that many
  // and, when refused, as one entry of the recent-refusals list.
  void Record(const std::string& tenant, const std::string& channel, Outcome outcome,
              int64_t now_ms, int64_t retry_after_s = 0, int64_t count = 1);

  // {"started_at_ms", "by_tenant_channel": [{tenant, channel, <outcome>: n…}],
  //  "series": {"step_seconds", "start_ms", "<outcome>": [n…]}}: the last
  // `window_s` seconds (at most kWindowSeconds) in steps of `step_s`, oldest
  // first, ending with the step that holds `now_ms`.
  nlohmann::json Summary(int64_t now_ms, int64_t window_s, int64_t step_s) const;

  // {"<tenant>": {"last_minutes": n, "recent": [{at_ms, channel, retry_after_seconds}…]}}
  // for every tenant with a 429 in the window; `minutes` ≤ kWindowSeconds/60.
  nlohmann::json RecentRefusals(int64_t now_ms, int64_t minutes) const;

 private:
  using Counts = std::array<int64_t, kOutcomes>;
  struct Slot {
    int64_t second = -1;  // the epoch second this slot counts; -1: never used
    Counts counts{};
  };
  struct Refusal {
    int64_t at_ms;
    std::string channel;
    int64_t retry_after_s;
  };
  struct TenantRefusals {
    std::array<std::pair<int64_t, int64_t>, kWindowSeconds> per_second{};  // (second, count)
    std::deque<Refusal> recent;                                            // newest last
  };

  Slot& SlotFor(int64_t second);

  std::shared_ptr<const TenantLabels> labels_;
  const int64_t started_at_ms_;
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, Counts> totals_;
  std::array<Slot, kWindowSeconds> window_{};
  std::map<std::string, TenantRefusals> refusals_;
};

}  // namespace mccig::ops
