// The operations console's side of the gateway, over real HTTP with real
// Redis and PostgreSQL: the static files under /console (types, security
// headers, ETags, nothing outside the console), and the operator views it
// is built on — /v1/internal/plugins, /tenants and /stats — behind the
// admin token. The browser itself is tested in tests/e2e.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "admission/redis_admission.h"
#include "auth/authenticator.h"
#include "auth/crypto.h"
#include "http/http_server.h"
#include "ingest/ingest_pipeline.h"
#include "queue/stream_queue.h"
#include "redis/redis_url.h"
#include "resources/resources.h"
#include "support/http_client.h"
#include "support/plugins.h"
#include "support/postgres.h"
#include "support/redis_server.h"

namespace mccig {
namespace {

using nlohmann::json;
using testing::HttpCall;
using testing::HttpResult;

constexpr const char* kAdmin = "console-admin-token";

config::Config ConsoleConfig() {
  config::Config c;
  c.admin_token_sha256 = {auth::Sha256Hex(kAdmin)};
  c.rate_limit = {.capacity = 100, .refill_per_second = 50};
  c.tenants = {{.id = "acme",
                .rate_limit = {.capacity = 10, .refill_per_second = 0.01},
                .api_key_sha256 = {auth::Sha256Hex("acme-key")}},
               {.id = "globex",
                .rate_limit = {.capacity = 2, .refill_per_second = 0.01},
                .api_key_sha256 = {auth::Sha256Hex("globex-key"), auth::Sha256Hex("globex-2")},
                .signing_secrets = {{"sms", "globex-twilio-token"}}}};
  return c;
}

class ConsoleApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pool_ = std::make_unique<redis::Pool>(redis::ParseRedisUrl(redis_.url()).value(),
                                          redis::PoolOptions{.size = 8});
    queue_ = std::make_unique<queue::StreamQueue>(*pool_);
    queries_ = std::make_unique<store::EventQueries>(database_.url());
    admission_ = std::make_unique<admission::RedisAdmission>(
        *pool_, admission::AdmissionSettings::FromConfig(config_));
    context_.registry.store(testing::BundledRegistry());
    context_.admission = admission_.get();
    context_.auth = &auth_;
    context_.internal_endpoints = true;
    context_.queue = queue_.get();
    context_.queries = queries_.get();
    context_.traffic = &traffic_;
    context_.config.store(std::make_shared<const config::Config>(config_));
    server_ =
        std::make_unique<http::HttpServer>(http::ServerOptions{.port = 0, .threads = 4}, context_);
    server_->Start();
  }
  void TearDown() override { server_->Stop(); }

  HttpResult Get(const std::string& path, std::map<std::string, std::string> headers = {}) {
    return HttpCall(server_->port(), "GET", path, "", "", headers);
  }
  HttpResult Admin(const std::string& path) {
    return Get(path, {{"Authorization", std::string("Bearer ") + kAdmin}});
  }
  // A minimal valid sms or chat payload for `tenant` with provider id `id`.
  HttpResult Send(const std::string& route, const std::string& tenant, const std::string& key,
                  const std::string& id) {
    json body = route == "sms" ? json{{"From", "+1555"}, {"To", "+1556"}, {"MessageSid", id}}
                               : json{{"chatId", "c1"}, {"userId", "u1"}, {"messageId", id}};
    body[route == "sms" ? "Body" : "message"] = "hello";
    body["tenant_id"] = tenant;
    return HttpCall(server_->port(), "POST", "/v1/ingest/" + route, body.dump(), "application/json",
                    {{"Authorization", "Bearer " + key}});
  }
  HttpResult Sms(const std::string& tenant, const std::string& key, const std::string& sid) {
    return Send("sms", tenant, key, sid);
  }
  HttpResult Chat(const std::string& tenant, const std::string& key, const std::string& id) {
    return Send("chat", tenant, key, id);
  }

  testing::RedisServer redis_;
  testing::TestDatabase database_;
  config::Config config_ = ConsoleConfig();
  auth::Authenticator auth_{config_};
  ops::Traffic traffic_{{"acme", "globex"}, ingest::NowMs()};
  std::unique_ptr<redis::Pool> pool_;
  std::unique_ptr<queue::StreamQueue> queue_;
  std::unique_ptr<store::EventQueries> queries_;
  std::unique_ptr<admission::RedisAdmission> admission_;
  http::ServerContext context_;
  std::unique_ptr<http::HttpServer> server_;
};

