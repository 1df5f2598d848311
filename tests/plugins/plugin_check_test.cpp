// `mccig plugin check` as an integrator runs it: the real binary on real
// libraries, judged by its exit code and its report.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "support/plugins.h"
#include "support/process.h"

namespace mccig {
namespace {

struct CommandRun {
  int exit_code = -1;
  std::string output;
};

CommandRun PluginCheck(std::vector<std::string> args) {
  static int n = 0;
  // Tests run as parallel processes sharing TempDir(): the pid keeps files apart.
  const std::string out = ::testing::TempDir() + "/plugin-check-" + std::to_string(getpid()) + "-" +
                          std::to_string(n++) + ".out";
  std::remove(out.c_str());
  args.insert(args.begin(), {MCCIG_BINARY, "plugin", "check"});
  CommandRun run;
  run.exit_code = testing::WaitExit(testing::Spawn(args, {}, out));
  run.output = testing::ReadFile(out);
  return run;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(PluginCheckCommand, BundledPluginsPassWithTheirFixtures) {
  for (const auto& name : testing::BundledPluginNames()) {
    const CommandRun run =
        PluginCheck({testing::BundledPluginPath(name), "--fixtures",
                     std::string(MCCIG_REPO_DIR) + "/plugins/" + name + "/fixtures"});
    EXPECT_EQ(run.exit_code, 0) << run.output;
    EXPECT_TRUE(Contains(run.output, "  ok    declares " + name + " 1.0.0: channel "))
        << run.output;
    EXPECT_TRUE(Contains(run.output, "  ok    cases.json: ")) << run.output;
    EXPECT_TRUE(Contains(run.output, "\nPASS: ")) << run.output;
    EXPECT_FALSE(Contains(run.output, "FAIL")) << run.output;
  }
}

TEST(PluginCheckCommand, AWrongAbiFailsNamingBothVersions) {
  const CommandRun run = PluginCheck({testing::NegativePluginPath("wrong_abi")});
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_TRUE(Contains(run.output, "  FAIL  loads as the host loads it")) << run.output;
  EXPECT_TRUE(Contains(run.output, "built for ABI 999, this host requires ABI 2")) << run.output;
  EXPECT_TRUE(Contains(run.output, "FAIL: 1 of 1 checks failed")) << run.output;
}

TEST(PluginCheckCommand, MissingFactoryAndMissingFileFail) {
  CommandRun run = PluginCheck({testing::NegativePluginPath("no_factory")});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(Contains(run.output, "mccig_plugin_descriptor")) << run.output;
  run = PluginCheck({"/nonexistent/libx.so"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(Contains(run.output, "file not found")) << run.output;
}

TEST(PluginCheckCommand, OptionsAreValidatedAgainstTheDeclaredTable) {
  const std::string lib = testing::NegativePluginPath("with_options");
  EXPECT_EQ(PluginCheck({lib, "--options", R"({"retries": 3})"}).exit_code, 0);
  const CommandRun run = PluginCheck({lib, "--options", R"({"retries": 99})"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(Contains(run.output, "retries")) << run.output;
  EXPECT_EQ(PluginCheck({lib, "--options", "[1]"}).exit_code, 2);
}

TEST(PluginCheckCommand, AFailingFixtureIsReportedWithTheDifference) {
  const std::string dir = ::testing::TempDir() + "/bad-fixtures";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/cases.json") << R"({"cases": [
    {"name": "right", "body": {"tenant_id": "a", "From": "1", "To": "2", "Body": "x",
      "MessageSid": "S1"}, "expect": {"content": "x"}},
    {"name": "wrong", "body": {"tenant_id": "a", "From": "1", "To": "2", "Body": "x",
      "MessageSid": "S1"}, "expect": {"content": "y"}}]})";
  std::ofstream(dir + "/broken.json") << "{not json";
  const CommandRun run = PluginCheck({testing::BundledPluginPath("sms"), "--fixtures", dir});
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_TRUE(Contains(run.output, "  ok    cases.json: right\n")) << run.output;
  EXPECT_TRUE(Contains(run.output, "  FAIL  cases.json: wrong\n")) << run.output;
  EXPECT_TRUE(Contains(run.output, R"(content: expected "y", got "x")")) << run.output;
  EXPECT_TRUE(Contains(run.output, "  FAIL  broken.json\n")) << run.output;
  EXPECT_TRUE(Contains(run.output, "FAIL: 2 of 6 checks failed")) << run.output;
  const CommandRun empty =
      PluginCheck({testing::BundledPluginPath("sms"), "--fixtures", "/nonexistent"});
  EXPECT_EQ(empty.exit_code, 1) << empty.output;
}

TEST(PluginCheckCommand, UsageErrorsExitTwo) {
  EXPECT_EQ(PluginCheck({}).exit_code, 2);
  EXPECT_EQ(PluginCheck({"a.so", "b.so"}).exit_code, 2);
  EXPECT_EQ(PluginCheck({"a.so", "--fixtures"}).exit_code, 2);
}

}  // namespace
}  // namespace mccig
