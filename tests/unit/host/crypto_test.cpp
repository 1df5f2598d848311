// Host crypto (OpenSSL) against published vectors, and the Authenticator.
#include "auth/crypto.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "auth/authenticator.h"

namespace mccig::auth {
namespace {

std::string Hex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) out += {kDigits[c >> 4], kDigits[c & 15]};
  return out;
}

TEST(Crypto, Sha256OfAbc) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// The digest context is kept per thread: each call starts afresh, on any
// thread, whatever the one before it hashed.
TEST(Crypto, Sha256CallsAreIndependentOnEveryThread) {
  const std::string empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  const std::string abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  EXPECT_EQ(Sha256Hex(std::string(1000, 'x')).size(), 64u);
  EXPECT_EQ(Sha256Hex(""), empty);
  EXPECT_EQ(Sha256Hex("abc"), abc);
  std::vector<std::thread> threads;
  std::atomic<int> right{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) right += Sha256Hex(i % 2 ? "abc" : "") == (i % 2 ? abc : empty);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(right.load(), 400);
}

TEST(Crypto, HmacRfc2202AndRfc4231) {
  const std::string key(20, '\x0b');
  EXPECT_EQ(Hex(Hmac("sha1", key, "Hi There")), "b617318655057264e28bc0b6fb378c8ef146be00");
  EXPECT_EQ(Hex(Hmac("sha256", key, "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(Hmac("md5", key, "Hi There"), "") << "only sha1 and sha256";
}

TEST(Crypto, Base64AndConstantTimeEquality) {
  EXPECT_EQ(Base64(""), "");
  EXPECT_EQ(Base64("f"), "Zg==");
  EXPECT_EQ(Base64("foobar"), "Zm9vYmFy");
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

TEST(Crypto, RandomTokensAreLongUrlSafeAndDistinct) {
  const std::string a = RandomToken(), b = RandomToken();
  EXPECT_EQ(a.size(), 43u);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find_first_of("+/="), std::string::npos);
}

config::Config TwoTenants() {
  config::Config c;
  c.tenants = {{.id = "acme", .api_key_sha256 = {Sha256Hex("key-a1"), Sha256Hex("key-a2")}},
               {.id = "globex",
                .api_key_sha256 = {Sha256Hex("key-g")},
                .signing_secrets = {{"sms", "twilio-token"}}}};
  c.admin_token_sha256 = {Sha256Hex("admin")};
  return c;
}

TEST(Authenticator, KeysMapToTheirTenant) {
  const Authenticator auth(TwoTenants());
  EXPECT_TRUE(auth.required());
  EXPECT_EQ(auth.TenantForKey("key-a1"), "acme");
  EXPECT_EQ(auth.TenantForKey("key-a2"), "acme");
  EXPECT_EQ(auth.TenantForKey("key-g"), "globex");
  EXPECT_EQ(auth.TenantForKey("key-x"), std::nullopt);
  EXPECT_EQ(auth.TenantForKey(""), std::nullopt);
}

TEST(Authenticator, AdminTokensAndSigningSecrets) {
  const Authenticator auth(TwoTenants());
  EXPECT_TRUE(auth.IsAdminToken("admin"));
  EXPECT_FALSE(auth.IsAdminToken("key-a1")) << "a tenant key is not an admin token";
  EXPECT_FALSE(auth.IsAdminToken(""));
  EXPECT_EQ(auth.SigningSecret("globex", "sms"), "twilio-token");
  EXPECT_EQ(auth.SigningSecret("globex", "chat"), "");
  EXPECT_EQ(auth.SigningSecret("acme", "sms"), "");
}

TEST(Authenticator, PresentedKeyFromBearerOrXApiKey) {
  const auto lookup = [](std::map<std::string, std::string> h) {
    return [h](const char* name) {
      const auto it = h.find(name);
      return it == h.end() ? std::string() : it->second;
    };
  };
  EXPECT_EQ(PresentedKey(lookup({{"Authorization", "Bearer abc"}})), "abc");
  EXPECT_EQ(PresentedKey(lookup({{"X-API-Key", "xyz"}})), "xyz");
  EXPECT_EQ(PresentedKey(lookup({{"Authorization", "Basic Zm9v"}, {"X-API-Key", "xyz"}})), "xyz");
  EXPECT_EQ(PresentedKey(lookup({})), "");
}

}  // namespace
}  // namespace mccig::auth
