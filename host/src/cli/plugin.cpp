// plugin.cpp — `mccig plugin check LIB.so [--fixtures DIR] [--options JSON]`:
// the conformance report of plugins/plugin_check.h, one line per check.
// Exit 0 when every check passes, 1 when one fails, 2 on a usage error.
#include <iostream>

#include "cli/commands.h"
#include "log/logging.h"
#include "plugins/plugin_check.h"

namespace mccig::cli {
namespace {

constexpr const char* kPluginUsage =
    "usage: mccig plugin check LIB.so [--fixtures DIR] [--options JSON]\n"
    "  loads LIB.so as the host does, checks its declarations and example payload,\n"
    "  and runs every *.json fixture file in DIR; exit 1 if any check fails\n";

int PluginUsage(const std::string& problem) {
  std::cerr << "mccig plugin: " << problem << "\n" << kPluginUsage;
  return kExitUsage;
}

void Print(const plugins::CheckReport& report) {
  for (const auto& item : report.items) {
    std::cout << (item.passed ? "  ok    " : "  FAIL  ") << item.title << "\n";
    for (const auto& line : item.detail) std::cout << "        " << line << "\n";
  }
  const std::size_t failed = report.failures();
  if (failed == 0) {
    std::cout << "PASS: " << report.items.size() << " checks\n";
  } else {
    std::cout << "FAIL: " << failed << " of " << report.items.size() << " checks failed\n";
  }
}

}  // namespace

int PluginCommand(const std::vector<std::string>& args) {
  if (args.empty() || args[0] != "check") return PluginUsage("the only subcommand is check");
  plugins::CheckRequest request;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const bool has_value = i + 1 < args.size();
    if (args[i] == "--fixtures" && has_value) {
      request.fixtures_dir = args[++i];
    } else if (args[i] == "--options" && has_value) {
      request.options = nlohmann::json::parse(args[++i], nullptr, false);
      if (request.options.is_discarded() || !request.options.is_object()) {
        return PluginUsage("--options must be a JSON object, e.g. '{\"key\": 1}'");
      }
    } else if (!args[i].starts_with("--") && request.library.empty()) {
      request.library = args[i];
    } else {
      return PluginUsage("unexpected argument '" + args[i] + "'");
    }
  }
  if (request.library.empty()) return PluginUsage("no plugin library given");
  std::cout << "mccig plugin check " << request.library << "\n";
  const plugins::CheckReport report = plugins::CheckPlugin(request, log::PluginHostServices());
  Print(report);
  return report.passed() ? kExitOk : kExitFailure;
}

}  // namespace mccig::cli