TEST_F(ConsoleApiTest, ConsoleIsServedWithItsTypesAndALockedDownPolicy) {
  const auto bare = Get("/console");
  EXPECT_EQ(bare.status, 301);
  EXPECT_EQ(bare.headers.at("Location"), "/console/");

  const auto index = Get("/console/");
  ASSERT_EQ(index.status, 200);
  EXPECT_EQ(index.headers.at("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(index.body.find("app.js"), std::string::npos);
  const std::string policy = index.headers.at("Content-Security-Policy");
  EXPECT_NE(policy.find("default-src 'self'"), std::string::npos);
  EXPECT_EQ(policy.find("unsafe"), std::string::npos);
  EXPECT_EQ(index.headers.at("X-Content-Type-Options"), "nosniff");

  EXPECT_EQ(Get("/console/app.js").headers.at("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(Get("/console/console.css").headers.at("Content-Type"), "text/css; charset=utf-8");
  EXPECT_EQ(Get("/console/favicon.svg").headers.at("Content-Type"), "image/svg+xml");
}

TEST_F(ConsoleApiTest, EveryFileTheConsoleLoadsIsCompiledIn) {
  // index.html's href/src and every module's imports: a file left out of the
  // build would be a 404 and a blank page.
  const std::regex reference(R"re((?:href|src)="([\w.-]+)"|from '\./([\w.-]+)')re");
  std::set<std::string> wanted;
  for (const resources::Resource& r : resources::All()) {
    if (!r.name.starts_with("console/")) continue;
    const std::string text(r.text);
    for (std::sregex_iterator it(text.begin(), text.end(), reference), end; it != end; ++it) {
      wanted.insert((*it)[1].matched ? (*it)[1].str() : (*it)[2].str());
    }
  }
  EXPECT_GE(wanted.size(), 10u);
  for (const auto& file : wanted) EXPECT_EQ(Get("/console/" + file).status, 200) << file;
}

TEST_F(ConsoleApiTest, ETagsLetABrowserRevalidate) {
  const auto first = Get("/console/app.js");
  const std::string etag = first.headers.at("ETag");
  EXPECT_EQ(first.headers.at("Cache-Control"), "no-cache");
  const auto again = Get("/console/app.js", {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(Get("/console/app.js", {{"If-None-Match", "\"other\""}}).status, 200);
}

TEST_F(ConsoleApiTest, NothingOutsideTheConsoleIsReachable) {
  for (const char* path : {"/console/../lua/admission.lua", "/console/lua/admission.lua",
                           "/console/nope.js", "/console/%2e%2e/lua/admission.lua"}) {
    const auto r = Get(path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.Json()["error"], "not_found") << path;
  }
  EXPECT_EQ(Get("/consoles").status, 404);
}

TEST_F(ConsoleApiTest, ConsoleIsHiddenWithTheInternalEndpoints) {
  context_.internal_endpoints = false;
  const auto r = Get("/console/");
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.Json()["message"].get<std::string>().find("ENABLE_INTERNAL_ENDPOINTS"),
            std::string::npos);
}

TEST_F(ConsoleApiTest, ViewsNeedTheAdminToken) {
  for (const char* path : {"/v1/internal/plugins", "/v1/internal/tenants", "/v1/internal/stats"}) {
    EXPECT_EQ(Get(path).status, 401) << path;
    EXPECT_EQ(Get(path, {{"Authorization", "Bearer acme-key"}}).status, 401) << path;
    EXPECT_EQ(Admin(path).status, 200) << path;
    EXPECT_EQ(HttpCall(server_->port(), "POST", path, "{}", "application/json",
                       {{"Authorization", std::string("Bearer ") + kAdmin}})
                  .status,
              405)
        << path;
  }
}

TEST_F(ConsoleApiTest, PluginsDescribeTheirDeclaredSchemas) {
  const json plugins = Admin("/v1/internal/plugins").Json()["plugins"];
  ASSERT_EQ(plugins.size(), 3u);
  json sms;
  for (const auto& p : plugins) {
    if (p["name"] == "sms") sms = p;
  }
  ASSERT_FALSE(sms.is_null());
  EXPECT_EQ(sms["channel"], "sms");
  EXPECT_EQ(sms["routes"], json({"sms"}));
  EXPECT_EQ(sms["accepts"], json({"application/json", "application/x-www-form-urlencoded"}));
  EXPECT_EQ(sms["has_verifier"], true);
  EXPECT_EQ(sms["mapping"]["message_id"]["join"], json({"MessageSid"}));
  json sid;
  for (const auto& f : sms["fields"]) {
    if (f["name"] == "MessageSid") sid = f;
  }
  EXPECT_EQ(sid["type"], "string");
  EXPECT_EQ(sid["required"], true);
  EXPECT_EQ(sid["min_length"], 1);
  EXPECT_EQ(sid["max_length"], 128);
  EXPECT_FALSE(sid.contains("minimum"));                // bounds a field does not set are left out
  EXPECT_EQ(sms["fields"][0]["format"], "identifier");  // tenant_id
  EXPECT_EQ(sms["example"]["tenant_id"], "acme");
  EXPECT_TRUE(sms["example"].contains("MessageSid"));
}

TEST_F(ConsoleApiTest, TenantsShowLimitsTokensAndRecent429s) {
  for (const char* sid : {"A1", "A2", "A3"}) ASSERT_EQ(Sms("acme", "acme-key", sid).status, 201);
  // globex's sms provider signs its requests; its chat goes by API key.
  ASSERT_EQ(Chat("globex", "globex-key", "G1").status, 201);
  ASSERT_EQ(Chat("globex", "globex-key", "G2").status, 201);
  ASSERT_EQ(Chat("globex", "globex-key", "G3").status, 429);

  const auto r = Admin("/v1/internal/tenants?minutes=5");
  ASSERT_EQ(r.status, 200);
  const json body = r.Json();
  EXPECT_EQ(body["minutes"], 5);
  EXPECT_EQ(body["default_limit"]["capacity"], 100);
  ASSERT_EQ(body["tenants"].size(), 2u);
  const json acme = body["tenants"][0];
  EXPECT_EQ(acme["id"], "acme");
  EXPECT_EQ(acme["capacity"], 10);
  EXPECT_EQ(acme["api_keys"], 1);
  EXPECT_GE(acme["tokens"].get<double>(), 7.0);
  EXPECT_LT(acme["tokens"].get<double>(), 7.5);
  EXPECT_EQ(acme["rate_limited"]["last_minutes"], 0);
  const json globex = body["tenants"][1];
  EXPECT_EQ(globex["api_keys"], 2);
  EXPECT_EQ(globex["signed_plugins"], json({"sms"}));
  EXPECT_LT(globex["tokens"].get<double>(), 1.0);
  EXPECT_EQ(globex["rate_limited"]["last_minutes"], 1);
  EXPECT_EQ(globex["rate_limited"]["recent"][0]["channel"], "chat");
  EXPECT_GE(globex["rate_limited"]["recent"][0]["retry_after_seconds"].get<int>(), 1);
  // Reading the buckets spent nothing.
  EXPECT_NEAR(Admin("/v1/internal/tenants").Json()["tenants"][0]["tokens"].get<double>(),
              acme["tokens"].get<double>(), 0.1);
  // Secrets and key digests never appear.
  EXPECT_EQ(r.body.find("globex-twilio-token"), std::string::npos);
  EXPECT_EQ(r.body.find(auth::Sha256Hex("acme-key")), std::string::npos);
}

TEST_F(ConsoleApiTest, TenantsNameABadParameter) {
  const auto r = Admin("/v1/internal/tenants?minutes=0");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Json()["details"][0]["field"], "minutes");
}

TEST_F(ConsoleApiTest, TenantsStillAnswerWithRedisDown) {
  redis_.Stop();
  const auto r = Admin("/v1/internal/tenants");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(r.Json()["tenants"][0]["tokens"].is_null());
  EXPECT_TRUE(r.Json().contains("tokens_error"));
}

TEST_F(ConsoleApiTest, StatsCountOutcomesByTenantAndChannel) {
  ASSERT_EQ(Sms("acme", "acme-key", "S1").status, 201);
  ASSERT_EQ(Sms("acme", "acme-key", "S2").status, 201);
  ASSERT_EQ(Sms("acme", "acme-key", "S2").status, 200);
  ASSERT_EQ(Sms("acme", "", "S3").status, 401);  // no key: tenant unknown
  ASSERT_EQ(HttpCall(server_->port(), "POST", "/v1/ingest/sms", "{\"tenant_id\":\"acme\"}",
                     "application/json", {{"Authorization", "Bearer acme-key"}})
                .status,
            400);

  const auto r = Admin("/v1/internal/stats?window_seconds=60&step_seconds=10");
  ASSERT_EQ(r.status, 200);
  const json s = r.Json();
  std::map<std::string, json> rows;
  for (const auto& row : s["by_tenant_channel"]) rows[row["tenant"].get<std::string>()] = row;
  EXPECT_EQ(rows["acme"]["channel"], "sms");
  EXPECT_EQ(rows["acme"]["accepted"], 2);
  EXPECT_EQ(rows["acme"]["duplicate"], 1);
  EXPECT_EQ(rows["acme"]["rejected"], 1);
  EXPECT_EQ(rows["unidentified"]["rejected"], 1);

  const json series = s["series"];
  EXPECT_EQ(series["step_seconds"], 10);
  ASSERT_EQ(series["accepted"].size(), 6u);
  int64_t accepted = 0;
  for (const auto& v : series["accepted"]) accepted += v.get<int64_t>();
  EXPECT_EQ(accepted, 2);

  EXPECT_EQ(s["queue"]["length"], 2);  // no worker here: both still queued
  EXPECT_EQ(s["queue"]["dead_letters"], 0);
  EXPECT_TRUE(s["worker"].is_null());
  EXPECT_EQ(s["gateway"]["auth_required"], true);
  EXPECT_EQ(s["gateway"]["simulation_mode"], false);
}

TEST_F(ConsoleApiTest, StatsNameABadWindow) {
  const auto r = Admin("/v1/internal/stats?window_seconds=5");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Json()["details"][0]["field"], "window_seconds");
  EXPECT_EQ(Admin("/v1/internal/stats?window_seconds=60&step_seconds=61").status, 400);
  EXPECT_EQ(Admin("/v1/internal/stats?step_seconds=x").status, 400);
}

TEST_F(ConsoleApiTest, StatsStillAnswerWithRedisDown) {
  redis_.Stop();
  const auto r = Admin("/v1/internal/stats");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(r.Json()["queue"].is_null());
  EXPECT_TRUE(r.Json().contains("queue_error"));
}

}  // namespace
}  // namespace mccig
