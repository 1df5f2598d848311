// admission_batcher.h — many small admissions turned into few round trips.
//
// Events submitted from anywhere (the stream connections) wait in a queue;
// one thread takes everything waiting, up to max_batch, admits it with one
// AdmitBatch call and hands each result to its callback. While a call is on
// its way to Redis, newcomers gather for the next one, so the batches grow
// with the load and an idle gateway admits a lone event at once (group
// commit). One thread keeps submission order: of two events with the same
// provider id, the one submitted first is the accepted one.
// Callbacks run on the batcher's thread and must not block. Stop admits
// whatever was submitted before it and then returns; later submissions are
// answered kUnavailable at once. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "admission/admission.h"

namespace mccig::admission {

class AdmissionBatcher {
 public:
  using Done = std::function<void(const AdmissionResult&, const sdk::ConversationEvent&)>;

  AdmissionBatcher(Admission& admission, std::size_t max_batch);
  ~AdmissionBatcher();
  AdmissionBatcher(const AdmissionBatcher&) = delete;
  AdmissionBatcher& operator=(const AdmissionBatcher&) = delete;

  // `raw_metadata_text`: see AdmissionItem.
  void Submit(sdk::ConversationEvent event, Done done, AdmitOptions options = {},
              std::string raw_metadata_text = {});
  // As Submit, without a copy: `event`, and what `raw_metadata_text` views
  // (see AdmissionItem), must stay alive until `done` runs.
  void SubmitBorrowed(const sdk::ConversationEvent& event, Done done, AdmitOptions options = {},
                      std::string_view raw_metadata_text = {});
  void Stop();

 private:
  struct Pending {
    sdk::ConversationEvent owned;                      // Submit's copy
    std::string owned_text{};                          // Submit's raw_metadata_text
    const sdk::ConversationEvent* borrowed = nullptr;  // SubmitBorrowed's event
    std::string_view borrowed_text{};                  // SubmitBorrowed's, or none
    Done done;
    AdmitOptions options;
    const sdk::ConversationEvent& event() const { return borrowed ? *borrowed : owned; }
    std::string_view text() const { return borrowed ? borrowed_text : owned_text; }
  };
  void Enqueue(Pending pending);
  void Run();

  Admission& admission_;
  const std::size_t max_batch_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace mccig::admission
