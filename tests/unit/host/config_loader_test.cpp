// Config: defaults, every key, environment overrides, and every error named
// with its file, line and key path.
#include "config/config_loader.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace mccig::config {
namespace {

namespace fs = std::filesystem;

class ConfigLoaderTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& yaml) {
    const fs::path path = dir_ / "mccig.yaml";
    std::ofstream(path) << yaml;
    return path.string();
  }
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("mccig-config-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

std::string AllErrors(const LoadResult& r) {
  return FormatErrors(r.errors);
}

TEST_F(ConfigLoaderTest, EmptyFileGivesDefaults) {
  const LoadResult r = LoadConfig(Write("{}\n"), {});
  ASSERT_TRUE(r.ok()) << AllErrors(r);
  EXPECT_EQ(r.config.port, 8080);
  EXPECT_EQ(r.config.body_limit_bytes, 1u << 20);
  EXPECT_EQ(r.config.idempotency_ttl_seconds, 86400);
  EXPECT_EQ(r.config.rate_limit.capacity, 100);
  EXPECT_EQ(r.config.rate_limit.refill_per_second, 50);
  EXPECT_FALSE(r.config.internal_endpoints);
  EXPECT_TRUE(r.config.worker_batch_scheduling);
  EXPECT_EQ(r.config.worker_copy_sessions, 2);
  EXPECT_EQ(r.config.worker_backlog_consumers, 1);
}

TEST_F(ConfigLoaderTest, ReadsEveryKey) {
  const LoadResult r = LoadConfig(Write(R"(
server: {listen: "0.0.0.0:9000", body_limit_bytes: 2048, threads: 4, max_queued: 10}
redis: {url: "redis://127.0.0.1:7000/1"}
postgres: {url: "postgresql://u@127.0.0.1:6000/db"}
idempotency: {ttl_seconds: 60}
rate_limit: {capacity: 10, refill_per_second: 2.5}
worker: {concurrency: 3, backlog_consumers: 2, copy_sessions: 2, max_retries: 7, base_backoff_ms: 50, max_backoff_ms: 900,
         batch_size: 25, visibility_timeout_ms: 5000, linger_ms: 2, scheduling: normal}
internal_endpoints: {enabled: true}
cors: {enabled: true, origin: "http://console.local"}
simulation: {enabled: true}
log: {level: debug}
plugin_dir: plugins
plugins:
  - name: sms
    path: libmccig_sms.so
    options: {a: 1, b: "x", c: true}
  - name: chat
    path: /abs/libmccig_chat.so
tenants:
  - id: acme
  - id: globex
    rate_limit: {capacity: 5, refill_per_second: 1}
)"),
                                  {});
  ASSERT_TRUE(r.ok()) << AllErrors(r);
  const Config& c = r.config;
  EXPECT_EQ(c.listen_host, "0.0.0.0");
  EXPECT_EQ(c.port, 9000);
  EXPECT_EQ(c.body_limit_bytes, 2048u);
  EXPECT_EQ(c.http_threads, 4);
  EXPECT_EQ(c.redis_url, "redis://127.0.0.1:7000/1");
  EXPECT_EQ(c.worker_max_retries, 7);
  EXPECT_EQ(c.worker_concurrency, 3);
  EXPECT_EQ(c.worker_backlog_consumers, 2);
  EXPECT_EQ(c.worker_copy_sessions, 2);
  EXPECT_EQ(c.worker_base_backoff_ms, 50);
  EXPECT_EQ(c.worker_max_backoff_ms, 900);
  EXPECT_EQ(c.worker_batch_size, 25);
  EXPECT_EQ(c.worker_visibility_timeout_ms, 5000);
  EXPECT_EQ(c.worker_linger_ms, 2);
  EXPECT_FALSE(c.worker_batch_scheduling);
  EXPECT_TRUE(c.cors_enabled);
  EXPECT_EQ(c.cors_origin, "http://console.local");
  ASSERT_EQ(c.plugins.size(), 2u);
  EXPECT_EQ(c.plugins[0].path, (dir_ / "plugins" / "libmccig_sms.so").string());
  EXPECT_EQ(c.plugins[0].options, (nlohmann::json{{"a", 1}, {"b", "x"}, {"c", true}}));
  EXPECT_EQ(c.plugins[1].path, "/abs/libmccig_chat.so");
  ASSERT_EQ(c.tenants.size(), 2u);
  EXPECT_EQ(c.tenants[0].rate_limit.capacity, 10) << "inherits the global limit";
  EXPECT_EQ(c.tenants[1].rate_limit.capacity, 5);
}

TEST_F(ConfigLoaderTest, BatchAndStreamSettings) {
  const LoadResult defaults = LoadConfig(Write("{}\n"), {});
  EXPECT_EQ(defaults.config.batch_max_events, 1000);
  EXPECT_TRUE(defaults.config.stream_enabled);
  EXPECT_EQ(defaults.config.stream_max_connections, 10'000);
  EXPECT_EQ(defaults.config.stream_max_in_flight, 256);

  const LoadResult r = LoadConfig(Write(R"(batch: {max_events: 50, max_body_bytes: 65536}
stream:
  enabled: false
  max_connections: 20000
  idle_timeout_ms: 5000
  max_message_bytes: 4096
  max_in_flight: 8
)"),
                                  {});
  ASSERT_TRUE(r.ok()) << AllErrors(r);
  EXPECT_EQ(r.config.batch_max_events, 50);
  EXPECT_EQ(r.config.batch_max_body_bytes, 65536u);
  EXPECT_FALSE(r.config.stream_enabled);
  EXPECT_EQ(r.config.stream_max_connections, 20'000);
  EXPECT_EQ(r.config.stream_idle_timeout_ms, 5000);
  EXPECT_EQ(r.config.stream_max_message_bytes, 4096u);
  EXPECT_EQ(r.config.stream_max_in_flight, 8);

  const LoadResult bad =
      LoadConfig(Write("batch: {max_events: 0}\nstream: {idle_timeout_ms: 10, colour: 1}\n"), {});
  const std::string errors = AllErrors(bad);
  EXPECT_NE(errors.find("batch.max_events"), std::string::npos) << errors;
  EXPECT_NE(errors.find("stream.idle_timeout_ms"), std::string::npos) << errors;
  EXPECT_NE(errors.find("stream.colour: unknown key"), std::string::npos) << errors;
}

TEST_F(ConfigLoaderTest, EnvironmentOverridesTheFile) {
  const LoadResult r =
      LoadConfig(Write("server: {listen: \"127.0.0.1:1\"}\nrate_limit: {capacity: 9}\n"
                       "tenants: [{id: acme}]\nplugins: [{name: sms, path: x.so}]\n"),
                 {{"PORT", "8181"},
                  {"REDIS_URL", "redis://10.0.0.1:6390/0"},
                  {"DATABASE_URL", "postgres://x@h/db"},
                  {"IDEMPOTENCY_TTL_SECONDS", "30"},
                  {"RATE_LIMIT_CAPACITY", "7"},
                  {"RATE_LIMIT_REFILL_RATE", "0.5"},
                  {"WORKER_MAX_RETRIES", "2"},
                  {"WORKER_BASE_BACKOFF_MS", "10"},
                  {"WORKER_CONCURRENCY", "4"},
                  {"WORKER_COPY_SESSIONS", "3"},
                  {"ENABLE_INTERNAL_ENDPOINTS", "true"},
                  {"ENABLE_CORS", "1"},
                  {"CORS_ORIGIN", "http://x"},
                  {"ENABLE_SIMULATION_MODE", "yes"},
                  {"MCCIG_PLUGIN_DIR", "/opt/plugins"}});
  ASSERT_TRUE(r.ok()) << AllErrors(r);
  const Config& c = r.config;
  EXPECT_EQ(c.port, 8181);
  EXPECT_EQ(c.redis_url, "redis://10.0.0.1:6390/0");
  EXPECT_EQ(c.database_url, "postgres://x@h/db");
  EXPECT_EQ(c.idempotency_ttl_seconds, 30);
  EXPECT_EQ(c.rate_limit.capacity, 7);
  EXPECT_EQ(c.rate_limit.refill_per_second, 0.5);
  EXPECT_EQ(c.tenants[0].rate_limit.capacity, 7) << "tenants inherit the overridden default";
  EXPECT_EQ(c.worker_max_retries, 2);
  EXPECT_EQ(c.worker_base_backoff_ms, 10);
  EXPECT_EQ(c.worker_concurrency, 4);
  EXPECT_EQ(c.worker_copy_sessions, 3);
  EXPECT_TRUE(c.internal_endpoints);
  EXPECT_TRUE(c.cors_enabled);
  EXPECT_TRUE(c.simulation_mode);
  EXPECT_EQ(c.plugins[0].path, "/opt/plugins/x.so");
}

TEST_F(ConfigLoaderTest, ReportsEveryErrorWithItsKeyPathAndLine) {
  const std::string path = Write(R"(server:
  listen: "nowhere"
  threads: 0
  colour: blue
rate_limit: {capacity: -1, refill_per_second: 0}
redis: {url: "http://x"}
log: {level: loud}
worker: {copy_sessions: 0, backlog_consumers: -1}
plugins:
  - name: sms
  - path: x.so
tenants:
  - id: "bad id"
  - id: ok
  - id: ok
unknown_top: 1
)");
  const LoadResult r = LoadConfig(path, {{"PORT", "http"}, {"ENABLE_CORS", "maybe"}});
  const std::string all = AllErrors(r);
  for (const std::string& expected : std::vector<std::string>{
           path + ":2: server.listen: must be HOST:PORT",
           path + ":3: server.threads: must be an integer from 1 to 1024",
           path + ":4: server.colour: unknown key (expected one of: listen, body_limit_bytes",
           "rate_limit.capacity: must be an integer >= 1",
           "rate_limit.refill_per_second: must be a number > 0",
           "redis.url: must be redis://",
           "log.level: must be one of trace",
           "worker.copy_sessions: must be an integer from 1 to 64",
           "worker.backlog_consumers: must be an integer from 0 to 64",
           "plugins[0].path: required",
           "plugins[1].name: required",
           "tenants[0].id: must be 1-64 letters",
           "tenants[2].id: duplicate tenant id 'ok'",
           "unknown_top: unknown key",
           "environment: PORT: must be an integer from 0 to 65535, got 'http'",
           "environment: ENABLE_CORS: must be true or false, got 'maybe'",
       }) {
    EXPECT_NE(all.find(expected), std::string::npos) << "missing: " << expected << "\nin:\n" << all;
  }
}

TEST_F(ConfigLoaderTest, SyntaxErrorsAndMissingFiles) {
  const LoadResult broken = LoadConfig(Write("server: [1,\n"), {});
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(AllErrors(broken).find("not valid YAML"), std::string::npos);
  const LoadResult missing = LoadConfig((dir_ / "absent.yaml").string(), {});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(AllErrors(missing).find("cannot read the file"), std::string::npos);
}

TEST_F(ConfigLoaderTest, ReadsAuthKeysAndSigningSecrets) {
  const std::string digest(64, 'a');
  const LoadResult r = LoadConfig(Write(R"(
server: {public_base_url: "https://gw.example.com"}
auth: {mode: api_key, admin_token_sha256: [")" +
                                        digest + R"("]}
tenants:
  - id: acme
    api_keys_sha256: [")" + std::string(64, 'B') +
                                        R"("]
    signing_secrets:
      sms: {auth_token_env: ACME_TOKEN}
      chat: {auth_token: "inline"}
)"),
                                  {{"ACME_TOKEN", "from-env"}});
  ASSERT_TRUE(r.ok()) << AllErrors(r);
  EXPECT_EQ(r.config.auth_mode, AuthMode::kApiKey);
  EXPECT_EQ(r.config.public_base_url, "https://gw.example.com");
  EXPECT_EQ(r.config.admin_token_sha256, std::vector<std::string>{digest});
  EXPECT_EQ(r.config.tenants[0].api_key_sha256, std::vector<std::string>{std::string(64, 'b')});
  EXPECT_EQ(r.config.tenants[0].signing_secrets.at("sms"), "from-env");
  EXPECT_EQ(r.config.tenants[0].signing_secrets.at("chat"), "inline");
}

TEST_F(ConfigLoaderTest, WorkerSchedulingIsBatchOrNormal) {
  const LoadResult r = LoadConfig(Write("worker:\n  scheduling: idle\n"), {});
  EXPECT_NE(AllErrors(r).find(":2: worker.scheduling: must be batch or normal"), std::string::npos)
      << AllErrors(r);
}

TEST_F(ConfigLoaderTest, AuthErrorsNameTheKey) {
  const LoadResult r = LoadConfig(Write(R"(
server: {public_base_url: "gw.example.com/"}
auth: {mode: open}
tenants:
  - id: acme
    api_keys_sha256: [not-a-digest]
    signing_secrets:
      sms: {auth_token_env: MISSING_VAR}
)"),
                                  {});
  const std::string errors = AllErrors(r);
  EXPECT_NE(errors.find(":2: server.public_base_url: must be scheme://"), std::string::npos)
      << errors;
  EXPECT_NE(errors.find(":3: auth.mode: must be api_key or none"), std::string::npos) << errors;
  EXPECT_NE(errors.find(":6: tenants[0].api_keys_sha256[0]: must be a SHA-256 digest"),
            std::string::npos)
      << errors;
  EXPECT_NE(errors.find("tenants[0].signing_secrets.sms.auth_token_env: the environment "
                        "variable MISSING_VAR is not set"),
            std::string::npos)
      << errors;
}

TEST_F(ConfigLoaderTest, LogFormat) {
  EXPECT_EQ(LoadConfig(Write("{}\n"), {}).config.log_format, "json");
  EXPECT_EQ(LoadConfig(Write("log: {format: text}\n"), {}).config.log_format, "text");
  EXPECT_EQ(LoadConfig(Write("{}\n"), {{"LOG_FORMAT", "text"}}).config.log_format, "text");
  const LoadResult bad = LoadConfig(Write("log: {format: xml}\n"), {});
  EXPECT_NE(AllErrors(bad).find("log.format: must be json or text"), std::string::npos)
      << AllErrors(bad);
}

TEST_F(ConfigLoaderTest, AuthDefaultsToApiKeys) {
  const LoadResult r = LoadConfig(Write("{}\n"), {});
  EXPECT_EQ(r.config.auth_mode, AuthMode::kApiKey);
  const LoadResult none = LoadConfig(Write("auth: {mode: none}\n"), {});
  EXPECT_EQ(none.config.auth_mode, AuthMode::kNone);
}

TEST(SampleConfig, ShipsValid) {
  const LoadResult r = LoadConfig(std::string(MCCIG_REPO_DIR) + "/config/mccig.yaml", {});
  EXPECT_TRUE(r.ok()) << AllErrors(r);
  EXPECT_EQ(r.config.plugins.size(), 3u);
}

}  // namespace
}  // namespace mccig::config
