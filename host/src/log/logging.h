// logging.h — the host's logger (spdlog) and the bridge plugins log through.
//
// One logger, "mccig", writing to stderr. Plugins never touch spdlog: they get
// HostServices whose log callback lands here, tagged with the plugin's name.
// spdlog loggers are thread-safe (the _mt sinks).
#pragma once

#include <string>

#include <mccig/sdk/plugin.h>
#include <spdlog/spdlog.h>

namespace mccig::log {

// Level: trace|debug|info|warn|error|critical|off (validated by the config).
void Init(const std::string& level);

sdk::HostServices PluginHostServices();

}  // namespace mccig::log
