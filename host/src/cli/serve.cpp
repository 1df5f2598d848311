// serve.cpp — `mccig serve` (HTTP), `mccig worker` (queue → PostgreSQL) and
// `mccig run` (both in one process): assemble the parts and run until
// SIGINT or SIGTERM.
//
// Signals are blocked before any thread starts (threads inherit the mask), so
// only the main thread's sigwait sees them. On one, the HTTP server stops
// accepting and finishes the requests in flight, then the worker finishes
// its batches and acks them; the process exits 0.
#include <sys/resource.h>

#include <csignal>
#include <iostream>
#include <set>

#include <spdlog/spdlog.h>

#include "admission/redis_admission.h"
#include "auth/authenticator.h"
#include "cli/commands.h"
#include "http/http_server.h"
#include "ingest/ingest_pipeline.h"
#include "log/logging.h"
#include "redis/redis_url.h"
#include "store/event_queries.h"
#include "store/migrations.h"
#include "store/pg_event_store.h"
#include "stream/stream_server.h"
#include "worker/worker.h"

namespace mccig::cli {
namespace {

sigset_t BlockTerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

// The gateway alone applies migrations once, best effort: it writes nothing
// to PostgreSQL, and a worker applies them before its first insert anyway.
void TryMigrate(const std::string& database_url) {
  store::Connection connection(database_url);
  auto conn = connection.Get();
  auto applied =
      conn ? store::Migrate(*conn.value()) : sdk::Result<std::vector<std::string>>(conn.error());
  if (!applied) {
    spdlog::warn("migrations not applied yet: {}", applied.error().message);
    return;
  }
  for (const auto& name : applied.value()) spdlog::info("applied migration {}", name);
}

void WarnAboutAuth(const config::Config& config) {
  if (config.auth_mode == config::AuthMode::kNone) {
    spdlog::warn(
        "auth.mode is none: anyone who reaches this port can ingest for any tenant and "
        "use the internal endpoints; for local development only");
    return;
  }
  bool any = false;
  for (const auto& t : config.tenants) {
    any = any || !t.api_key_sha256.empty() || !t.signing_secrets.empty();
  }
  if (!any) {
    spdlog::warn(
        "no tenant has an API key or a signing secret: every ingest request will get "
        "401 (add api_keys_sha256 from `mccig key new`)");
  }
  if (config.internal_endpoints && config.admin_token_sha256.empty()) {
    spdlog::warn(
        "internal endpoints are enabled but auth.admin_token_sha256 is empty: they will "
        "answer 401");
  }
}

void LogRoutes(const plugins::PluginRegistry& registry) {
  for (const auto& p : registry.plugins()) {
    const auto& info = p.plugin->Info();
    for (const auto& route : info.routes) {
      spdlog::info("  POST /v1/ingest/{} -> {} {} ({})", route, info.name, info.version, p.path);
    }
  }
}

}  // namespace

namespace {

// Everything one process runs, in construction order (destroyed in
// reverse: the server and worker stop before what they use goes away).
class Gateway {
 public:
  Gateway(const config::Config& config, std::shared_ptr<const plugins::PluginRegistry> registry,
          const redis::Endpoint& endpoint, Roles roles)
      : config_(config),
        pool_(endpoint, redis::PoolOptions{.size = PoolSize(config, roles)}),
        queue_(pool_),
        queries_(config.database_url),
        admission_(pool_, admission::AdmissionSettings::FromConfig(config)),
        tenant_labels_(std::make_shared<ops::TenantLabels>(TenantIds(config))),
        metrics_(tenant_labels_),
        traffic_(tenant_labels_, ingest::NowMs()) {
    if (config.auth_mode == config::AuthMode::kApiKey) {
      authenticator_ = std::make_unique<auth::Authenticator>(config);
    }
    metrics_.SetPluginsLoaded(static_cast<int>(registry->plugins().size()));
    context_.registry.store(std::move(registry));
    context_.admission = &admission_;
    context_.auth = authenticator_.get();
    context_.metrics = &metrics_;
    context_.traffic = &traffic_;
    context_.config.store(std::make_shared<const config::Config>(config));
    context_.public_base_url = config.public_base_url;
    context_.cors = http::CorsPolicy(config.cors_enabled, config.cors_origin);
    context_.body_limit_bytes = config.body_limit_bytes;
    context_.batch_max_events = config.batch_max_events;
    context_.batch_max_body_bytes = config.batch_max_body_bytes;
    context_.simulation_mode = config.simulation_mode;
    context_.internal_endpoints = config.internal_endpoints;
    context_.queue = &queue_;
    context_.queries = &queries_;
    if (roles.worker) {
      const worker::WorkerOptions options = worker::WorkerOptions::FromConfig(config);
      worker_ = std::make_unique<worker::Worker>(
          queue_,
          store::PgEventStores(config.database_url, config.worker_copy_sessions,
                               options.backlog_rows()),
          options);
      worker_->set_observer(&metrics_);
      context_.worker_stats = &worker_->stats();
    }
  }

