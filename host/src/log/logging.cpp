// logging.cpp — see logging.h.
#include "log/logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace mccig::log {
namespace {

void PluginLog(void* /*context*/, sdk::LogLevel level, std::string_view plugin,
               std::string_view message) noexcept {
  try {
    spdlog::level::level_enum l = spdlog::level::info;
    switch (level) {
      case sdk::LogLevel::kDebug:
        l = spdlog::level::debug;
        break;
      case sdk::LogLevel::kInfo:
        l = spdlog::level::info;
        break;
      case sdk::LogLevel::kWarn:
        l = spdlog::level::warn;
        break;
      case sdk::LogLevel::kError:
        l = spdlog::level::err;
        break;
    }
    spdlog::log(l, "plugin {}: {}", plugin, message);
  } catch (...) {
    // Logging must never take a request down.
  }
}

}  // namespace

void Init(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("mccig");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
  spdlog::set_level(spdlog::level::from_str(level));
}

sdk::HostServices PluginHostServices() {
  return sdk::HostServices{nullptr, &PluginLog};
}

}  // namespace mccig::log
