// tenant_labels.h — the bounded set of tenant names that operators' views
// (metrics labels, the console's traffic tables) may show.
//
// A tenant id comes from the request, so using it raw as a label would let a
// caller grow the series without bound. Configured tenants keep their name;
// any other id is "other", and a request whose tenant is not known at all
// (refused before its body was read) is "unidentified". One instance is
// shared by every view (Metrics, Traffic), so a reload swaps the set once,
// atomically, for all of them. Thread-safe.
#pragma once

#include <atomic>
#include <memory>
#include <set>
#include <string>

namespace mccig::ops {

class TenantLabels {
 public:
  static constexpr const char* kOther = "other";
  static constexpr const char* kUnidentified = "unidentified";

  explicit TenantLabels(std::set<std::string> tenants) { Set(std::move(tenants)); }

  void Set(std::set<std::string> tenants) {
    tenants_.store(std::make_shared<const std::set<std::string>>(std::move(tenants)));
  }

  std::string Label(const std::string& tenant) const {
    if (tenant.empty()) return kUnidentified;
    return tenants_.load()->contains(tenant) ? tenant : kOther;
  }

 private:
  std::atomic<std::shared_ptr<const std::set<std::string>>> tenants_;
};

}  // namespace mccig::ops
