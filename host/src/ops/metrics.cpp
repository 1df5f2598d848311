// metrics.cpp — see metrics.h.
#include "ops/metrics.h"

#include <charconv>
#include <sstream>

#include <prometheus/text_serializer.h>

namespace mccig::ops {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

const prometheus::Histogram::BucketBoundaries kLatencyBuckets = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
const prometheus::Histogram::BucketBoundaries kBatchBuckets = {1,   5,   10,  25,  50,
                                                               100, 200, 500, 1000};

MetricFamily Scalar(std::string name, std::string help, MetricType type, double value,
                    std::vector<ClientMetric::Label> labels = {}) {
  ClientMetric m;
  m.label = std::move(labels);
  if (type == MetricType::Counter)
    m.counter.value = value;
  else
    m.gauge.value = value;
  return MetricFamily{std::move(name), std::move(help), type, {m}};
}

void AddQueue(const queue::QueueStats& q, std::vector<MetricFamily>& out) {
  out.push_back(Scalar("mccig_queue_length", "Events in queue:conversations not yet stored.",
                       MetricType::Gauge, static_cast<double>(q.length)));
  out.push_back(
      Scalar("mccig_queue_pending",
             "Stream entries (one or more events each) delivered to a worker, not yet acked.",
             MetricType::Gauge, static_cast<double>(q.pending)));
  out.push_back(Scalar("mccig_queue_oldest_age_seconds",
                       "Age of the oldest entry in the queue (0 when empty): alert on this.",
                       MetricType::Gauge, static_cast<double>(q.oldest_age_ms) / 1000.0));
  out.push_back(Scalar("mccig_dlq_size", "Events in the dead-letter queue dlq:conversations.",
                       MetricType::Gauge, static_cast<double>(q.dead_letters)));
}

void AddWorker(const worker::WorkerStats& w, std::vector<MetricFamily>& out) {
  const auto counter = [&](const char* name, const char* help, int64_t v) {
    out.push_back(Scalar(name, help, MetricType::Counter, static_cast<double>(v)));
  };
  counter("mccig_worker_events_stored_total", "Rows the worker inserted.", w.stored.load());
  counter("mccig_worker_events_already_stored_total",
          "Re-delivered events whose row already existed (no-ops).", w.already_stored.load());
  counter("mccig_worker_retries_total", "Waits before a retry, any cause.", w.retries.load());
  counter("mccig_worker_dead_lettered_total", "Events moved to the dead-letter queue.",
          w.dead_lettered.load());
  counter("mccig_worker_reclaimed_total", "Entries taken over from a dead consumer.",
          w.reclaimed.load());
}

void AddStream(const StreamStats& s, std::vector<MetricFamily>& out) {
  out.push_back(Scalar("mccig_stream_connections", "Open WebSocket connections on /v1/stream.",
                       MetricType::Gauge, s.connections));
  out.push_back(Scalar("mccig_stream_owed_answers",
                       "Stream events awaiting their ack plus answers not yet written; bounded "
                       "by connections x stream.max_in_flight.",
                       MetricType::Gauge, static_cast<double>(s.owed_answers)));
}

prometheus::Histogram& NewHistogram(prometheus::Registry& registry, const char* name,
                                    const char* help,
                                    const prometheus::Histogram::BucketBoundaries& buckets) {
  return prometheus::BuildHistogram().Name(name).Help(help).Register(registry).Add({}, buckets);
}

prometheus::Family<prometheus::Counter>& NewCounters(prometheus::Registry& registry,
                                                     const char* name, const char* help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(registry);
}

}  // namespace

Metrics::Metrics(std::shared_ptr<const TenantLabels> tenants)
    : tenants_(std::move(tenants)),
      registry_(std::make_shared<prometheus::Registry>()),
      requests_(NewCounters(*registry_, "mccig_http_requests_total",
                            "HTTP requests by route, channel and status."),
                {"route", "channel", "status"}),
      admissions_(NewCounters(*registry_, "mccig_admissions_total",
                              "Admission outcomes by tenant: accepted, duplicate, rate_limited, "
                              "unavailable."),
                  {"tenant", "outcome"}),
      admission_latency_(NewHistogram(*registry_, "mccig_admission_duration_seconds",
                                      "Time of one admission (the Redis script round trip).",
                                      kLatencyBuckets)),
      batch_rows_(NewHistogram(*registry_, "mccig_worker_batch_rows", "Events per stored batch.",
                               kBatchBuckets)),
      insert_latency_(NewHistogram(*registry_, "mccig_worker_insert_duration_seconds",
                                   "Time of one batch INSERT and commit.", kLatencyBuckets)),
      plugins_loaded_(prometheus::BuildGauge()
                          .Name("mccig_plugins_loaded")
                          .Help("Channel plugins serving routes.")
                          .Register(*registry_)
                          .Add({})),
      plugin_load_failures_(
          NewCounters(*registry_, "mccig_plugin_load_failures_total", "Plugins the loader refused.")
              .Add({})) {
  prometheus::BuildGauge()
      .Name("mccig_build_info")
      .Help("Always 1; the labels say what is running.")
      .Register(*registry_)
      .Add({{"version", MCCIG_VERSION}})
      .Set(1);
}

void Metrics::ObserveRequest(std::string_view route, std::string_view channel, int status) {
  char digits[12];
  const auto end = std::to_chars(digits, digits + sizeof digits, status).ptr;
  requests_.Get({route, channel, std::string_view(digits, end - digits)}).Increment();
}

void Metrics::ObserveAdmission(const std::string& tenant, std::string_view outcome, double seconds,
                               int64_t count) {
  admissions_.Get({tenants_->Label(tenant), outcome}).Increment(static_cast<double>(count));
  for (int64_t i = 0; i < count; ++i) admission_latency_.Observe(seconds);
}

void Metrics::SetPluginsLoaded(int count) {
  plugins_loaded_.Set(count);
}

void Metrics::CountPluginLoadFailures(int count) {
  plugin_load_failures_.Increment(count);
}

void Metrics::OnBatchStored(std::size_t rows, double insert_seconds) {
  batch_rows_.Observe(static_cast<double>(rows));
  insert_latency_.Observe(insert_seconds);
}

std::string Metrics::Render(const Snapshot& snapshot) const {
  std::vector<MetricFamily> families = registry_->Collect();
  if (snapshot.queue) AddQueue(*snapshot.queue, families);
  if (snapshot.worker != nullptr) AddWorker(*snapshot.worker, families);
  if (snapshot.stream) AddStream(*snapshot.stream, families);
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, families);
  return out.str();
}

}  // namespace mccig::ops
