// The README's operator section is checked against the code, so it cannot
// drift: every config key the loader accepts (its Section(...) key lists),
// every environment variable it reads, and every metric /metrics renders
// must be named there.
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "ops/metrics.h"

namespace mccig {
namespace {

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::string& Readme() {
  static const std::string kText = Read(std::string(MCCIG_REPO_DIR) + "/README.md");
  return kText;
}

const std::string& LoaderSource() {
  static const std::string kText =
      Read(std::string(MCCIG_REPO_DIR) + "/host/src/config/config_loader.cpp");
  return kText;
}

TEST(OperatorDocs, EveryConfigKeyIsDocumented) {
  // r.Section(node, "path", {"key", ...}) — the keys each section accepts.
  const std::regex section(R"re(Section\([^;]*?\{([^}]*)\}\))re");
  const std::regex quoted(R"re("([a-z_]+)")re");
  std::set<std::string> keys;
  const std::string& src = LoaderSource();
  for (auto it = std::sregex_iterator(src.begin(), src.end(), section);
       it != std::sregex_iterator(); ++it) {
    const std::string list = (*it)[1];
    for (auto k = std::sregex_iterator(list.begin(), list.end(), quoted);
         k != std::sregex_iterator(); ++k) {
      keys.insert((*k)[1]);
    }
  }
  ASSERT_GT(keys.size(), 30u) << "the loader's key lists were not found";
  for (const std::string& key : keys) {
    EXPECT_NE(Readme().find(key), std::string::npos)
        << "config key '" << key << "' is not in README.md";
  }
}

TEST(OperatorDocs, EveryEnvironmentVariableIsDocumented) {
  const std::regex env(R"re((?:integer|boolean|string|number)\("([A-Z_]+)")re");
  std::set<std::string> vars = {"MCCIG_PLUGIN_DIR", "MCCIG_CONFIG"};
  const std::string& src = LoaderSource();
  for (auto it = std::sregex_iterator(src.begin(), src.end(), env); it != std::sregex_iterator();
       ++it) {
    vars.insert((*it)[1]);
  }
  ASSERT_GT(vars.size(), 15u) << "the loader's variables were not found";
  for (const std::string& var : vars) {
    EXPECT_NE(Readme().find("`" + var + "`"), std::string::npos)
        << "environment variable " << var << " is not in README.md";
  }
}

TEST(OperatorDocs, EveryMetricIsDocumented) {
  ops::Metrics metrics({"acme"});
  metrics.ObserveRequest("ingest", "sms", 201);
  metrics.ObserveAdmission("acme", "accepted", 0.001);
  worker::WorkerStats stats;
  const std::string text = metrics.Render({.queue = queue::QueueStats{}, .worker = &stats});
  const std::regex type(R"re(# TYPE ([a-z_]+) )re");
  int count = 0;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), type); it != std::sregex_iterator();
       ++it, ++count) {
    const std::string name = (*it)[1];
    EXPECT_NE(Readme().find("`" + name + "`"), std::string::npos)
        << "metric " << name << " is not in README.md";
  }
  EXPECT_GT(count, 15);
}

}  // namespace
}  // namespace mccig
