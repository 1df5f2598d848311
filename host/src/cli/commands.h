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

int ConfigCheck(const std::string& config_path);
int Serve(const std::string& config_path, bool with_worker);

}  // namespace mccig::cli
