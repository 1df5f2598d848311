// counter_cache.h — a Prometheus counter family's series, looked up by
// their label values without building a label map each time.
//
// prometheus-cpp's Family::Add takes a std::map of label names to values:
// a few allocations, a hash of every label and the family's lock on each
// call, which on the request path cost more than the rest of the request's
// bookkeeping. Here each distinct combination of values (in the order the
// names were given) is resolved once and its Counter* kept; a series is
// never removed from the family, so the pointer stays valid. The
// combinations must stay bounded (the callers' labels are: routes,
// channels, statuses, configured tenants). Thread-safe.
#pragma once

#include <initializer_list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <prometheus/counter.h>
#include <prometheus/family.h>

namespace mccig::ops {

class CounterCache {
 public:
  CounterCache(prometheus::Family<prometheus::Counter>& family, std::vector<std::string> names)
      : family_(family), names_(std::move(names)) {}

  // The series with these values, one per name, in the names' order.
  prometheus::Counter& Get(std::initializer_list<std::string_view> values);

 private:
  prometheus::Family<prometheus::Counter>& family_;
  const std::vector<std::string> names_;
  std::mutex mutex_;
  std::unordered_map<std::string, prometheus::Counter*> series_;  // joined values -> series
};

}  // namespace mccig::ops
