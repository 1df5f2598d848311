// The loader refuses bad libraries with one line naming the file; contains
// plugins that throw; validates declared options; the registry refuses two
// plugins on one route; libraries outlive the registry that loaded them.
#include "plugins/plugin_loader.h"

#include <gtest/gtest.h>

#include "ingest/ingest_pipeline.h"
#include "plugins/plugin_registry.h"
#include "support/plugins.h"

namespace mccig::plugins {
namespace {

using testing::BundledPluginPath;
using testing::Entry;
using testing::NegativePluginPath;

std::string OnlyError(const config::PluginEntry& entry) {
  LoadOutcome outcome = LoadPlugin(entry, log::PluginHostServices());
  EXPECT_TRUE(outcome.loaded.empty());
  EXPECT_EQ(outcome.errors.size(), 1u);
  return outcome.errors.empty() ? "" : outcome.errors.front().Line();
}

TEST(PluginLoader, LoadsABundledPlugin) {
  LoadOutcome outcome =
      LoadPlugin(Entry("sms", BundledPluginPath("sms")), log::PluginHostServices());
  ASSERT_TRUE(outcome.errors.empty()) << outcome.errors.front().Line();
  ASSERT_EQ(outcome.loaded.size(), 1u);
  EXPECT_EQ(outcome.loaded[0].plugin->Info().name, "sms");
  EXPECT_EQ(outcome.loaded[0].path, BundledPluginPath("sms"));
}

TEST(PluginLoader, RefusesAMissingFile) {
  EXPECT_EQ(OnlyError(Entry("sms", "/nonexistent/libx.so")),
            "plugins[0] (/nonexistent/libx.so): file not found");
}

TEST(PluginLoader, RefusesALibraryWithoutFactory) {
  const std::string path = NegativePluginPath("no_factory");
  EXPECT_EQ(OnlyError(Entry("x", path)),
            "plugins[0] (" + path +
                "): no plugin factory: the symbol 'mccig_plugin_descriptor' is not exported (build "
                "the plugin with MCCIG_PLUGIN)");
}

TEST(PluginLoader, RefusesAnAbiMismatchNamingBothVersions) {
  const std::string path = NegativePluginPath("wrong_abi");
  EXPECT_EQ(
      OnlyError(Entry("x", path)),
      "plugins[0] (" + path +
          "): ABI version mismatch: the plugin was built for ABI 999, this host requires ABI " +
          std::to_string(sdk::kAbiVersion) + "; rebuild it against this SDK");
}

TEST(PluginLoader, RefusesAFileThatIsNotALibrary) {
  const std::string path = std::string(MCCIG_REPO_DIR) + "/config/mccig.yaml";
  EXPECT_NE(OnlyError(Entry("x", path)).find("cannot load the library"), std::string::npos);
}

TEST(PluginLoader, RefusesANameMismatch) {
  EXPECT_NE(OnlyError(Entry("chat", BundledPluginPath("sms")))
                .find("the plugin declares the name 'sms' but the config calls it 'chat'"),
            std::string::npos);
}

TEST(PluginLoader, ValidatesDeclaredOptionsWithKeyPaths) {
  const std::string path = NegativePluginPath("with_options");
  LoadOutcome bad = LoadPlugin(Entry("with_options", path, {{"retries", 11}, {"prefx", "a"}}, 2),
                               log::PluginHostServices());
  ASSERT_EQ(bad.errors.size(), 2u);
  EXPECT_EQ(bad.errors[0].Line(),
            "plugins[2] (" + path + "): plugins[2].options.retries: must be at most 10");
  EXPECT_EQ(bad.errors[1].Line(),
            "plugins[2] (" + path + "): plugins[2].options.prefx: unknown key");
  // Unknown options on a plugin that declares none are refused too.
  EXPECT_NE(OnlyError(Entry("sms", BundledPluginPath("sms"), {{"anything", 1}}))
                .find("plugins[0].options.anything: unknown key"),
            std::string::npos);
}

TEST(PluginLoader, PassesResolvedOptionsToThePlugin) {
  auto loaded = testing::LoadOrFail(
      Entry("with_options", NegativePluginPath("with_options"), {{"prefix", "x-"}}));
  auto normalized = loaded.plugin->Normalize({{"tenant_id", "t"}, {"id", "1"}});
  ASSERT_TRUE(normalized.ok());
  EXPECT_EQ(normalized.value().provider_message_id, "x-1");
  auto defaults = testing::LoadOrFail(Entry("with_options", NegativePluginPath("with_options")));
  EXPECT_EQ(
      defaults.plugin->Normalize({{"tenant_id", "t"}, {"id", "1"}}).value().provider_message_id,
      "opt-1");
}

TEST(PluginLoader, ContainsAPluginThatThrows) {
  auto loaded = testing::LoadOrFail(Entry("throwing", NegativePluginPath("throwing")));
  auto result = loaded.plugin->Normalize({{"tenant_id", "t"}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "plugin_error");
  EXPECT_EQ(result.error().message, "plugin threw: boom");
}

TEST(PluginLoader, CollectsEveryErrorOfAList) {
  LoadOutcome outcome = LoadPlugins(
      {Entry("sms", BundledPluginPath("sms"), nullptr, 0), Entry("a", "/missing/a.so", nullptr, 1),
       Entry("b", NegativePluginPath("wrong_abi"), nullptr, 2)},
      log::PluginHostServices());
  EXPECT_EQ(outcome.loaded.size(), 1u);
  ASSERT_EQ(outcome.errors.size(), 2u);
  EXPECT_EQ(outcome.errors[0].key, "plugins[1]");
  EXPECT_EQ(outcome.errors[1].key, "plugins[2]");
}

TEST(PluginRegistry, RefusesTwoPluginsOnOneRouteNamingBothFiles) {
  std::vector<LoadedPlugin> loaded = {
      testing::LoadOrFail(Entry("sms", BundledPluginPath("sms"), nullptr, 0)),
      testing::LoadOrFail(Entry("sms_clone", NegativePluginPath("sms_clone"), nullptr, 1))};
  std::vector<std::string> errors;
  EXPECT_EQ(PluginRegistry::Build(std::move(loaded), errors), nullptr);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "route /v1/ingest/sms is claimed by both plugins[0] (" +
                           BundledPluginPath("sms") + ") and plugins[1] (" +
                           NegativePluginPath("sms_clone") + ")");
}

TEST(PluginRegistry, RefusesTwoPluginsWithOneName) {
  std::vector<LoadedPlugin> loaded = {
      testing::LoadOrFail(Entry("chat", BundledPluginPath("chat"), nullptr, 0)),
      testing::LoadOrFail(Entry("chat", BundledPluginPath("chat"), nullptr, 1))};
  std::vector<std::string> errors;
  EXPECT_EQ(PluginRegistry::Build(std::move(loaded), errors), nullptr);
  ASSERT_EQ(errors.size(), 2u);  // the name and the route
  EXPECT_NE(errors[0].find("plugin name 'chat' is claimed by both plugins[0]"), std::string::npos);
}

TEST(PluginRegistry, PluginsOutliveTheirRegistry) {
  std::shared_ptr<const sdk::ChannelPlugin> kept;
  {
    auto registry = testing::BundledRegistry();
    ASSERT_NE(registry, nullptr);
    kept = registry->Find("voice")->plugin;
  }
  // The registry and every other reference are gone; the code must still be mapped.
  EXPECT_EQ(kept->Info().name, "voice");
  auto event = kept->Normalize(
      {{"tenant_id", "t"}, {"callId", "c"}, {"transcript_text", "x"}, {"confidence", 1}});
  ASSERT_TRUE(event.ok());
  EXPECT_EQ(event.value().provider_message_id, "c");
}

}  // namespace
}  // namespace mccig::plugins
