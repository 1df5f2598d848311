// backoff.h — how long the worker waits before retry n (n >= 1):
// base * 2^(n-1), capped. Pure.
#pragma once

#include <algorithm>
#include <cstdint>

namespace mccig::worker {

inline int64_t BackoffMs(int attempt, int64_t base_ms, int64_t cap_ms) {
  if (attempt < 1) return 0;
  const int shift = std::min(attempt - 1, 40);  // 2^40 x any sane base is past any cap
  const int64_t wait = base_ms > (cap_ms >> shift) ? cap_ms : base_ms << shift;
  return std::min(wait, cap_ms);
}

}  // namespace mccig::worker
