// logging.h — the host's logger (spdlog) and the bridge plugins log through.
//
// One logger, "mccig", writing to stderr, one JSON object per line by
// default ({"ts","level","msg"[,"request_id"]}) or plain text for people
// (log.format: text). While a request is handled its id is in scope
// (RequestScope) and every line logged on that thread carries it. Plugins
// never touch spdlog: they get HostServices whose log callback lands here,
// tagged with the plugin's name. spdlog loggers are thread-safe (_mt sinks).
#pragma once

#include <string>

#include <mccig/sdk/plugin.h>
#include <spdlog/spdlog.h>

namespace mccig::log {

// Level: trace|debug|info|warn|error|critical|off; format: json|text (both
// validated by the config).
void Init(const std::string& level, const std::string& format = "json");

// The JSON line formatter Init installs (exposed for tests).
std::unique_ptr<spdlog::formatter> MakeJsonFormatter();

// Names the calling thread (at most 15 characters are kept), so `top -H`
// and perf tell the gateway's threads apart.
void NameThisThread(const char* name);

// Puts a request id in scope for the lines this thread logs until destroyed.
class RequestScope {
 public:
  explicit RequestScope(std::string id);
  ~RequestScope();
  RequestScope(const RequestScope&) = delete;
  RequestScope& operator=(const RequestScope&) = delete;
};

// The request id in scope on this thread; empty outside a request.
const std::string& CurrentRequestId();

sdk::HostServices PluginHostServices();

}  // namespace mccig::log
