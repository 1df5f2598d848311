// coalescing_admission.h — concurrent single admissions, one round trip.
//
// An Admission that hands each single-event call to an AdmissionBatcher and
// blocks until its result is back, so the request threads' admissions that
// arrive together reach Redis as one bulk call instead of one call each:
// under load Redis runs a few large scripts instead of many small ones, and
// a request costs Redis a fraction of a round trip. A lone request goes at
// once (the batcher does not wait to fill). Calls of more than one event
// (the batch API) are already bulk and go straight to the wrapped admission.
// Thread-safe; `inner` must outlive it.
#pragma once

#include <cstddef>

#include "admission/admission.h"
#include "admission/admission_batcher.h"

namespace mccig::admission {

class CoalescingAdmission final : public Admission {
 public:
  CoalescingAdmission(Admission& inner, std::size_t max_batch);

  std::vector<AdmissionResult> AdmitBatch(std::span<const AdmissionItem> items) override;
  sdk::Result<std::vector<BucketState>> Buckets(const std::vector<std::string>& tenants) override {
    return inner_.Buckets(tenants);
  }

 private:
  Admission& inner_;
  AdmissionBatcher batcher_;
};

}  // namespace mccig::admission
