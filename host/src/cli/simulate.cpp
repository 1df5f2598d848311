// simulate.cpp — `mccig simulate --url URL [options]`: plays the scenarios of
// simulator/simulation.h against a live gateway and prints a verdict line
// per scenario. Exit 0 when none failed (a skip is not a failure), 1 when
// one failed, 2 on a usage error.
#include <iostream>
#include <map>

#include "cli/commands.h"
#include "simulator/simulation.h"

namespace mccig::cli {
namespace {

constexpr const char* kSimulateUsage = R"(usage: mccig simulate --url URL [options]
  --key KEY              the main tenant's API key (omit when auth.mode is none)
  --neighbour-key KEY    the noisy neighbour's API key
  --admin-token TOKEN    for /v1/internal/*, which must be enabled
  --tenant ID            the main key's tenant (default acme)
  --neighbour ID         the neighbour key's tenant (default globex)
  --events N             events per channel in the mixed traffic (default 20)
  --timeout-seconds N    how long to wait for rows and dead letters (default 60)
)";

int SimulateUsage(const std::string& problem) {
  std::cerr << "mccig simulate: " << problem << "\n" << kSimulateUsage;
  return kExitUsage;
}

const char* VerdictText(simulator::Verdict v) {
  switch (v) {
    case simulator::Verdict::kPass:
      return "PASS";
    case simulator::Verdict::kSkip:
      return "SKIP";
    case simulator::Verdict::kFail:
      break;
  }
  return "FAIL";
}

// Applies "--flag value" pairs to `config`; an error message, or empty.
std::string ParseFlags(const std::vector<std::string>& args, simulator::SimulationConfig& config) {
  const std::map<std::string, std::string*> text = {{"--url", &config.url},
                                                    {"--key", &config.api_key},
                                                    {"--neighbour-key", &config.neighbour_key},
                                                    {"--admin-token", &config.admin_token},
                                                    {"--tenant", &config.tenant},
                                                    {"--neighbour", &config.neighbour}};
  for (std::size_t i = 0; i < args.size(); i += 2) {
    if (i + 1 >= args.size()) return "missing a value after " + args[i];
    const std::string& value = args[i + 1];
    if (auto it = text.find(args[i]); it != text.end()) {
      *it->second = value;
    } else if (args[i] == "--events" || args[i] == "--timeout-seconds") {
      int n = 0;
      try {
        n = std::stoi(value);
      } catch (const std::exception&) {
      }
      if (n < 1 || n > 100000) return args[i] + " must be a number from 1 to 100000";
      if (args[i] == "--events") config.events_per_channel = n;
      if (args[i] == "--timeout-seconds") config.timeout = std::chrono::seconds(n);
    } else {
      return "unknown option '" + args[i] + "'";
    }
  }
  return config.url.empty() ? "--url is required" : "";
}

}  // namespace

int SimulateCommand(const std::vector<std::string>& args) {
  simulator::SimulationConfig config;
  if (std::string problem = ParseFlags(args, config); !problem.empty()) {
    return SimulateUsage(problem);
  }
  std::vector<simulator::ScenarioResult> results;
  try {
    results = simulator::RunSimulation(config);
  } catch (const std::invalid_argument& e) {
    return SimulateUsage(e.what());
  }
  int failed = 0;
  std::cout << "mccig simulate " << config.url << "\n";
  for (const auto& r : results) {
    std::cout << "  " << VerdictText(r.verdict) << "  " << r.name << ": " << r.summary << "\n";
    for (const auto& line : r.detail) std::cout << "        " << line << "\n";
    if (r.verdict == simulator::Verdict::kFail) ++failed;
  }
  std::cout << (failed == 0 ? "PASS" : "FAIL") << ": " << results.size() - failed << " of "
            << results.size() << " scenarios passed or skipped\n";
  return failed == 0 ? kExitOk : kExitFailure;
}

}  // namespace mccig::cli
