// cli.cpp — argument parsing and dispatch; see cli.h.
#include "cli/cli.h"

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "cli/allocator.h"
#include "cli/commands.h"

namespace mccig::cli {
namespace {

constexpr const char* kUsage = R"(usage: mccig <command> [options]

commands:
  serve  [--config FILE]   run the HTTP gateway
  worker [--config FILE]   run the worker: queue -> PostgreSQL, retries, dead letters
  run    [--config FILE]   run the gateway and the worker in one process
  migrate [--config FILE]  apply the pending database migrations
  dlq list [--limit N] [--json] [--config FILE]
                           show the dead-letter queue, oldest first
  dlq replay --id ID... | --all [--config FILE]
                           put dead letters back on the queue
  config check FILE        check a config file and its plugins; exit 2 on error
  plugin check LIB.so [--fixtures DIR] [--options JSON]
                           check a plugin library as the host would load it and
                           run its fixtures; exit 1 if any check fails
  simulate --url URL [--key K --neighbour-key K --admin-token T ...]
                           play mixed traffic, a duplicate replay, a noisy neighbour
                           and a forced failure against a live gateway; exit 1 on a failure
  key new                  make an API key (or admin token) and print it with its SHA-256
  key hash                 print the SHA-256 of a key read from standard input
  version                  print the version

--config defaults to $MCCIG_CONFIG, else config/mccig.yaml.
)";

int Usage(const std::string& problem) {
  if (!problem.empty()) std::cerr << "mccig: " << problem << "\n\n";
  std::cerr << kUsage;
  return kExitUsage;
}

std::string DefaultConfig() {
  const char* env = std::getenv("MCCIG_CONFIG");
  return env != nullptr && *env != '\0' ? env : "config/mccig.yaml";
}

// Parses "[--config FILE]"; false on anything else.
bool ParseConfigFlag(const std::vector<std::string>& args, std::size_t from, std::string& path) {
  for (std::size_t i = from; i < args.size(); ++i) {
    if (args[i] == "--config" && i + 1 < args.size()) {
      path = args[++i];
    } else if (args[i].starts_with("--config=")) {
      path = args[i].substr(9);
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

int Main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
    return Usage(args.empty() ? "no command given" : "");
  }
  const std::string& command = args[0];
  if (command == "version" || command == "--version") {
    std::cout << "mccig " << MCCIG_VERSION << "\nallocator: " << AllocatorName() << "\n";
    return kExitOk;
  }
  if (command == "config") {
    if (args.size() != 3 || args[1] != "check") return Usage("usage: mccig config check FILE");
    return ConfigCheck(args[2]);
  }
  if (command == "serve" || command == "run" || command == "worker" || command == "migrate") {
    std::string path = DefaultConfig();
    if (!ParseConfigFlag(args, 1, path)) return Usage("unexpected arguments to " + command);
    if (command == "migrate") return MigrateCommand(path);
    return Serve(path, Roles{.http = command != "worker", .worker = command != "serve"});
  }
  if (command == "plugin") return PluginCommand({args.begin() + 1, args.end()});
  if (command == "simulate") return SimulateCommand({args.begin() + 1, args.end()});
  if (command == "key") return KeyCommand({args.begin() + 1, args.end()});
  if (command == "dlq") {
    std::string path = DefaultConfig();
    std::vector<std::string> rest;
    for (std::size_t i = 1; i < args.size(); ++i) {
      if (args[i] == "--config" && i + 1 < args.size()) {
        path = args[++i];
      } else {
        rest.push_back(args[i]);
      }
    }
    return DeadLetterCommand(path, rest);
  }
  return Usage("unknown command '" + command + "'");
}

}  // namespace mccig::cli
