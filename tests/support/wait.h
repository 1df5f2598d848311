// wait.h — polling for a condition in tests that watch asynchronous work
// (the worker storing rows, a server coming up): true as soon as `done`
// holds, false if it still does not after `seconds`.
#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace mccig::testing {

inline bool WaitUntil(const std::function<bool()>& done, int seconds = 20) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return done();
}

}  // namespace mccig::testing
