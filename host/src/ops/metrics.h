// metrics.h — what /metrics exposes, in the Prometheus text format
// (prometheus-cpp's registry and serializer).
//
// Instruments fed as things happen: requests by route, channel and status;
// admission latency; admissions by tenant and outcome; the worker's batch
// sizes and insert latencies; plugin loads. Numbers that live elsewhere are
// read when scraped (Render's snapshot): queue length, pending, dead
// letters, the oldest entry's age, and the worker's running totals. Tenant
// labels are limited to configured tenants (others count as "other"), so a
// caller cannot grow the series without bound. Thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "ops/counter_cache.h"
#include "ops/tenant_labels.h"
#include "queue/stream_queue.h"
#include "worker/worker_options.h"

namespace mccig::ops {

// What is read at scrape time; each part is absent when this process does
// not run it (serve without a worker, Redis down).
struct StreamStats {
  int connections = 0;       // open WebSockets on /v1/stream
  int64_t owed_answers = 0;  // events awaiting their ack, plus answers not yet written
};

struct Snapshot {
  std::optional<queue::QueueStats> queue{};
  const worker::WorkerStats* worker = nullptr;
  std::optional<StreamStats> stream{};
};

class Metrics final : public worker::WorkerObserver {
 public:
  // `tenants`: the labels shared with the other views; the set alone makes
  // a private one.
  explicit Metrics(std::shared_ptr<const TenantLabels> tenants);
  explicit Metrics(std::set<std::string> tenants)
      : Metrics(std::make_shared<const TenantLabels>(std::move(tenants))) {}

  void ObserveRequest(std::string_view route, std::string_view channel, int status);
  // outcome: accepted | duplicate | rate_limited | unavailable
  // `count` admissions with that outcome, each taking `seconds`.
  void ObserveAdmission(const std::string& tenant, std::string_view outcome, double seconds,
                        int64_t count = 1);
  void SetPluginsLoaded(int count);
  void CountPluginLoadFailures(int count);

  // worker::WorkerObserver
  void OnBatchStored(std::size_t rows, double insert_seconds) override;

  std::string Render(const Snapshot& snapshot) const;

 private:
  std::shared_ptr<const TenantLabels> tenants_;
  std::shared_ptr<prometheus::Registry> registry_;
  CounterCache requests_;    // route, channel, status
  CounterCache admissions_;  // tenant, outcome
  prometheus::Histogram& admission_latency_;
  prometheus::Histogram& batch_rows_;
  prometheus::Histogram& insert_latency_;
  prometheus::Gauge& plugins_loaded_;
  prometheus::Counter& plugin_load_failures_;
};

}  // namespace mccig::ops
