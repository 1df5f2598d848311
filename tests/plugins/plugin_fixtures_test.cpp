// Runs each bundled plugin's testdata/cases.json through the real loader and
// pipeline. A case posts a body (JSON, or a raw form string) and expects
// either the normalized event's fields or the exact list of errors.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <mccig/sdk/timestamp.h>

#include "ingest/ingest_pipeline.h"
#include "support/plugins.h"

namespace mccig {
namespace {

using nlohmann::json;

json LoadCases(const std::string& plugin) {
  const std::string path =
      std::string(MCCIG_REPO_DIR) + "/plugins/" + plugin + "/testdata/cases.json";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("missing " + path);
  return json::parse(in);
}

void CheckExpected(const json& expect, const sdk::ConversationEvent& event,
                   const std::string& name) {
  const json actual = sdk::ToJson(event);
  for (const auto& [key, value] : expect.items()) {
    EXPECT_EQ(actual.at(key), value) << name << ": " << key;
  }
}

void RunCase(const sdk::ChannelPlugin& plugin, const json& c) {
  const std::string name = c.at("name");
  const bool form = c.contains("form");
  const std::string body =
      form ? c.at("form").get<std::string>() : c.value("raw", c.value("body", json()).dump());
  const std::string content_type =
      c.value("content_type", form ? "application/x-www-form-urlencoded" : "application/json");
  auto event =
      ingest::PrepareEvent(plugin, {.content_type = content_type,
                                    .body = body,
                                    .received_ms = *sdk::ParseTimestamp("2024-01-01T00:00:00Z")});
  if (c.contains("expect")) {
    ASSERT_TRUE(event.ok()) << name << ": " << event.error().message;
    CheckExpected(c.at("expect"), event.value(), name);
    return;
  }
  ASSERT_FALSE(event.ok()) << name << ": expected a rejection";
  EXPECT_EQ(event.error().code, c.value("error", "validation_failed")) << name;
  if (c.contains("errors")) {
    json errors = json::array();
    for (const auto& d : event.error().details)
      errors.push_back({{"field", d.field}, {"message", d.message}});
    EXPECT_EQ(errors, c.at("errors")) << name;
  }
}

class PluginFixtures : public ::testing::TestWithParam<std::string> {};

TEST_P(PluginFixtures, AllCasesPass) {
  auto loaded = testing::LoadBundled(GetParam());
  const json cases = LoadCases(GetParam());
  ASSERT_GE(cases.at("cases").size(), 5u);
  for (const auto& c : cases.at("cases")) RunCase(*loaded.plugin, c);
}

INSTANTIATE_TEST_SUITE_P(All, PluginFixtures, ::testing::ValuesIn(testing::BundledPluginNames()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace mccig
