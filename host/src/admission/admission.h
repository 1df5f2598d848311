// admission.h — the stage after validation: duplicate check, rate limit and
// durable enqueue, decided together.
//
// Contract: kAccepted only once the event is durably queued; kDuplicate and
// kRateLimited claim nothing, so a later retry of the same event is judged
// afresh; kUnavailable means nothing happened and the caller may retry.
// A batch is judged event by event, in order, with the same contract for
// each, in one round trip to the store.
// Implementations are called from many request threads at once.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <mccig/sdk/event.h>
#include <mccig/sdk/result.h>

namespace mccig::admission {

enum class AdmissionStatus { kAccepted, kDuplicate, kRateLimited, kUnavailable };

struct AdmissionResult {
  AdmissionStatus status = AdmissionStatus::kUnavailable;
  int64_t retry_after_ms = 0;       // kRateLimited / kUnavailable: when to try again
  int64_t limit = 0;                // the tenant's bucket capacity, when known
  int64_t remaining = 0;            // tokens left after this request, when known
  std::string original_event_id{};  // kDuplicate: the event first accepted under this id
  std::string detail{};             // kUnavailable: why (logged, not sent)
};

struct AdmitOptions {
  // Simulation mode only: mark the queued entry so the worker fails it (the
  // retry → dead-letter path, shown live).
  bool simulate_worker_failure = false;
};

// One event of a batch; `event` (and what raw_metadata_text views)
// outlives the call.
struct AdmissionItem {
  const sdk::ConversationEvent* event = nullptr;
  AdmitOptions options{};
  // event->raw_metadata as compact JSON text, when the caller has it (see
  // queue::AppendEncodedEvent); empty: written from the value.
  std::string_view raw_metadata_text{};
};

// A tenant's token bucket as it stands, for operators: reading it spends
// nothing and changes nothing.
struct BucketState {
  std::string tenant{};
  int64_t capacity = 0;
  double refill_per_second = 0;
  double tokens = 0;  // now, refill included; capacity for an idle tenant
};

class Admission {
 public:
  virtual ~Admission() = default;
  // One result per item, in the items' order. Later items see the effects
  // of earlier ones (a repeated provider id is a duplicate; tokens run out).
  virtual std::vector<AdmissionResult> AdmitBatch(std::span<const AdmissionItem> items) = 0;

  AdmissionResult Admit(const sdk::ConversationEvent& event, const AdmitOptions& options) {
    const AdmissionItem item{.event = &event, .options = options};
    return std::move(AdmitBatch({&item, 1}).front());
  }
  // The buckets of `tenants`, in that order ("unavailable" when the store
  // cannot be read).
  virtual sdk::Result<std::vector<BucketState>> Buckets(
      const std::vector<std::string>& tenants) = 0;
};

}  // namespace mccig::admission
