// config_loader.h — reads config/mccig.yaml, then the environment.
//
// Every mistake is collected, not just the first: each ConfigError names the
// file, the key path ("plugins[1].path", "server.port") or the environment
// variable, and what was expected. Unknown keys are errors — a typo must not
// silently fall back to a default. Plugin options are only checked for shape
// here; their contents are checked against each plugin's declared table when
// the plugin loads (plugins/plugin_loader.h).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "config/config.h"

namespace mccig::config {

struct ConfigError {
  std::string where{};  // "config/mccig.yaml:12: server.port" or "environment: PORT"
  std::string message{};
};

struct LoadResult {
  Config config;
  std::vector<ConfigError> errors{};  // empty: config is valid
  bool ok() const { return errors.empty(); }
};

using Environment = std::map<std::string, std::string>;

// The variables of the process environment that override the file.
Environment ProcessEnvironment();

// Loads `path` and applies `env` on top. Relative plugin paths resolve against
// `plugin_dir` (the MCCIG_PLUGIN_DIR variable, else the key plugin_dir,
// relative to the file, else the file's own directory).
LoadResult LoadConfig(const std::string& path, const Environment& env);

// One line per error: "<where>: <message>".
std::string FormatErrors(const std::vector<ConfigError>& errors);

}  // namespace mccig::config
