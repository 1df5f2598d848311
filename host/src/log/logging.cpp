// logging.cpp — see logging.h.
#include "log/logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>

#include <pthread.h>

#include <chrono>

#include <mccig/sdk/timestamp.h>
#include <nlohmann/json.hpp>

namespace mccig::log {
namespace {

thread_local std::string t_request_id;

const char* LevelName(spdlog::level::level_enum level) {
  static constexpr const char* kNames[] = {"trace", "debug",    "info", "warn",
                                           "error", "critical", "off"};
  return kNames[static_cast<int>(level)];
}

// One JSON object per line; nlohmann escapes the message, so a message
// holding quotes or newlines cannot break the line or forge fields.
class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch()).count();
    nlohmann::json line = {{"ts", sdk::FormatTimestamp(ms)},
                           {"level", LevelName(msg.level)},
                           {"msg", std::string_view(msg.payload.data(), msg.payload.size())}};
    if (!t_request_id.empty()) line["request_id"] = t_request_id;
    const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    dest.append(text.data(), text.data() + text.size());
    dest.push_back('\n');
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

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

void Init(const std::string& level, const std::string& format) {
  auto logger = spdlog::stderr_color_mt("mccig");
  spdlog::set_default_logger(logger);
  if (format == "text") {
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
  } else {
    spdlog::set_formatter(std::make_unique<JsonFormatter>());
  }
  spdlog::set_level(spdlog::level::from_str(level));
}

std::unique_ptr<spdlog::formatter> MakeJsonFormatter() {
  return std::make_unique<JsonFormatter>();
}

void NameThisThread(const char* name) {
  char truncated[16] = {};
  std::snprintf(truncated, sizeof truncated, "%s", name);
  pthread_setname_np(pthread_self(), truncated);
}

RequestScope::RequestScope(std::string id) {
  t_request_id = std::move(id);
}
RequestScope::~RequestScope() {
  t_request_id.clear();
}

const std::string& CurrentRequestId() {
  return t_request_id;
}

sdk::HostServices PluginHostServices() {
  return sdk::HostServices{nullptr, &PluginLog};
}

}  // namespace mccig::log
