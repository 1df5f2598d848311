// The example plugin (examples/vonage_sms), built out of tree against the
// installed SDK by build_example.sh (the ctest fixture this suite requires),
// loaded by the unchanged `mccig run` from a YAML file, and followed down to
// its PostgreSQL rows; and checked with `mccig plugin check` and its fixtures.
#include <fstream>

#include <gtest/gtest.h>

#include "support/gateway_process.h"

namespace mccig {
namespace {

using nlohmann::json;

const std::string kLibrary = std::string(MCCIG_EXAMPLE_BUILD_DIR) + "/libmccig_vonage_sms.so";
const std::string kRoute = "/v1/ingest/vonage/sms";

json VonagePayload(const std::string& id) {
  return {{"tenant_id", "acme"},
          {"msisdn", "447700900001"},
          {"to", "447700900000"},
          {"messageId", id},
          {"text", "Where is my parcel?"},
          {"type", "text"},
          {"message-timestamp", "2024-05-01 12:00:00"}};
}

TEST(ExamplePlugin, PassesThePluginCheckWithItsFixtures) {
  const std::string out = ::testing::TempDir() + "/example-check.out";
  std::remove(out.c_str());
  const int code = testing::WaitExit(
      testing::Spawn({MCCIG_BINARY, "plugin", "check", kLibrary, "--fixtures",
                      std::string(MCCIG_REPO_DIR) + "/examples/vonage_sms/fixtures"},
                     {}, out));
  const std::string report = testing::ReadFile(out);
  EXPECT_EQ(code, 0) << report;
  EXPECT_NE(report.find("declares vonage_sms 1.0.0: channel sms, routes /v1/ingest/vonage/sms"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("PASS: 8 checks"), std::string::npos) << report;
}

class ExamplePluginInTheHost : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(gateway_.Start("example-plugin",
                               std::string("plugin_dir: ") + MCCIG_EXAMPLE_BUILD_DIR + "\n" +
                                   "auth: {mode: none}\n"
                                   "worker: {concurrency: 1, batch_size: 10}\n"
                                   "plugins:\n"
                                   "  - {name: vonage_sms, path: libmccig_vonage_sms.so}\n"))
        << gateway_.log();
  }
  void TearDown() override { EXPECT_EQ(gateway_.Stop(), 0) << gateway_.log(); }

  pqxx::result Rows() {
    pqxx::connection c(gateway_.database().url());
    return pqxx::nontransaction(c).exec(
        "SELECT provider_message_id, channel, content, metadata->>'from', "
        "to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), "
        "raw_metadata->>'api-key' FROM conversation_events ORDER BY provider_message_id");
  }

  testing::GatewayProcess gateway_;
};

TEST_F(ExamplePluginInTheHost, StoresJsonAndFormWebhooksOnceEach) {
  const auto json_post = testing::PostJson(gateway_.port(), kRoute, VonagePayload("0A01"));
  ASSERT_EQ(json_post.status, 201) << json_post.body;
  const auto form_post = testing::HttpCall(gateway_.port(), "POST", kRoute,
                                           "msisdn=447700900002&to=447700900000&messageId=0A02&"
                                           "text=Hi+there&api-key=abcd&tenant_id=acme",
                                           "application/x-www-form-urlencoded");
  ASSERT_EQ(form_post.status, 201) << form_post.body;
  const auto again = testing::PostJson(gateway_.port(), kRoute, VonagePayload("0A01"));
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.Json()["status"], "duplicate");
  EXPECT_EQ(again.Json()["event_id"], json_post.Json()["event_id"]);

  json bad = VonagePayload("0A03");
  bad["message-timestamp"] = "yesterday";
  const auto refused = testing::PostJson(gateway_.port(), kRoute, bad);
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(refused.Json()["details"][0]["field"], "message-timestamp") << refused.body;

  ASSERT_TRUE(testing::WaitUntil([&] { return Rows().size() == 2; }));
  const pqxx::result rows = Rows();
  EXPECT_EQ(rows[0][0].as<std::string>(), "0A01");
  EXPECT_EQ(rows[0][1].as<std::string>(), "sms");
  EXPECT_EQ(rows[0][2].as<std::string>(), "Where is my parcel?");
  EXPECT_EQ(rows[0][3].as<std::string>(), "447700900001");
  EXPECT_EQ(rows[0][4].as<std::string>(), "2024-05-01 12:00:00") << "Vonage's UTC time";
  EXPECT_EQ(rows[1][0].as<std::string>(), "0A02");
  EXPECT_EQ(rows[1][2].as<std::string>(), "Hi there");
  EXPECT_EQ(rows[1][5].as<std::string>(), "abcd") << "extra provider fields are kept raw";
}

}  // namespace
}  // namespace mccig
