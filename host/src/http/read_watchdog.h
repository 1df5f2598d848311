// read_watchdog.h — a deadline on reading a request body, against clients
// that trickle bytes to hold a request thread (slowloris).
//
// Poco's socket timeout bounds each read, not the whole body: one byte per
// second never trips it. The watchdog does: a handler registers its socket
// for the time it reads the body, and a background thread shuts down the
// receive side of any socket still registered past the deadline. The
// blocked read then sees end-of-stream, the handler finds the body short
// and answers 408. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <thread>

#include <Poco/Net/StreamSocket.h>

namespace mccig::http {

class ReadWatchdog {
 public:
  explicit ReadWatchdog(std::chrono::milliseconds limit);
  ~ReadWatchdog();
  ReadWatchdog(const ReadWatchdog&) = delete;
  ReadWatchdog& operator=(const ReadWatchdog&) = delete;

  // Watches `socket` until the guard is destroyed.
  class Guard {
   public:
    Guard(ReadWatchdog* dog, uint64_t id) : dog_(dog), id_(id) {}
    Guard(Guard&& other) noexcept : dog_(other.dog_), id_(other.id_) { other.dog_ = nullptr; }
    ~Guard();

   private:
    ReadWatchdog* dog_;
    uint64_t id_;
  };
  Guard Watch(const Poco::Net::StreamSocket& socket);

  std::chrono::milliseconds limit() const { return limit_; }

 private:
  struct Watched {
    Poco::Net::StreamSocket socket;
    std::chrono::steady_clock::time_point deadline;
  };
  void Run();

  const std::chrono::milliseconds limit_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::map<uint64_t, Watched> watched_;
  uint64_t next_id_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace mccig::http