  // Throws when the address cannot be bound.
  void StartHttp() {
    if (config_.stream_enabled) {
      stream_ = std::make_unique<stream::StreamServer>(
          context_, stream::StreamOptions{
                        .max_connections = config_.stream_max_connections,
                        .idle_timeout = std::chrono::milliseconds(config_.stream_idle_timeout_ms),
                        .max_message_bytes = config_.stream_max_message_bytes,
                        .max_in_flight = config_.stream_max_in_flight});
      context_.stream = stream_.get();
    }
    server_ = std::make_unique<http::HttpServer>(
        http::ServerOptions{.host = config_.listen_host,
                            .port = config_.port,
                            .io_threads = config_.http_io_threads,
                            .threads = config_.http_threads,
                            .max_queued = config_.http_max_queued,
                            .max_connections = config_.http_max_connections,
                            .read_timeout_ms = config_.read_timeout_ms},
        context_);
    server_->Start();
  }
  void StartWorker() {
    if (worker_) worker_->Start();
  }
  // The server first: no new request while the worker finishes its batch.
  void Stop() {
    if (server_) server_->Stop();
    if (stream_) stream_->Stop();
    if (worker_) worker_->Stop();
  }
  uint16_t port() const { return server_ ? server_->port() : 0; }

  // A refused reload: the plugin lines among its errors count as failures.
  void RecordRefusedReload(const std::vector<std::string>& errors) {
    int plugin_errors = 0;
    for (const auto& e : errors) plugin_errors += e.find("plugins[") != std::string::npos;
    metrics_.CountPluginLoadFailures(plugin_errors);
  }

  // Applies what can change while running: plugins (requests in flight
  // finish on the old registry, whose libraries stay loaded until then),
  // tenant limits, keys and secrets. Settings that need a restart are
  // named in the log and keep their running values.
  void Apply(const Loaded& fresh) {
    const config::Config& next = fresh.config;
    context_.registry.store(fresh.registry);
    metrics_.SetPluginsLoaded(static_cast<int>(fresh.registry->plugins().size()));
    tenant_labels_->Set(TenantIds(next));
    context_.config.store(std::make_shared<const config::Config>(next));
    admission_.UpdateSettings(admission::AdmissionSettings::FromConfig(next));
    if (authenticator_) authenticator_->Reload(next);
    for (const char* key : ChangedRestartOnly(config_, next)) {
      spdlog::warn("reload: {} changed; it takes effect at the next restart", key);
    }
  }

 private:
  static std::size_t PoolSize(const config::Config& c, Roles roles) {
    // One lease per handler thread, one each for the HTTP server's and
    // the stream's admission batchers, one per consumer (its blocking
    // read), one spare.
    return static_cast<std::size_t>((roles.http ? c.http_threads + 2 : 0) +
                                    (roles.worker ? c.worker_concurrency : 0) + 1);
  }
  static std::vector<const char*> ChangedRestartOnly(const config::Config& a,
                                                     const config::Config& b) {
    std::vector<const char*> changed;
    if (a.listen_host != b.listen_host || a.port != b.port) changed.push_back("server.listen");
    if (a.http_threads != b.http_threads) changed.push_back("server.threads");
    if (a.http_io_threads != b.http_io_threads) changed.push_back("server.io_threads");
    if (a.http_max_connections != b.http_max_connections) {
      changed.push_back("server.max_connections");
    }
    if (a.redis_url != b.redis_url) changed.push_back("redis.url");
    if (a.database_url != b.database_url) changed.push_back("postgres.url");
    if (a.auth_mode != b.auth_mode) changed.push_back("auth.mode");
    if (a.worker_concurrency != b.worker_concurrency) changed.push_back("worker.concurrency");
    if (a.worker_backlog_consumers != b.worker_backlog_consumers) {
      changed.push_back("worker.backlog_consumers");
    }
    if (a.worker_copy_sessions != b.worker_copy_sessions) {
      changed.push_back("worker.copy_sessions");
    }
    return changed;
  }
  static std::set<std::string> TenantIds(const config::Config& c) {
    std::set<std::string> ids;
    for (const auto& t : c.tenants) ids.insert(t.id);
    return ids;
  }

