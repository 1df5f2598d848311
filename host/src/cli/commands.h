// commands.h — the subcommands behind cli.h, and what they share.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "plugins/plugin_registry.h"

namespace mccig::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// Loads the config and its plugins. On any error prints every problem (one
// line each, to stderr) and returns nullopt.
struct Loaded {
  config::Config config;
  std::shared_ptr<const plugins::PluginRegistry> registry;
};
std::optional<Loaded> LoadEverything(const std::string& config_path);
// The same, collecting the error lines instead of printing them.
std::optional<Loaded> TryLoadEverything(const std::string& config_path,
                                        std::vector<std::string>& errors);

// The config alone (no plugins), for commands that only need its addresses;
// prints every error and returns nullopt like LoadEverything.
std::optional<config::Config> LoadConfigOnly(const std::string& config_path);

int ConfigCheck(const std::string& config_path);

// mccig key new | key hash: API keys and admin tokens.
int KeyCommand(const std::vector<std::string>& args);
struct Roles {
  bool http = true;
  bool worker = false;
};
int Serve(const std::string& config_path, Roles roles);

// mccig migrate: applies the pending migrations and lists them.
int MigrateCommand(const std::string& config_path);

// mccig dlq list|replay ...: args after "dlq".
int DeadLetterCommand(const std::string& config_path, const std::vector<std::string>& args);

// mccig plugin check LIB.so ...: args after "plugin".
int PluginCommand(const std::vector<std::string>& args);

// mccig simulate --url URL ...: args after "simulate".
int SimulateCommand(const std::vector<std::string>& args);

}  // namespace mccig::cli
