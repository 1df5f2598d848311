// The OpenAPI document generated from the bundled plugins: a path per
// route, schemas that match the declarations, and the host's own surface
// as configured. (tests/e2e/openapi.test.mjs checks the served document
// with an OpenAPI validator from npm.)
#include <gtest/gtest.h>

#include "http/openapi.h"
#include "support/plugins.h"

namespace mccig {
namespace {

using nlohmann::json;

class OpenApi : public ::testing::Test {
 protected:
  json Document(http::ApiSurface surface = {}) {
    return http::OpenApiDocument(registry_->plugins(), surface);
  }
  std::shared_ptr<const plugins::PluginRegistry> registry_ = testing::BundledRegistry();
};

// Every "$ref" in `node` names a schema of `document`.
void ExpectRefsResolve(const json& document, const json& node) {
  if (node.is_object()) {
    for (const auto& [key, value] : node.items()) {
      if (key == "$ref") {
        const std::string ref = value.get<std::string>();
        ASSERT_TRUE(ref.starts_with("#/components/schemas/")) << ref;
        EXPECT_TRUE(document["components"]["schemas"].contains(ref.substr(21))) << ref;
      } else {
        ExpectRefsResolve(document, value);
      }
    }
  } else if (node.is_array()) {
    for (const auto& value : node) ExpectRefsResolve(document, value);
  }
}

TEST_F(OpenApi, EveryPluginRouteHasAnIngestAndABatchPath) {
  const json doc = Document();
  EXPECT_EQ(doc["openapi"], "3.0.3");
  for (const auto& loaded : registry_->plugins()) {
    for (const auto& route : loaded.plugin->Info().routes) {
      ASSERT_TRUE(doc["paths"].contains("/v1/ingest/" + route)) << route;
      ASSERT_TRUE(doc["paths"].contains("/v1/ingest/" + route + "/batch")) << route;
      const json& post = doc["paths"]["/v1/ingest/" + route]["post"];
      EXPECT_TRUE(post["responses"].contains("201"));
      EXPECT_TRUE(post["responses"]["429"]["headers"].contains("Retry-After"));
    }
  }
  ExpectRefsResolve(doc, doc);
}

TEST_F(OpenApi, PayloadSchemasFollowTheDeclaredFields) {
  const json doc = Document();
  const json& sms = doc["components"]["schemas"]["payload.sms"];
  EXPECT_EQ(sms["required"], json({"tenant_id", "From", "To", "Body", "MessageSid"}));
  EXPECT_EQ(sms["properties"]["tenant_id"]["pattern"], "^[A-Za-z0-9._-]+$");
  EXPECT_EQ(sms["properties"]["tenant_id"]["maxLength"], 64);
  EXPECT_EQ(sms["properties"]["Timestamp"]["format"], "date-time");
  EXPECT_EQ(sms["properties"]["Body"]["maxLength"], 1600);
  EXPECT_EQ(sms["properties"]["MessageSid"]["example"], "SM0123456789abcdef0123456789abcdef");
  const json& content = doc["paths"]["/v1/ingest/sms"]["post"]["requestBody"]["content"];
  EXPECT_TRUE(content.contains("application/json"));
  EXPECT_TRUE(content.contains("application/x-www-form-urlencoded")) << "sms accepts forms";
  EXPECT_FALSE(doc["paths"]["/v1/ingest/chat"]["post"]["requestBody"]["content"].contains(
      "application/x-www-form-urlencoded"));
  EXPECT_EQ(doc["components"]["schemas"]["payload.voice"]["properties"]["confidence"]["type"],
            "number");
}

TEST_F(OpenApi, TheHostsSurfaceFollowsTheConfig) {
  const json closed = Document({.api_keys = false, .stream = false, .internal = false});
  EXPECT_FALSE(closed["paths"].contains("/v1/stream"));
  EXPECT_FALSE(closed["paths"].contains("/v1/internal/dlq"));
  EXPECT_FALSE(closed["components"].contains("securitySchemes"));
  EXPECT_FALSE(closed["paths"]["/v1/ingest/chat"]["post"].contains("security"));
  for (const char* ops : {"/healthz", "/readyz", "/health", "/metrics", "/openapi.json"}) {
    EXPECT_TRUE(closed["paths"].contains(ops)) << ops;
  }

  const json open = Document({.api_keys = true,
                              .stream = true,
                              .internal = true,
                              .batch_max_events = 250,
                              .server_url = "https://ingest.example"});
  EXPECT_TRUE(open["paths"].contains("/v1/stream"));
  EXPECT_TRUE(open["paths"]["/v1/internal/dlq/replay"].contains("post"));
  EXPECT_EQ(open["components"]["securitySchemes"]["ApiKey"]["name"], "X-API-Key");
  EXPECT_EQ(open["paths"]["/v1/ingest/chat"]["post"]["security"].size(), 2u);
  EXPECT_EQ(open["paths"]["/v1/internal/stats"]["get"]["security"],
            json::parse(R"([{"BearerKey": []}])"));
  EXPECT_FALSE(open["paths"]["/healthz"]["get"].contains("security"));
  EXPECT_EQ(open["paths"]["/v1/ingest/sms/batch"]["post"]["requestBody"]["content"]
                ["application/json"]["schema"]["properties"]["events"]["maxItems"],
            250);
  EXPECT_EQ(open["servers"][0]["url"], "https://ingest.example");
  ExpectRefsResolve(open, open);
}

TEST_F(OpenApi, OperationIdsAreUnique) {
  const json doc = Document({.api_keys = true, .stream = true, .internal = true});
  std::set<std::string> ids;
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, operation] : item.items()) {
      EXPECT_TRUE(ids.insert(operation["operationId"].get<std::string>()).second) << path;
    }
  }
}

}  // namespace
}  // namespace mccig
