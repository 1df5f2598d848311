// stop_signal.h — a one-way "stop now" flag that sleeping threads wake up
// on, so a SIGTERM never waits out a backoff. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace mccig::worker {

class StopSignal {
 public:
  void Stop() {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    cv_.notify_all();
  }
  bool stopped() const {
    std::lock_guard lock(mutex_);
    return stopped_;
  }
  // Sleeps up to ms; true when stopped (now or while sleeping).
  bool WaitFor(int64_t ms) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopped_; });
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  bool stopped_ = false;
};

}  // namespace mccig::worker
