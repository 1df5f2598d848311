// admission_batcher.cpp — see admission_batcher.h.
#include "admission/admission_batcher.h"

#include <vector>

#include "log/logging.h"

namespace mccig::admission {

AdmissionBatcher::AdmissionBatcher(Admission& admission, std::size_t max_batch)
    : admission_(admission), max_batch_(max_batch), thread_([this] {
        log::NameThisThread("admission");
        Run();
      }) {}

AdmissionBatcher::~AdmissionBatcher() {
  Stop();
}

void AdmissionBatcher::Submit(sdk::ConversationEvent event, Done done, AdmitOptions options,
                              std::string raw_metadata_text) {
  Enqueue(Pending{.owned = std::move(event),
                  .owned_text = std::move(raw_metadata_text),
                  .done = std::move(done),
                  .options = options});
}

void AdmissionBatcher::SubmitBorrowed(const sdk::ConversationEvent& event, Done done,
                                      AdmitOptions options, std::string_view raw_metadata_text) {
  Enqueue(Pending{.owned = {},
                  .borrowed = &event,
                  .borrowed_text = raw_metadata_text,
                  .done = std::move(done),
                  .options = options});
}

void AdmissionBatcher::Enqueue(Pending pending) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back(std::move(pending));
      wake_.notify_one();
      return;
    }
  }
  pending.done(AdmissionResult{.status = AdmissionStatus::kUnavailable,
                               .retry_after_ms = 1000,
                               .detail = "the gateway is stopping"},
               pending.event());
}

void AdmissionBatcher::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void AdmissionBatcher::Run() {
  std::vector<Pending> batch;
  std::vector<AdmissionItem> items;
  for (;;) {
    batch.clear();
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything submitted is answered
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    items.clear();
    for (const Pending& p : batch) {
      items.push_back({.event = &p.event(), .options = p.options, .raw_metadata_text = p.text()});
    }
    const std::vector<AdmissionResult> results = admission_.AdmitBatch(items);
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i].done(results[i], batch[i].event());
  }
}

}  // namespace mccig::admission
