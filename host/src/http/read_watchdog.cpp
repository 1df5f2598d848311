// read_watchdog.cpp — see read_watchdog.h.
#include "http/read_watchdog.h"

namespace mccig::http {

ReadWatchdog::ReadWatchdog(std::chrono::milliseconds limit)
    : limit_(limit), thread_([this] { Run(); }) {}

ReadWatchdog::~ReadWatchdog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

ReadWatchdog::Guard::~Guard() {
  if (dog_ == nullptr) return;
  std::lock_guard lock(dog_->mutex_);
  dog_->watched_.erase(id_);
}

ReadWatchdog::Guard ReadWatchdog::Watch(const Poco::Net::StreamSocket& socket) {
  std::lock_guard lock(mutex_);
  const uint64_t id = next_id_++;
  watched_.emplace(id, Watched{socket, std::chrono::steady_clock::now() + limit_});
  return Guard(this, id);
}

void ReadWatchdog::Run() {
  // Checks a few times per limit: a late cut is at most a quarter late.
  const auto period = std::max(std::chrono::milliseconds(10), limit_ / 4);
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, period);
    const auto now = std::chrono::steady_clock::now();
    for (auto it = watched_.begin(); it != watched_.end();) {
      if (it->second.deadline <= now) {
        try {
          it->second.socket.shutdownReceive();
        } catch (const std::exception&) {
          // Already closed by the peer: nothing left to cut.
        }
        it = watched_.erase(it);
      } else {
        ++it;
      }
    }
  }
}

}  // namespace mccig::http
