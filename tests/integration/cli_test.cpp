// The mccig binary's own checks: config check refuses a signing secret the
// plugin could never verify; key new / key hash agree with each other.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "auth/crypto.h"
#include "support/plugins.h"
#include "support/process.h"

namespace mccig {
namespace {

TEST(ConfigCheckCommand, SigningSecretNeedsAPluginWithAVerifier) {
  const std::string dir = ::testing::TempDir();
  std::ofstream(dir + "/secrets.yaml")
      << "plugin_dir: " << MCCIG_PLUGIN_BUILD_DIR << "\n"
      << "plugins:\n  - {name: sms, path: libmccig_sms.so}\n  - {name: chat, path: "
         "libmccig_chat.so}\n"
      << "tenants:\n  - id: acme\n    signing_secrets:\n      sms: {auth_token: a}\n"
      << "      chat: {auth_token: b}\n      fax: {auth_token: c}\n";
  const std::string out = dir + "/secrets.out";
  std::remove(out.c_str());
  EXPECT_EQ(testing::WaitExit(
                testing::Spawn({MCCIG_BINARY, "config", "check", dir + "/secrets.yaml"}, {}, out)),
            2);
  const std::string text = testing::ReadFile(out);
  EXPECT_NE(text.find("tenants[0].signing_secrets.chat: plugin 'chat' has no request verifier"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("tenants[0].signing_secrets.fax: no plugin named 'fax'"), std::string::npos)
      << text;
  EXPECT_EQ(text.find("signing_secrets.sms"), std::string::npos) << text;
  EXPECT_EQ(text.find("auth_token: a"), std::string::npos) << "secrets are never echoed";
}

TEST(KeyCommand, NewPrintsAKeyAndItsHash) {
  const std::string out = ::testing::TempDir() + "/key.out";
  std::remove(out.c_str());
  ASSERT_EQ(testing::WaitExit(testing::Spawn({MCCIG_BINARY, "key", "new"}, {}, out)), 0);
  std::istringstream lines(testing::ReadFile(out));
  std::string key_label, key, sha_label, sha;
  lines >> key_label >> key >> sha_label >> sha;
  EXPECT_EQ(key_label, "key:");
  EXPECT_EQ(sha_label, "sha256:");
  EXPECT_EQ(sha, auth::Sha256Hex(key));
}

// The binary ships linked with jemalloc (host/CMakeLists.txt); a build
// that lost it would still pass every other test, only slower.
TEST(VersionCommand, NamesTheVersionAndTheAllocator) {
  const std::string out = ::testing::TempDir() + "/version.out";
  std::remove(out.c_str());
  ASSERT_EQ(testing::WaitExit(testing::Spawn({MCCIG_BINARY, "version"}, {}, out)), 0);
  const std::string text = testing::ReadFile(out);
  EXPECT_EQ(text.rfind(std::string("mccig ") + MCCIG_VERSION + "\n", 0), 0u) << text;
  EXPECT_NE(text.find("\nallocator: jemalloc 5."), std::string::npos) << text;
}

}  // namespace
}  // namespace mccig
