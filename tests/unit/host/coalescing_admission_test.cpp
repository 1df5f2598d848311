// Single admissions made at the same time share one call to the wrapped
// admission, each caller gets its own event's result, options travel with
// their event, and multi-event calls go straight through.
#include "admission/coalescing_admission.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/fake_admission.h"

namespace mccig::admission {
namespace {

sdk::ConversationEvent Event(const std::string& id) {
  sdk::ConversationEvent e;
  e.tenant_id = "acme";
  e.channel = sdk::ChannelType::kSms;
  e.provider_message_id = id;
  return e;
}

// Holds its first call until released, so later callers pile up meanwhile.
class GatedAdmission final : public Admission {
 public:
  explicit GatedAdmission(Admission& inner) : inner_(inner) {}
  std::vector<AdmissionResult> AdmitBatch(std::span<const AdmissionItem> items) override {
    std::unique_lock lock(mutex_);
    opened_.wait(lock, [this] { return open_; });
    lock.unlock();
    return inner_.AdmitBatch(items);
  }
  sdk::Result<std::vector<BucketState>> Buckets(const std::vector<std::string>& t) override {
    return inner_.Buckets(t);
  }
  void Open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    opened_.notify_all();
  }

 private:
  Admission& inner_;
  std::mutex mutex_;
  std::condition_variable opened_;
  bool open_ = false;
};

TEST(CoalescingAdmission, ConcurrentSingleAdmissionsShareCallsAndGetTheirOwnResults) {
  testing::FakeAdmission fake;
  GatedAdmission gated(fake);
  CoalescingAdmission coalescing(gated, 256);
  // Eight callers, four provider ids each sent twice: one of each pair is
  // accepted and the other is its duplicate, whichever reached Redis first.
  constexpr int kCallers = 8;
  std::vector<AdmissionStatus> statuses(kCallers);
  std::vector<std::thread> callers;
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back(
        [&, i] { statuses[i] = coalescing.Admit(Event("SM" + std::to_string(i % 4)), {}).status; });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let them queue
  gated.Open();
  for (auto& t : callers) t.join();

  EXPECT_LT(fake.calls(), kCallers) << "no two admissions shared a call";
  EXPECT_EQ(fake.accepted().size(), 4u);
  for (int id = 0; id < 4; ++id) {
    const AdmissionStatus a = statuses[id], b = statuses[id + 4];
    EXPECT_TRUE((a == AdmissionStatus::kAccepted && b == AdmissionStatus::kDuplicate) ||
                (a == AdmissionStatus::kDuplicate && b == AdmissionStatus::kAccepted))
        << "SM" << id;
  }
}

TEST(CoalescingAdmission, OptionsTravelWithTheirEvent) {
  testing::FakeAdmission fake;
  CoalescingAdmission coalescing(fake, 256);
  EXPECT_EQ(coalescing.Admit(Event("a"), {.simulate_worker_failure = true}).status,
            AdmissionStatus::kAccepted);
  EXPECT_EQ(coalescing.Admit(Event("b"), {}).status, AdmissionStatus::kAccepted);
  EXPECT_EQ(fake.simulated_failures(), 1);
}

TEST(CoalescingAdmission, MultiEventCallsGoStraightThrough) {
  testing::FakeAdmission fake;
  CoalescingAdmission coalescing(fake, 2);  // smaller than the call: not split
  const std::vector<sdk::ConversationEvent> events = {Event("a"), Event("b"), Event("a")};
  std::vector<AdmissionItem> items;
  for (const auto& e : events) items.push_back({.event = &e});
  const std::vector<AdmissionResult> results = coalescing.AdmitBatch(items);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[2].status, AdmissionStatus::kDuplicate);
  EXPECT_EQ(fake.calls(), 1);
}

}  // namespace
}  // namespace mccig::admission
