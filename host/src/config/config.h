// config.h — the gateway's configuration, as loaded from YAML and the
// environment (config_loader.h). Plain values; built once at start (or on
// reload) and then shared read-only between threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace mccig::config {

struct RateLimit {
  int64_t capacity = 100;         // bucket size: the largest burst
  double refill_per_second = 50;  // sustained rate
};

struct PluginEntry {
  // Must equal the name the plugin declares; empty accepts any (`mccig
  // plugin check`, which has no config). The config loader requires it.
  std::string name{};
  std::string path{};        // resolved: absolute, or relative to the working directory
  nlohmann::json options{};  // as written; validated against the plugin's table on load
  std::string key{};         // "plugins[0]": where errors point
};

struct Tenant {
  std::string id{};
  RateLimit rate_limit{};  // the global default unless the tenant sets its own
  // SHA-256 (lower-case hex) of each API key the tenant may use; the keys
  // themselves are never stored (`mccig key new` prints a key and its hash).
  std::vector<std::string> api_key_sha256{};
  // Plugin name -> the provider's signing secret (e.g. a Twilio auth token):
  // requests for that plugin must then carry a valid provider signature.
  std::map<std::string, std::string> signing_secrets{};
};

enum class AuthMode {
  kApiKey,  // every ingest request authenticates: an API key or a provider signature
  kNone,    // local development only: no authentication at all (warned at start)
};

struct Config {
  std::string source{};  // the file it came from

  std::string listen_host = "127.0.0.1";
  uint16_t port = 8080;
  std::size_t body_limit_bytes = 1 << 20;
  int http_threads = 16;             // handler threads for the routes that block
  int http_io_threads = 0;           // event-loop threads; 0: one per core
  int http_max_queued = 4096;        // requests waiting; past it, 503
  int http_max_connections = 8192;   // open HTTP connections; past it, 503
  int64_t read_timeout_ms = 10'000;  // a request body must arrive within this (408)
  // The gateway's public address as providers call it (scheme://host[:port]),
  // for signature checks behind a proxy; empty: http://<Host header>.
  std::string public_base_url{};

  // POST /v1/ingest/{route}/batch
  int batch_max_events = 1000;                   // more: 413
  std::size_t batch_max_body_bytes = 16u << 20;  // larger: 413

  // WebSocket ingest at /v1/stream
  bool stream_enabled = true;
  int stream_max_connections = 10'000;             // beyond: 503 before the upgrade
  int64_t stream_idle_timeout_ms = 60'000;         // no frame from the client for this long: closed
  std::size_t stream_max_message_bytes = 1 << 20;  // a larger message closes the connection (1009)
  int stream_max_in_flight =
      256;  // events awaiting their ack per connection; beyond, reading pauses

  AuthMode auth_mode = AuthMode::kApiKey;
  std::vector<std::string> admin_token_sha256{};  // for /v1/internal/*

  std::string redis_url = "redis://127.0.0.1:6379/0";
  std::string database_url = "postgresql://127.0.0.1:5432/mccig";

  int64_t idempotency_ttl_seconds = 86400;
  RateLimit rate_limit{};

  int worker_concurrency = 2;
  int worker_copy_sessions = 2;      // PostgreSQL sessions the consumers' COPYs share
  int worker_backlog_consumers = 1;  // more consumers, reading only while a backlog lasts
  int worker_max_retries = 5;
  int64_t worker_base_backoff_ms = 200;
  int64_t worker_max_backoff_ms = 30'000;         // cap on a transient failure's wait
  int worker_batch_size = 200;                    // events per XREADGROUP and INSERT
  int64_t worker_visibility_timeout_ms = 60'000;  // pending longer: reclaimed by another consumer
  int64_t worker_linger_ms = 5;                   // a read's wait for more after its first entry
  bool worker_batch_scheduling = true;            // worker.scheduling: batch (true) or normal

  bool internal_endpoints = false;
  bool cors_enabled = false;
  std::string cors_origin = "*";
  bool simulation_mode = false;

  std::string log_level = "info";
  std::string log_format = "json";  // json (one object per line) | text

  std::vector<PluginEntry> plugins{};
  std::vector<Tenant> tenants{};
};

}  // namespace mccig::config
