// fake_admission.h — an in-memory Admission for tests of the HTTP layer and
// the pipeline. Duplicates are detected per (tenant, channel, provider id);
// `ForceNext` forces the outcome of the next event; `Hold` makes calls wait
// (a slow Redis) until `Release`. Thread-safe.
#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "admission/admission.h"

namespace mccig::testing {

class FakeAdmission : public admission::Admission {
 public:
  std::vector<admission::AdmissionResult> AdmitBatch(
      std::span<const admission::AdmissionItem> items) override {
    {
      std::unique_lock gate(gate_mutex_);
      ++waiting_;
      gate_.wait(gate, [&] { return !held_; });
      --waiting_;
    }
    std::lock_guard lock(mutex_);
    std::vector<admission::AdmissionResult> results;
    for (const auto& item : items) {
      results.push_back(AdmitOne(*item.event));
      if (item.options.simulate_worker_failure) ++simulated_failures_;
    }
    ++calls_;
    return results;
  }

  // Every bucket full: the fake keeps no tokens.
  sdk::Result<std::vector<admission::BucketState>> Buckets(
      const std::vector<std::string>& tenants) override {
    std::vector<admission::BucketState> buckets;
    for (const auto& t : tenants) {
      buckets.push_back({.tenant = t, .capacity = 100, .refill_per_second = 50, .tokens = 100});
    }
    return buckets;
  }

  void Hold() {
    std::lock_guard gate(gate_mutex_);
    held_ = true;
  }
  void Release() {
    {
      std::lock_guard gate(gate_mutex_);
      held_ = false;
    }
    gate_.notify_all();
  }
  // Calls waiting while held.
  int waiting() const {
    std::lock_guard gate(gate_mutex_);
    return waiting_;
  }

  void ForceNext(admission::AdmissionResult result) {
    std::lock_guard lock(mutex_);
    next_ = result;
  }

  std::vector<sdk::ConversationEvent> accepted() const {
    std::lock_guard lock(mutex_);
    return accepted_;
  }

  // How many items asked the worker to fail them (simulation mode).
  int simulated_failures() const {
    std::lock_guard lock(mutex_);
    return simulated_failures_;
  }

  // How many AdmitBatch calls (store round trips) were made.
  int calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }

 private:
  admission::AdmissionResult AdmitOne(const sdk::ConversationEvent& event) {
    if (next_) {
      auto forced = *next_;
      next_.reset();
      return forced;
    }
    const auto key = std::make_tuple(event.tenant_id, std::string(sdk::ChannelName(event.channel)),
                                     event.provider_message_id);
    if (!seen_.insert(key).second) return {.status = admission::AdmissionStatus::kDuplicate};
    accepted_.push_back(event);
    return {.status = admission::AdmissionStatus::kAccepted};
  }

  mutable std::mutex gate_mutex_;
  std::condition_variable gate_;
  bool held_ = false;
  int waiting_ = 0;
  mutable std::mutex mutex_;
  std::optional<admission::AdmissionResult> next_;
  std::set<std::tuple<std::string, std::string, std::string>> seen_;
  std::vector<sdk::ConversationEvent> accepted_;
  int calls_ = 0;
  int simulated_failures_ = 0;
};

}  // namespace mccig::testing
