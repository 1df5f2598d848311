// Each bundled plugin's fixtures/ through the conformance checker
// (plugins/plugin_check.h) and the real loader, in process; and the checker
// itself: it must fail a case whose expectation is wrong and say why.
#include <gtest/gtest.h>

#include "plugins/plugin_check.h"
#include "support/plugins.h"

namespace mccig {
namespace {

using nlohmann::json;

std::string FixturesDir(const std::string& plugin) {
  return std::string(MCCIG_REPO_DIR) + "/plugins/" + plugin + "/fixtures";
}

std::string Describe(const plugins::CheckReport& report) {
  std::string out;
  for (const auto& item : report.items) {
    out += (item.passed ? "ok   " : "FAIL ") + item.title + "\n";
    for (const auto& line : item.detail) out += "       " + line + "\n";
  }
  return out;
}

class PluginFixtures : public ::testing::TestWithParam<std::string> {};

TEST_P(PluginFixtures, EveryCheckPasses) {
  const plugins::CheckReport report = plugins::CheckPlugin(
      {.library = testing::BundledPluginPath(GetParam()), .fixtures_dir = FixturesDir(GetParam())},
      log::PluginHostServices());
  EXPECT_TRUE(report.passed()) << Describe(report);
  EXPECT_GE(report.items.size(), 3u + 5u) << "load, declarations, example and at least 5 cases";
}

INSTANTIATE_TEST_SUITE_P(All, PluginFixtures, ::testing::ValuesIn(testing::BundledPluginNames()),
                         [](const auto& info) { return info.param; });

class FixtureCase : public ::testing::Test {
 protected:
  plugins::LoadedPlugin sms_ = testing::LoadBundled("sms");
  json valid_ = {
      {"tenant_id", "acme"}, {"From", "+1"}, {"To", "+2"}, {"Body", "hi"}, {"MessageSid", "SM1"}};

  plugins::CheckItem Run(const json& c) {
    return plugins::RunFixtureCase(*sms_.plugin, c, "cases.json");
  }
};

TEST_F(FixtureCase, AWrongExpectationFailsNamingTheFieldAndBothValues) {
  const auto item = Run({{"name", "wrong content"},
                         {"body", valid_},
                         {"expect", {{"content", "bye"}, {"provider_message_id", "SM1"}}}});
  EXPECT_FALSE(item.passed);
  EXPECT_EQ(item.title, "cases.json: wrong content");
  ASSERT_EQ(item.detail.size(), 1u);
  EXPECT_EQ(item.detail[0], R"(content: expected "bye", got "hi")");
}

TEST_F(FixtureCase, AnAcceptedPayloadFailsACaseExpectingErrors) {
  const auto item = Run({{"name", "n"}, {"body", valid_}, {"errors", json::array()}});
  EXPECT_FALSE(item.passed);
  ASSERT_FALSE(item.detail.empty());
  EXPECT_TRUE(item.detail[0].starts_with("expected a refusal")) << item.detail[0];
}

TEST_F(FixtureCase, ErrorsMustMatchExactlyAndInOrder) {
  json body = valid_;
  body.erase("From");
  body.erase("To");
  const json errors = {{{"field", "From"}, {"message", "required"}},
                       {{"field", "To"}, {"message", "required"}}};
  EXPECT_TRUE(Run({{"name", "n"}, {"body", body}, {"errors", errors}}).passed);
  const json reversed = {errors[1], errors[0]};
  EXPECT_FALSE(Run({{"name", "n"}, {"body", body}, {"errors", reversed}}).passed);
  EXPECT_FALSE(Run({{"name", "n"}, {"body", body}, {"error", "invalid_json"}}).passed);
}

TEST_F(FixtureCase, ACaseWithoutAPayloadOrAnExpectationIsMalformed) {
  EXPECT_FALSE(Run({{"name", "n"}, {"expect", json::object()}}).passed);
  EXPECT_FALSE(Run({{"name", "n"}, {"body", valid_}}).passed);
}

}  // namespace
}  // namespace mccig
