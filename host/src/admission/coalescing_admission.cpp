// coalescing_admission.cpp — see coalescing_admission.h.
#include "admission/coalescing_admission.h"

#include <future>

namespace mccig::admission {

CoalescingAdmission::CoalescingAdmission(Admission& inner, std::size_t max_batch)
    : inner_(inner), batcher_(inner, max_batch) {}

std::vector<AdmissionResult> CoalescingAdmission::AdmitBatch(std::span<const AdmissionItem> items) {
  if (items.size() != 1) return inner_.AdmitBatch(items);
  std::promise<AdmissionResult> promise;
  std::future<AdmissionResult> result = promise.get_future();
  batcher_.SubmitBorrowed(  // the caller's event outlives the wait below
      *items.front().event,
      [&promise](const AdmissionResult& r, const sdk::ConversationEvent&) { promise.set_value(r); },
      items.front().options);
  std::vector<AdmissionResult> results;
  results.push_back(result.get());
  return results;
}

}  // namespace mccig::admission
