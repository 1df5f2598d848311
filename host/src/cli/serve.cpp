// serve.cpp — `mccig serve` / `mccig run`: assemble the gateway and run it
// until SIGINT or SIGTERM.
//
// Signals are blocked before any thread starts (threads inherit the mask), so
// only the main thread's sigwait sees them; on one, the server stops
// accepting and finishes the requests in flight.
#include <csignal>
#include <iostream>

#include <spdlog/spdlog.h>

#include "admission/redis_admission.h"
#include "cli/commands.h"
#include "http/http_server.h"
#include "log/logging.h"
#include "redis/redis_url.h"

namespace mccig::cli {
namespace {

sigset_t BlockTerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

}  // namespace

int Serve(const std::string& config_path, bool with_worker) {
  const sigset_t signals = BlockTerminationSignals();
  std::optional<Loaded> loaded = LoadEverything(config_path);
  if (!loaded) return kExitUsage;
  const config::Config& config = loaded->config;
  log::Init(config.log_level);

  sdk::Result<redis::Endpoint> endpoint = redis::ParseRedisUrl(config.redis_url);
  if (!endpoint) {
    std::cerr << config_path << ": redis.url: " << endpoint.error().message << "\n";
    return kExitUsage;
  }
  redis::Pool pool(endpoint.value(),
                   redis::PoolOptions{.size = static_cast<std::size_t>(config.http_threads)});
  admission::RedisAdmission admission(pool, admission::AdmissionSettings::FromConfig(config));

  http::ServerContext context;
  context.registry.store(loaded->registry);
  context.admission = &admission;
  context.body_limit_bytes = config.body_limit_bytes;

  std::unique_ptr<http::HttpServer> server;
  try {
    server = std::make_unique<http::HttpServer>(
        http::ServerOptions{.host = config.listen_host,
                            .port = config.port,
                            .threads = config.http_threads,
                            .max_queued = config.http_max_queued},
        context);
  } catch (const std::exception& e) {
    spdlog::critical("cannot listen on {}:{}: {}", config.listen_host, config.port, e.what());
    return kExitFailure;
  }
  server->Start();
  spdlog::info("mccig {} listening on http://{}:{} (redis {}); plugins:", MCCIG_VERSION,
               config.listen_host, server->port(), endpoint.value().Describe());
  for (const auto& p : loaded->registry->plugins()) {
    const auto& info = p.plugin->Info();
    for (const auto& route : info.routes) {
      spdlog::info("  POST /v1/ingest/{} -> {} {} ({})", route, info.name, info.version, p.path);
    }
  }
  if (with_worker) {
    spdlog::warn("the worker is not part of this build yet: accepted events wait in {}",
                 "queue:conversations");
  }

  int signal = 0;
  sigwait(&signals, &signal);
  spdlog::info("received {}, draining", signal == SIGTERM ? "SIGTERM" : "SIGINT");
  server->Stop();
  spdlog::info("stopped");
  return kExitOk;
}

}  // namespace mccig::cli