  const config::Config& config_;
  redis::Pool pool_;
  queue::StreamQueue queue_;
  store::EventQueries queries_;
  admission::RedisAdmission admission_;
  std::shared_ptr<ops::TenantLabels> tenant_labels_;  // shared by metrics_ and traffic_
  ops::Metrics metrics_;
  ops::Traffic traffic_;
  std::unique_ptr<auth::Authenticator> authenticator_;
  http::ServerContext context_;
  std::unique_ptr<worker::Worker> worker_;
  std::unique_ptr<stream::StreamServer> stream_;
  std::unique_ptr<http::HttpServer> server_;
};

// Each stream connection is a descriptor: lift the soft limit to the hard
// one (what `ulimit -n` could do) and say so when it is still too low.
void RaiseDescriptorLimit(const config::Config& config) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
  const auto needed =
      static_cast<rlim_t>((config.stream_enabled ? config.stream_max_connections : 0) +
                          config.http_max_connections + 64);
  if (limit.rlim_cur < needed) {
    spdlog::warn(
        "open-file limit {} is below the {} that server.max_connections {} and "
        "stream.max_connections {} need; raise it (ulimit -n) or lower them",
        limit.rlim_cur, needed, config.http_max_connections, config.stream_max_connections);
  }
}

}  // namespace

int Serve(const std::string& config_path, Roles roles) {
  const sigset_t signals = BlockTerminationSignals();
  std::optional<Loaded> loaded = LoadEverything(config_path);
  if (!loaded) return kExitUsage;
  const config::Config& config = loaded->config;
  log::Init(config.log_level, config.log_format);

  sdk::Result<redis::Endpoint> endpoint = redis::ParseRedisUrl(config.redis_url);
  if (!endpoint) {
    std::cerr << config_path << ": redis.url: " << endpoint.error().message << "\n";
    return kExitUsage;
  }
  Gateway gateway(config, loaded->registry, endpoint.value(), roles);
  if (roles.http) {
    RaiseDescriptorLimit(config);
    if (!roles.worker) TryMigrate(config.database_url);
    try {
      gateway.StartHttp();
    } catch (const std::exception& e) {
      spdlog::critical("cannot listen on {}:{}: {}", config.listen_host, config.port, e.what());
      return kExitFailure;
    }
    spdlog::info("mccig {} listening on http://{}:{} (redis {}); plugins:", MCCIG_VERSION,
                 config.listen_host, gateway.port(), endpoint.value().Describe());
    LogRoutes(*loaded->registry);
    WarnAboutAuth(config);
    if (config.simulation_mode) {
      spdlog::warn("simulation mode is on: X-Simulate-Failure is honoured");
    }
  }
  if (roles.worker) {
    gateway.StartWorker();
    spdlog::info("worker writing to {}", store::RedactUrl(config.database_url));
  }

  int signal = 0;
  while (sigwait(&signals, &signal) == 0 && signal == SIGHUP) {
    std::vector<std::string> errors;
    std::optional<Loaded> fresh = TryLoadEverything(config_path, errors);
    if (!fresh) {
      for (const auto& e : errors) spdlog::error("reload refused: {}", e);
      gateway.RecordRefusedReload(errors);
      spdlog::error("reload refused: {} error(s); still serving the running config", errors.size());
      continue;
    }
    gateway.Apply(*fresh);
    spdlog::info("reloaded {}: {} plugins, {} tenants", config_path,
                 fresh->registry->plugins().size(), fresh->config.tenants.size());
  }
  spdlog::info("received {}, draining", signal == SIGTERM ? "SIGTERM" : "SIGINT");
  gateway.Stop();
  spdlog::info("stopped");
  return kExitOk;
}

}  // namespace mccig::cli
