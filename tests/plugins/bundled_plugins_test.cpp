// Lifecycle and schema tests run over every bundled plugin (typed by name):
// load the real .so, check the declarations, build a valid payload from the
// declared examples, then each required field missing and each field with a
// wrong type — through the real pipeline — and load/use/destroy twice.
#include <gtest/gtest.h>

#include "ingest/ingest_pipeline.h"
#include "support/plugins.h"
#include "support/samples.h"

namespace mccig {
namespace {

using nlohmann::json;

class BundledPlugin : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { loaded_ = testing::LoadBundled(GetParam()); }
  const sdk::ChannelPlugin& plugin() const { return *loaded_.plugin; }

  json ExamplePayload() const {
    json payload = json::object();
    for (const auto& f : plugin().Info().fields) payload[f.name] = f.example;
    return payload;
  }

  sdk::Result<sdk::ConversationEvent> Prepare(const json& payload) const {
    const std::string body = payload.dump();
    return ingest::PrepareEvent(
        plugin(), {.content_type = "application/json", .body = body, .received_ms = 1700000000000});
  }

  plugins::LoadedPlugin loaded_;
};

TEST_P(BundledPlugin, DeclaresAWellFormedSchema) {
  const sdk::PluginInfo& info = plugin().Info();
  EXPECT_EQ(info.name, GetParam());
  EXPECT_EQ(info.routes, std::vector<std::string>{GetParam()});
  EXPECT_EQ(sdk::ChannelName(info.channel), GetParam());
  EXPECT_TRUE(plugins::CheckDeclarations(info).empty());
  for (const auto& f : info.fields) {
    EXPECT_FALSE(f.description.empty()) << f.name;
    EXPECT_FALSE(f.example.is_null()) << f.name << ": every field needs an example for the docs";
  }
}

TEST_P(BundledPlugin, AcceptsTheDeclaredExamples) {
  auto event = Prepare(ExamplePayload());
  ASSERT_TRUE(event.ok()) << event.error().message << " "
                          << (event.error().details.empty() ? "" : event.error().details[0].field);
  EXPECT_EQ(event.value().tenant_id, "acme");
  EXPECT_EQ(event.value().raw_metadata, ExamplePayload());
  EXPECT_TRUE(event.value().timestamp_from_provider);
  EXPECT_EQ(event.value().timestamp_ms, 1714564800000);
}

// The queue carries a JSON body's own text as the event's raw_metadata:
// it must say what the value says, on one line, whatever the body's layout.
TEST_P(BundledPlugin, QueuesAJsonBodyAsItsRawMetadataOnOneLine) {
  const json payload = ExamplePayload();
  const std::string body = testing::LaidOutBody(payload);
  auto prepared = ingest::PrepareEventAndText(
      plugin(), {.content_type = "application/json", .body = body, .received_ms = 1700000000000});
  ASSERT_TRUE(prepared.ok()) << prepared.error().message;
  const std::string& text = prepared.value().raw_metadata_text;
  EXPECT_EQ(text, payload.dump()) << "compact, in the body's order";
  EXPECT_EQ(json::parse(text), prepared.value().event.raw_metadata);

  // The tenant from the API key fills the payload for validation only.
  json without_tenant = payload;
  without_tenant.erase(plugin().Info().mapping.tenant_field);
  const std::string compact = without_tenant.dump();
  const ingest::Caller caller{.auth_required = true, .key_tenant = "acme"};
  auto keyed = ingest::PrepareEventAndText(plugin(), {.content_type = "application/json",
                                                      .body = compact,
                                                      .received_ms = 1700000000000,
                                                      .caller = &caller});
  ASSERT_TRUE(keyed.ok()) << keyed.error().message;
  EXPECT_EQ(keyed.value().event.tenant_id, "acme");
  EXPECT_EQ(keyed.value().raw_metadata_text, compact);
  EXPECT_EQ(json::parse(keyed.value().raw_metadata_text), keyed.value().event.raw_metadata);
}

TEST_P(BundledPlugin, ReportsEachMissingRequiredField) {
  for (const auto& f : plugin().Info().fields) {
    if (!f.required) continue;
    json payload = ExamplePayload();
    payload.erase(f.name);
    auto event = Prepare(payload);
    ASSERT_FALSE(event.ok()) << f.name;
    EXPECT_EQ(event.error().details, (sdk::FieldErrors{{f.name, "required"}})) << f.name;
  }
}

TEST_P(BundledPlugin, ReportsEveryMissingFieldAtOnce) {
  auto event = Prepare(json::object());
  ASSERT_FALSE(event.ok());
  std::size_t required = 0;
  for (const auto& f : plugin().Info().fields) required += f.required;
  EXPECT_EQ(event.error().details.size(), required);
}

TEST_P(BundledPlugin, ReportsEachWrongType) {
  for (const auto& f : plugin().Info().fields) {
    json payload = ExamplePayload();
    payload[f.name] = f.type == sdk::FieldType::kString || f.type == sdk::FieldType::kTimestamp
                          ? json(123)
                          : json("wrong");
    auto event = Prepare(payload);
    ASSERT_FALSE(event.ok()) << f.name;
    ASSERT_EQ(event.error().details.size(), 1u) << f.name;
    EXPECT_EQ(event.error().details[0].field, f.name);
    EXPECT_TRUE(event.error().details[0].message.starts_with("must be"))
        << event.error().details[0].message;
  }
}

TEST_P(BundledPlugin, FallsBackToTheReceiveTime) {
  json payload = ExamplePayload();
  payload.erase(plugin().Info().mapping.timestamp_field);
  auto event = Prepare(payload);
  ASSERT_TRUE(event.ok());
  EXPECT_FALSE(event.value().timestamp_from_provider);
  EXPECT_EQ(event.value().timestamp_ms, 1700000000000);
}

TEST_P(BundledPlugin, LoadsUsesAndUnloadsTwice) {
  for (int round = 0; round < 2; ++round) {
    auto loaded = testing::LoadBundled(GetParam());
    auto event = ingest::PrepareEvent(
        *loaded.plugin,
        {.content_type = "application/json", .body = ExamplePayload().dump(), .received_ms = 1});
    EXPECT_TRUE(event.ok());
    loaded.plugin.reset();  // last reference: the plugin dies, then its library
  }
}

INSTANTIATE_TEST_SUITE_P(All, BundledPlugin, ::testing::ValuesIn(testing::BundledPluginNames()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace mccig

namespace mccig {
namespace {

TEST(PluginDeclarations, RoutesEndingInBatchAreTheHostsAndRefused) {
  sdk::PluginInfo info = testing::BundledRegistry()->plugins().front().plugin->Info();
  for (const char* route : {"batch", "sms/batch"}) {
    info.routes = {route};
    const auto problems = plugins::CheckDeclarations(info);
    ASSERT_EQ(problems.size(), 1u) << route;
    EXPECT_NE(problems[0].find("/v1/ingest/{route}/batch"), std::string::npos) << problems[0];
  }
  info.routes = {"batches"};
  EXPECT_TRUE(plugins::CheckDeclarations(info).empty());
}

}  // namespace
}  // namespace mccig

namespace mccig {
namespace {

TEST(PluginDeclarations, UnknownEnumValuesAndInvertedBoundsAreRefused) {
  sdk::PluginInfo info = testing::BundledRegistry()->plugins().front().plugin->Info();
  info.channel = static_cast<sdk::ChannelType>(7);
  info.accepts = {static_cast<sdk::BodyFormat>(9)};
  info.fields[1].type = static_cast<sdk::FieldType>(42);
  info.fields[1].format = static_cast<sdk::StringFormat>(5);
  info.fields[2].min_length = 10;
  info.fields[2].max_length = 2;
  info.options = {sdk::FieldSpec{.name = "retries", .minimum = 5, .maximum = 1}};
  const std::string f1 = info.fields[1].name, f2 = info.fields[2].name;
  EXPECT_EQ(plugins::CheckDeclarations(info),
            (std::vector<std::string>{"declares an unknown channel (7)",
                                      "accepts an unknown body format (9)",
                                      "field '" + f1 + "' has an unknown type",
                                      "field '" + f1 + "' has an unknown string format",
                                      "field '" + f2 + "' has min_length above max_length",
                                      "option 'retries' has minimum above maximum"}));
}

}  // namespace
}  // namespace mccig
