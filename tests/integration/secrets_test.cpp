// No secret ever reaches a log line or an answer: a real `mccig run` with
// every kind of secret configured (a Redis password and a PostgreSQL
// password in the URLs, tenant API keys, an admin token, a provider signing
// secret from the environment) serves good and bad requests at debug level,
// /metrics and /health included,
// while PostgreSQL is unreachable (so connection errors are logged too);
// then the log and every answer are searched for each secret.
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include <mccig/sdk/twilio.h>

#include "auth/crypto.h"
#include "support/http_client.h"
#include "support/plugins.h"
#include "support/ports.h"
#include "support/process.h"
#include "support/redis_server.h"

namespace mccig {
namespace {

const std::vector<std::string> kSecrets = {"redis-Pw-7781",  "pg-Pw-5521",      "tenant-Key-9931",
                                           "admin-Tok-4411", "twilio-Tok-3310", "wrong-Key-0000"};

TEST(Secrets, NeverInLogsOrAnswers) {
  testing::RedisServer redis({.password = "redis-Pw-7781"});
  const std::string dir = ::testing::TempDir();
  const std::string config = dir + "/secrets-run.yaml";
  std::ofstream(config) << "plugin_dir: " << MCCIG_PLUGIN_BUILD_DIR << "\n"
                        << "plugins:\n  - {name: sms, path: libmccig_sms.so}\n"
                        << "auth:\n  admin_token_sha256: [" << auth::Sha256Hex("admin-Tok-4411")
                        << "]\n"
                        << "tenants:\n  - id: acme\n    api_keys_sha256: ["
                        << auth::Sha256Hex("tenant-Key-9931") << "]\n"
                        << "  - id: globex\n    signing_secrets:\n"
                        << "      sms: {auth_token_env: GLOBEX_TOKEN}\n";
  const uint16_t port = testing::FreePort();
  const std::string log = dir + "/secrets-run.log";
  std::remove(log.c_str());
  const pid_t gateway = testing::Spawn(
      {MCCIG_BINARY, "run", "--config", config},
      {"PORT=" + std::to_string(port), "LOG_LEVEL=debug", "ENABLE_INTERNAL_ENDPOINTS=true",
       "ENABLE_SIMULATION_MODE=true", "GLOBEX_TOKEN=twilio-Tok-3310",
       "REDIS_URL=redis://:redis-Pw-7781@127.0.0.1:" + std::to_string(redis.port()) + "/0",
       "DATABASE_URL=postgresql://mccig:pg-Pw-5521@127.0.0.1:" +
           std::to_string(testing::FreePort()) + "/mccig"},
      log);

  std::vector<testing::HttpResult> answers;
  const auto call = [&](const std::string& method, const std::string& path, const std::string& body,
                        const std::string& type, std::map<std::string, std::string> headers) {
    for (int i = 0; i < 100; ++i) {
      try {
        answers.push_back(testing::HttpCall(port, method, path, body, type, headers));
        return answers.back().status;
      } catch (const std::exception&) {  // not listening yet
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
    return 0;
  };
  const std::string sms =
      R"({"tenant_id":"acme","From":"+1555","To":"+1556","Body":"hi","MessageSid":"SM1"})";
  EXPECT_EQ(call("POST", "/v1/ingest/sms", sms, "application/json",
                 {{"Authorization", "Bearer tenant-Key-9931"}, {"X-Request-Id", "req-77"}}),
            201);
  EXPECT_EQ(answers.back().headers.at("X-Request-Id"), "req-77");
  EXPECT_EQ(call("POST", "/v1/ingest/sms", sms, "application/json",
                 {{"Authorization", "Bearer wrong-Key-0000"}}),
            401);
  EXPECT_EQ(call("POST", "/v1/ingest/sms", sms, "application/json",
                 {{"X-API-Key", "tenant-Key-9931"}, {"X-Simulate-Failure", "worker"}}),
            200);
  const std::string path = "/v1/ingest/sms?tenant_id=globex";
  const std::string form = "From=1&To=2&Body=x&MessageSid=SM2";
  const auto& crypto = auth::HostCryptoTable();
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + path;
  EXPECT_EQ(call("POST", path, form, "application/x-www-form-urlencoded",
                 {{"X-Twilio-Signature",
                   crypto.base64(crypto.hmac("sha1", "twilio-Tok-3310",
                                             sdk::TwilioSigningString(url, form)))}}),
            201);
  EXPECT_EQ(call("POST", path, form, "application/x-www-form-urlencoded",
                 {{"X-Twilio-Signature", "Zm9yZ2Vk"}}),
            401);
  EXPECT_EQ(call("GET", "/v1/internal/events/count?provider_message_id=SM1", "", "",
                 {{"Authorization", "Bearer admin-Tok-4411"}}),
            503)
      << "PostgreSQL is unreachable";
  EXPECT_EQ(call("GET", "/v1/internal/dlq", "", "", {{"Authorization", "Bearer wrong-Key-0000"}}),
            401);
  EXPECT_EQ(call("GET", "/metrics", "", "", {}), 200);
  EXPECT_EQ(call("GET", "/health", "", "", {}), 503) << "PostgreSQL is unreachable";
  std::this_thread::sleep_for(std::chrono::milliseconds(600));  // worker retries get logged
  kill(gateway, SIGTERM);
  EXPECT_EQ(testing::WaitExit(gateway), 0);

  const std::string logged = testing::ReadFile(log);
  // Structured logs: every line one JSON object; the request line carries its id.
  std::istringstream lines(logged);
  bool request_line = false;
  for (std::string line; std::getline(lines, line);) {
    const auto entry = nlohmann::json::parse(line, nullptr, false);
    ASSERT_TRUE(entry.is_object() && entry.contains("ts") && entry.contains("level")) << line;
    request_line =
        request_line || (entry.value("request_id", "") == "req-77" &&
                         entry["msg"].get<std::string>().starts_with("POST /v1/ingest/sms 201"));
  }
  EXPECT_TRUE(request_line) << logged;
  EXPECT_NE(logged.find("cannot connect"), std::string::npos) << "the errors were logged:\n"
                                                              << logged;
  for (const std::string& secret : kSecrets) {
    EXPECT_EQ(logged.find(secret), std::string::npos) << secret << " in the log:\n" << logged;
    for (const auto& a : answers) {
      EXPECT_EQ(a.body.find(secret), std::string::npos) << secret << " in " << a.body;
      for (const auto& [k, v] : a.headers) EXPECT_EQ(v.find(secret), std::string::npos) << k;
    }
  }
}

}  // namespace
}  // namespace mccig
