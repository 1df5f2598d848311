// counter_cache.cpp — see counter_cache.h.
#include "ops/counter_cache.h"

#include <map>

namespace mccig::ops {

prometheus::Counter& CounterCache::Get(std::initializer_list<std::string_view> values) {
  // '\0' never occurs in a label value we are given (routes, channels,
  // numbers, tenant ids), so the joined key names one combination.
  std::string key;
  for (std::string_view v : values) key.append(v).push_back('\0');
  const std::lock_guard lock(mutex_);
  const auto it = series_.find(key);
  if (it != series_.end()) return *it->second;
  std::map<std::string, std::string> labels;
  auto name = names_.begin();
  for (std::string_view v : values) labels.emplace(*name++, std::string(v));
  prometheus::Counter& counter = family_.Add(labels);
  series_.emplace(std::move(key), &counter);
  return counter;
}

}  // namespace mccig::ops
