// server_context.h — what request handlers share: the plugin registry, the
// admission stage and the limits. The registry is swapped atomically on
// reload; each request takes its own reference, so a request that started on
// the old registry finishes on it.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>

#include "admission/admission.h"
#include "auth/authenticator.h"
#include "config/config.h"
#include "http/cors.h"
#include "ops/metrics.h"
#include "ops/traffic.h"
#include "plugins/plugin_registry.h"
#include "queue/stream_queue.h"
#include "store/event_queries.h"

namespace mccig::stream {
class StreamServer;
}

namespace mccig::http {

struct ServerContext {
  std::atomic<std::shared_ptr<const plugins::PluginRegistry>> registry{};
  admission::Admission* admission = nullptr;  // not owned; outlives the server
  std::size_t body_limit_bytes = 1 << 20;
  int batch_max_events = 1000;                        // /batch: more events get 413
  std::size_t batch_max_body_bytes = 16u << 20;       // /batch: a larger body gets 413
  ops::Metrics* metrics = nullptr;                    // not owned; null: no /metrics
  const worker::WorkerStats* worker_stats = nullptr;  // when this process runs the worker
  CorsPolicy cors{};                                  // disabled unless configured
  // Null: no authentication at all (auth.mode none, or tests of other parts).
  const auth::Authenticator* auth = nullptr;
  // server.public_base_url; empty: http://<Host header>.
  std::string public_base_url{};
  // ENABLE_SIMULATION_MODE: honour X-Simulate-Failure (ignored when false).
  bool simulation_mode = false;
  // ENABLE_INTERNAL_ENDPOINTS: serve /v1/internal/* (a 404 otherwise).
  bool internal_endpoints = false;
  queue::StreamQueue* queue = nullptr;     // not owned; for the DLQ endpoints
  store::EventQueries* queries = nullptr;  // not owned; for the count endpoint
  ops::Traffic* traffic = nullptr;         // not owned; null: no traffic views
  stream::StreamServer* stream = nullptr;  // not owned; null: /v1/stream is off
  // The running configuration (tenants and limits for the operator views);
  // swapped on reload like the registry.
  std::atomic<std::shared_ptr<const config::Config>> config{};
};

}  // namespace mccig::http
