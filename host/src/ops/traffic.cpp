// traffic.cpp — see traffic.h.
#include "ops/traffic.h"

#include <algorithm>

namespace mccig::ops {

Outcome OutcomeOfStatus(int status) {
  if (status == 201) return Outcome::kAccepted;
  if (status >= 200 && status < 300) return Outcome::kDuplicate;
  if (status == 429) return Outcome::kRateLimited;
  if (status >= 400 && status < 500) return Outcome::kRejected;
  return Outcome::kUnavailable;
}

Traffic::Traffic(std::shared_ptr<const TenantLabels> labels, int64_t now_ms)
    : labels_(std::move(labels)), started_at_ms_(now_ms) {}

Traffic::Slot& Traffic::SlotFor(int64_t second) {
  Slot& slot = window_[static_cast<std::size_t>(second % kWindowSeconds)];
  if (slot.second != second) slot = Slot{.second = second};
  return slot;
}

void Traffic::Record(const std::string& tenant, const std::string& channel, Outcome outcome,
                     int64_t now_ms, int64_t retry_after_s, int64_t count) {
  const std::string label = labels_->Label(tenant);
  const auto index = static_cast<std::size_t>(outcome);
  const int64_t second = now_ms / 1000;
  std::lock_guard lock(mutex_);
  totals_[{label, channel}][index] += count;
  SlotFor(second).counts[index] += count;
  if (outcome != Outcome::kRateLimited) return;
  TenantRefusals& r = refusals_[label];
  auto& [slot_second, refused] = r.per_second[static_cast<std::size_t>(second % kWindowSeconds)];
  if (slot_second != second) slot_second = second, refused = 0;
  refused += count;
  r.recent.push_back(Refusal{now_ms, channel, retry_after_s});
  if (r.recent.size() > kRecentRefusals) r.recent.pop_front();
}

nlohmann::json Traffic::Summary(int64_t now_ms, int64_t window_s, int64_t step_s) const {
  window_s = std::clamp<int64_t>(window_s, 1, kWindowSeconds);
  step_s = std::clamp<int64_t>(step_s, 1, window_s);
  const int64_t steps = (window_s + step_s - 1) / step_s;
  // Steps are aligned to multiples of step_s so a chart does not jitter
  // between refreshes; the last one is the step that holds now.
  const int64_t last_start = now_ms / 1000 / step_s * step_s;
  const int64_t first_start = last_start - (steps - 1) * step_s;

  nlohmann::json result = {{"started_at_ms", started_at_ms_}};
  std::lock_guard lock(mutex_);
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& [key, counts] : totals_) {
    nlohmann::json row = {{"tenant", key.first}, {"channel", key.second}};
    for (std::size_t i = 0; i < kOutcomes; ++i) row[kOutcomeNames[i]] = counts[i];
    rows.push_back(std::move(row));
  }
  result["by_tenant_channel"] = std::move(rows);

  std::vector<Counts> series(static_cast<std::size_t>(steps));
  for (const Slot& slot : window_) {
    if (slot.second < first_start || slot.second >= last_start + step_s) continue;
    if (slot.second <= now_ms / 1000 - kWindowSeconds) continue;  // stale ring entry
    Counts& bucket = series[static_cast<std::size_t>((slot.second - first_start) / step_s)];
    for (std::size_t i = 0; i < kOutcomes; ++i) bucket[i] += slot.counts[i];
  }
  nlohmann::json out = {{"step_seconds", step_s}, {"start_ms", first_start * 1000}};
  for (std::size_t i = 0; i < kOutcomes; ++i) {
    nlohmann::json values = nlohmann::json::array();
    for (const Counts& c : series) values.push_back(c[i]);
    out[kOutcomeNames[i]] = std::move(values);
  }
  result["series"] = std::move(out);
  return result;
}

nlohmann::json Traffic::RecentRefusals(int64_t now_ms, int64_t minutes) const {
  const int64_t window_s = std::clamp<int64_t>(minutes * 60, 1, kWindowSeconds);
  const int64_t now_s = now_ms / 1000;
  nlohmann::json result = nlohmann::json::object();
  std::lock_guard lock(mutex_);
  for (const auto& [tenant, r] : refusals_) {
    int64_t total = 0;
    for (const auto& [second, count] : r.per_second) {
      if (second > now_s - window_s && second <= now_s) total += count;
    }
    if (total == 0) continue;
    nlohmann::json recent = nlohmann::json::array();
    for (auto it = r.recent.rbegin(); it != r.recent.rend(); ++it) {
      if (it->at_ms / 1000 <= now_s - window_s) break;  // older ones are older still
      recent.push_back({{"at_ms", it->at_ms},
                        {"channel", it->channel},
                        {"retry_after_seconds", it->retry_after_s}});
    }
    result[tenant] = {{"last_minutes", total}, {"recent", std::move(recent)}};
  }
  return result;
}

}  // namespace mccig::ops
