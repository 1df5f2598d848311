// The X-Twilio-Signature scheme against Twilio's published examples.
#include "mccig/sdk/twilio.h"

#include <gtest/gtest.h>

#include "auth/crypto.h"

namespace mccig::sdk {
namespace {

// Twilio's documented example: auth token 12345, this URL and these
// parameters (form-encoded as Twilio posts them).
constexpr std::string_view kUrl = "https://mycompany.com/myapp.php?foo=1&bar=2";
constexpr std::string_view kForm =
    "CallSid=CA1234567890ABCDE&Caller=%2B14158675310&Digits=1234&From=%2B14158675310&"
    "To=%2B18005551212";
constexpr std::string_view kExpected = "GvWf1cFY/Q7PnoempGyD5oXAezc=";

RequestView View(std::string_view url, std::string_view content_type, std::string_view body,
                 const std::vector<std::pair<std::string, std::string>>& headers) {
  return RequestView{.method = "POST",
                     .public_url = url,
                     .content_type = content_type,
                     .body = body,
                     .headers = &headers,
                     .payload = nullptr,
                     .secret = "12345",
                     .crypto = &auth::HostCryptoTable()};
}

TEST(Twilio, SigningStringSortsParametersByName) {
  EXPECT_EQ(TwilioSigningString(kUrl, "To=b&From=a&Body=hi+there"),
            std::string(kUrl) + "Bodyhi thereFromaTob");
  EXPECT_EQ(TwilioSigningString(kUrl, ""), kUrl);
}

TEST(Twilio, PublishedFormExamplesVerify) {
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"X-Twilio-Signature", std::string(kExpected)}};
  EXPECT_TRUE(
      VerifyTwilioSignature(View(kUrl, "application/x-www-form-urlencoded", kForm, headers)));
  // The second published example differs in the caller's number only.
  const std::string other =
      "CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%2B14158675309&"
      "To=%2B18005551212";
  const std::vector<std::pair<std::string, std::string>> other_headers = {
      {"x-twilio-signature", "RSOYDt4T1cUTdK1PDd93/VVr8B8="}};
  EXPECT_TRUE(VerifyTwilioSignature(
      View(kUrl, "application/x-www-form-urlencoded; charset=utf-8", other, other_headers)));
}

TEST(Twilio, ForgedTamperedOrMissingSignaturesAreRefused) {
  const std::vector<std::pair<std::string, std::string>> forged = {
      {"X-Twilio-Signature", "RSOYDt4T1cUTdK1PDd93/VVr8B8="}};
  auto r = VerifyTwilioSignature(View(kUrl, "application/x-www-form-urlencoded", kForm, forged));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "unauthorized");

  const std::vector<std::pair<std::string, std::string>> good = {
      {"X-Twilio-Signature", std::string(kExpected)}};
  EXPECT_FALSE(VerifyTwilioSignature(View("https://mycompany.com/myapp.php?foo=1&bar=3",
                                          "application/x-www-form-urlencoded", kForm, good)))
      << "another URL";
  const std::string tampered = std::string(kForm) + "&Extra=1";
  EXPECT_FALSE(
      VerifyTwilioSignature(View(kUrl, "application/x-www-form-urlencoded", tampered, good)));

  const std::vector<std::pair<std::string, std::string>> none;
  auto missing =
      VerifyTwilioSignature(View(kUrl, "application/x-www-form-urlencoded", kForm, none));
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("missing"), std::string::npos);
}

TEST(Twilio, JsonBodiesAreSignedThroughBodySha256) {
  // Twilio's published JSON example: this body hashes to the bodySHA256 below.
  const std::string body = R"({"CallSid":"CA1234567890ABCDE","Caller":"+12349013030"})";
  const std::string url =
      "https://example.com/myapp?bodySHA256="
      "5ccde7145dfb8f56479710896586cb9d5911809d83afbe34627818790db0aec9";
  const auto& crypto = auth::HostCryptoTable();
  const std::string signature = crypto.base64(crypto.hmac("sha1", "12345", url));
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"X-Twilio-Signature", signature}};
  EXPECT_TRUE(VerifyTwilioSignature(View(url, "application/json", body, headers)));
  EXPECT_FALSE(VerifyTwilioSignature(View(url, "application/json", body + " ", headers)))
      << "the body no longer matches bodySHA256";
  EXPECT_FALSE(
      VerifyTwilioSignature(View("https://example.com/myapp", "application/json", body, headers)));
}

}  // namespace
}  // namespace mccig::sdk
