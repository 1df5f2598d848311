// CORS exactly as configured: off, a wildcard (never with credentials), or
// a list of origins echoed one by one.
#include "http/cors.h"

#include <gtest/gtest.h>

namespace mccig::http {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

TEST(Cors, DisabledAddsNothing) {
  const CorsPolicy off(false, "*");
  EXPECT_TRUE(off.Headers("https://a.example").empty());
}

TEST(Cors, WildcardNeverAllowsCredentials) {
  const CorsPolicy any(true, "*");
  EXPECT_EQ(any.Headers("https://a.example"), (Headers{{"Access-Control-Allow-Origin", "*"}}));
  EXPECT_TRUE(any.Headers("").empty()) << "no Origin, not a CORS request";
}

TEST(Cors, ListedOriginsAreEchoedOthersGetNothing) {
  const CorsPolicy list(true, "https://console.example, http://localhost:3000");
  EXPECT_EQ(list.Headers("http://localhost:3000"),
            (Headers{{"Access-Control-Allow-Origin", "http://localhost:3000"},
                     {"Access-Control-Allow-Credentials", "true"},
                     {"Vary", "Origin"}}));
  EXPECT_TRUE(list.Headers("https://evil.example").empty());
  EXPECT_TRUE(list.Headers("https://console.example.evil").empty()) << "exact match only";
}

TEST(Cors, Preflight) {
  const CorsPolicy list(true, "https://console.example");
  const Reply ok = list.Preflight("https://console.example");
  EXPECT_EQ(ok.status, 204);
  EXPECT_TRUE(ok.body.is_null());
  bool methods = false;
  for (const auto& [k, v] : ok.headers) methods = methods || k == "Access-Control-Allow-Methods";
  EXPECT_TRUE(methods);
  EXPECT_EQ(list.Preflight("https://evil.example").status, 403);
}

}  // namespace
}  // namespace mccig::http
