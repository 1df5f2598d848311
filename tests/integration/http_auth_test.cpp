// Authentication over real HTTP: tenant API keys (Bearer or X-API-Key),
// 401 and 403, the tenant given by the key or the URL, provider signatures
// (X-Twilio-Signature) through the sms plugin's verifier, and the public
// base URL used behind a proxy. Admission is the in-memory fake.
#include <gtest/gtest.h>

#include <mccig/sdk/twilio.h>
#include "auth/authenticator.h"
#include "auth/crypto.h"
#include "http/http_server.h"
#include "support/fake_admission.h"
#include "support/http_client.h"
#include "support/plugins.h"
#include "support/samples.h"

namespace mccig {
namespace {

using nlohmann::json;
using testing::HttpCall;

const json kSms = {{"tenant_id", "acme"},
                   {"From", "+15551230001"},
                   {"To", "+15559870002"},
                   {"Body", "Hello"},
                   {"MessageSid", "SM1"}};

std::string Sign(const std::string& url, const std::string& form) {
  const auto& crypto = auth::HostCryptoTable();
  return crypto.base64(
      crypto.hmac("sha1", "globex-twilio-token", sdk::TwilioSigningString(url, form)));
}

class HttpAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    context_.registry.store(testing::BundledRegistry());
    context_.admission = &admission_;
    context_.auth = &auth_;
    server_ =
        std::make_unique<http::HttpServer>(http::ServerOptions{.port = 0, .threads = 4}, context_);
    server_->Start();
  }
  void TearDown() override { server_->Stop(); }

  testing::HttpResult Post(const json& body, std::map<std::string, std::string> headers) {
    return HttpCall(server_->port(), "POST", "/v1/ingest/sms", body.dump(), "application/json",
                    headers);
  }
  testing::HttpResult PostForm(const std::string& path, const std::string& form,
                               std::map<std::string, std::string> headers) {
    return HttpCall(server_->port(), "POST", path, form, "application/x-www-form-urlencoded",
                    headers);
  }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + path;
  }

  auth::Authenticator auth_{testing::KeyedTenants()};
  testing::FakeAdmission admission_;
  http::ServerContext context_;
  std::unique_ptr<http::HttpServer> server_;
};

TEST_F(HttpAuthTest, MissingKeyIs401WithAChallenge) {
  const auto r = Post(kSms, {});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.Json()["error"], "unauthorized");
  EXPECT_EQ(r.headers.at("WWW-Authenticate"), "Bearer realm=\"mccig\"");
  EXPECT_TRUE(admission_.accepted().empty());
}

TEST_F(HttpAuthTest, WrongKeyIs401) {
  EXPECT_EQ(Post(kSms, {{"Authorization", "Bearer nope"}}).status, 401);
  EXPECT_EQ(Post(kSms, {{"X-API-Key", "nope"}}).status, 401);
  EXPECT_TRUE(admission_.accepted().empty());
}

TEST_F(HttpAuthTest, ValidKeyAsBearerOrXApiKey) {
  EXPECT_EQ(Post(kSms, {{"Authorization", "Bearer acme-key"}}).status, 201);
  json second = kSms;
  second["MessageSid"] = "SM2";
  EXPECT_EQ(Post(second, {{"X-API-Key", "acme-key"}}).status, 201);
}

TEST_F(HttpAuthTest, KeyOfAnotherTenantIs403) {
  const auto r = Post(kSms, {{"Authorization", "Bearer globex-key"}});
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(r.Json()["error"], "forbidden");
  EXPECT_TRUE(admission_.accepted().empty());
}

TEST_F(HttpAuthTest, TheKeyGivesTheTenantWhenTheBodyHasNone) {
  json body = kSms;
  body.erase("tenant_id");
  const auto r = Post(body, {{"Authorization", "Bearer acme-key"}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(admission_.accepted().back().tenant_id, "acme");
  EXPECT_EQ(admission_.accepted().back().raw_metadata, body) << "raw payload as posted";
}

TEST_F(HttpAuthTest, TwilioSignedFormIsAcceptedWithoutAKey) {
  const std::string path = "/v1/ingest/sms?tenant_id=globex";
  const std::string form =
      "From=%2B15551230001&To=%2B15559870002&Body=Hi&MessageSid=SMtw1&AccountSid=AC1&NumMedia=0";
  const auto r = PostForm(path, form, {{"X-Twilio-Signature", Sign(Url(path), form)}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(admission_.accepted().back().tenant_id, "globex");
}

TEST_F(HttpAuthTest, ForgedOrMissingSignatureIs401EvenWithAKey) {
  const std::string path = "/v1/ingest/sms?tenant_id=globex";
  const std::string form = "From=%2B1555&To=%2B1556&Body=Hi&MessageSid=SMtw2";
  EXPECT_EQ(PostForm(path, form, {{"X-Twilio-Signature", Sign(Url(path), form + "x")}}).status,
            401);
  const auto missing = PostForm(path, form, {{"Authorization", "Bearer globex-key"}});
  EXPECT_EQ(missing.status, 401) << "globex requires signed sms";
  EXPECT_NE(missing.Json()["message"].get<std::string>().find("X-Twilio-Signature"),
            std::string::npos);
  EXPECT_TRUE(admission_.accepted().empty());
}

TEST_F(HttpAuthTest, UrlAndBodyTenantsMustAgree) {
  const std::string path = "/v1/ingest/sms?tenant_id=globex";
  const std::string form = "tenant_id=acme&From=%2B1555&To=%2B1556&Body=Hi&MessageSid=SMtw3";
  EXPECT_EQ(PostForm(path, form, {{"X-Twilio-Signature", Sign(Url(path), form)}}).status, 403);
}

TEST_F(HttpAuthTest, PublicBaseUrlIsWhatSignaturesCover) {
  context_.public_base_url = "https://gateway.example.com";
  const std::string path = "/v1/ingest/sms?tenant_id=globex";
  const std::string form = "From=%2B1555&To=%2B1556&Body=Hi&MessageSid=SMtw4";
  EXPECT_EQ(PostForm(path, form, {{"X-Twilio-Signature", Sign(Url(path), form)}}).status, 401)
      << "signed for the internal address";
  EXPECT_EQ(PostForm(path, form,
                     {{"X-Twilio-Signature", Sign("https://gateway.example.com" + path, form)}})
                .status,
            201);
}

TEST_F(HttpAuthTest, NoAuthenticatorMeansNoAuthentication) {
  context_.auth = nullptr;  // auth.mode: none
  EXPECT_EQ(Post(kSms, {}).status, 201);
}

}  // namespace
}  // namespace mccig
