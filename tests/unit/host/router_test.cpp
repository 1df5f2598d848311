// The router's pure parts: routes read from URIs, header lookup, request
// ids and the checks due before any handler.
#include <gtest/gtest.h>

#include "http/request.h"
#include "http/router.h"
#include "http/server_context.h"

namespace mccig::http {
namespace {

TEST(RouteOf, ReadsThePathAndThePluginRoute) {
  const Route ingest = RouteOf("/v1/ingest/sms?tenant_id=acme");
  EXPECT_EQ(ingest.path, "/v1/ingest/sms");
  EXPECT_EQ(ingest.ingest, "sms");
  EXPECT_EQ(RouteOf("/ingest/chat/batch").ingest, "chat/batch");
  EXPECT_EQ(RouteOf("/v1/ingest/").ingest, "") << "no route after the prefix";
  const Route other = RouteOf("/healthz");
  EXPECT_EQ(other.path, "/healthz");
  EXPECT_TRUE(other.ingest.empty());
}

TEST(Request, HeadersAreFoundWhateverTheirCase) {
  const Request request{
      .headers = {{"content-type", "application/json"}, {"X-API-KEY", "k1"}, {"X-Api-Key", "k2"}}};
  EXPECT_EQ(request.ContentType(), "application/json");
  EXPECT_EQ(request.Get("x-api-key"), "k1") << "the first of repeated headers";
  EXPECT_FALSE(request.Has("Authorization"));
  EXPECT_EQ(request.Get("Authorization", "none"), "none");
}

TEST(RequestId, EchoesASaneIdAndReplacesAnythingElse) {
  EXPECT_EQ(RequestId(Request{.headers = {{"x-request-id", "abc-1.2_3:4"}}}), "abc-1.2_3:4");
  EXPECT_EQ(RequestId(Request{.headers = {{"X-Request-Id", "a b"}}}).size(), 36u);
  EXPECT_EQ(RequestId(Request{.headers = {{"X-Request-Id", std::string(129, 'a')}}}).size(), 36u);
  EXPECT_EQ(RequestId(Request{}).size(), 36u);
}

TEST(Screen, RefusesHttp11WithoutHostAndAnswersPreflights) {
  ServerContext context;
  EXPECT_EQ(Screen(context, Request{.method = "GET", .http11 = true})->status, 400);
  EXPECT_FALSE(Screen(context, Request{.method = "GET", .http11 = false}));
  context.cors = CorsPolicy(true, "https://console.example");
  const Request preflight{.method = "OPTIONS",
                          .headers = {{"Host", "x"},
                                      {"Origin", "https://console.example"},
                                      {"Access-Control-Request-Method", "POST"}}};
  EXPECT_EQ(Screen(context, preflight)->status, 204);
  EXPECT_FALSE(Screen(context, Request{.method = "OPTIONS", .headers = {{"Host", "x"}}}))
      << "an OPTIONS that is no preflight goes to the handlers";
}

}  // namespace
}  // namespace mccig::http
