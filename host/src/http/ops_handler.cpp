// ops_handler.cpp — see ops_handler.h.
#include "http/ops_handler.h"

#include <chrono>

#include "http/openapi.h"
#include "store/migrations.h"
#include "stream/stream_server.h"

namespace mccig::http {
namespace {

using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

struct Readiness {
  bool ready = true;
  nlohmann::json checks = nlohmann::json::object();
  std::optional<queue::QueueStats> queue;
};

Readiness Check(ServerContext& context) {
  Readiness r;
  const auto fail = [&r](const char* name, std::string error) {
    r.ready = false;
    r.checks[name] = {{"ok", false}, {"error", std::move(error)}};
  };
  if (context.queue != nullptr) {
    const auto start = Clock::now();
    auto stats = context.queue->Stats();
    if (stats) {
      r.queue = stats.value();
      r.checks["redis"] = {{"ok", true}, {"latency_ms", MsSince(start)}};
    } else {
      fail("redis", stats.error().message);
    }
  }
  if (context.queries != nullptr) {
    const auto start = Clock::now();
    auto version = context.queries->SchemaVersion();
    const int latest = store::Migrations().back().version;
    if (!version) {
      fail("postgres", version.error().message);
    } else if (version.value() < latest) {
      fail("postgres", "schema at version " + std::to_string(version.value()) + ", " +
                           std::to_string(latest) + " expected: run mccig migrate");
    } else {
      r.checks["postgres"] = {
          {"ok", true}, {"latency_ms", MsSince(start)}, {"schema_version", version.value()}};
    }
  }
  const auto registry = context.registry.load();
  const std::size_t plugins = registry ? registry->plugins().size() : 0;
  if (plugins == 0) {
    fail("plugins", "no channel plugin is loaded");
  } else {
    r.checks["plugins"] = {{"ok", true}, {"loaded", plugins}};
  }
  return r;
}

Reply Ready(ServerContext& context, bool with_summary) {
  Readiness r = Check(context);
  Reply reply{.status = r.ready ? 200 : 503,
              .body = {{"status", r.ready ? "ready" : "not_ready"}, {"checks", r.checks}}};
  if (!with_summary) return reply;
  reply.body["status"] = r.ready ? "ok" : "degraded";
  nlohmann::json summary = {{"version", MCCIG_VERSION}};
  if (r.queue) {
    summary["queue_length"] = r.queue->length;
    summary["queue_pending"] = r.queue->pending;
    summary["queue_oldest_age_seconds"] = static_cast<double>(r.queue->oldest_age_ms) / 1000.0;
    summary["dlq_size"] = r.queue->dead_letters;
  }
  if (const worker::WorkerStats* w = context.worker_stats) {
    summary["worker"] = {{"stored", w->stored.load()},
                         {"retries", w->retries.load()},
                         {"dead_lettered", w->dead_lettered.load()}};
  }
  reply.body["summary"] = std::move(summary);
  return reply;
}

Reply MetricsText(ServerContext& context) {
  ops::Snapshot snapshot{.worker = context.worker_stats};
  if (context.stream != nullptr) {
    snapshot.stream = ops::StreamStats{.connections = context.stream->connections(),
                                       .owed_answers = context.stream->owed_answers()};
  }
  if (context.queue != nullptr) {
    if (auto stats = context.queue->Stats()) snapshot.queue = stats.value();
  }
  Reply reply{.status = 200};
  reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
  reply.text = context.metrics->Render(snapshot);
  return reply;
}

Reply ApiDocument(ServerContext& context) {
  const ApiSurface surface{.api_keys = context.auth != nullptr && context.auth->required(),
                           .stream = context.stream != nullptr,
                           .internal = context.internal_endpoints,
                           .batch_max_events = context.batch_max_events,
                           .server_url = context.public_base_url};
  const auto registry = context.registry.load();
  static const std::vector<plugins::LoadedPlugin> kNone;
  return Reply{.status = 200,
               .body = OpenApiDocument(registry ? registry->plugins() : kNone, surface)};
}

}  // namespace

std::optional<Reply> HandleOps(ServerContext& context, std::string_view path) {
  if (path == "/healthz") return Reply{.status = 200, .body = {{"status", "ok"}}};
  if (path == "/readyz") return Ready(context, false);
  if (path == "/health") return Ready(context, true);
  if (path == "/metrics" && context.metrics != nullptr) return MetricsText(context);
  if (path == "/openapi.json") return ApiDocument(context);
  return std::nullopt;
}

}  // namespace mccig::http
