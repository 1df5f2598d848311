// plugin.h — the interface between the host and a channel plugin.
//
// The host sees every plugin through ChannelPlugin. Its methods are noexcept
// and return results: no exception ever crosses the shared-object boundary.
// Plugin authors do not implement ChannelPlugin directly; they write a plain
// class and export it with MCCIG_PLUGIN (export.h), whose adapter catches
// whatever the class throws.
//
// Lifetime: the host keeps the plugin's shared library loaded for as long as
// any ChannelPlugin made by it lives. Threading: the host calls Normalize and
// Verify concurrently from many threads, so they must be const and must not
// touch shared mutable state without their own locking.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "mccig/sdk/event.h"
#include "mccig/sdk/result.h"
#include "mccig/sdk/schema.h"

namespace mccig::sdk {

using Status = Result<std::monostate>;
inline Status OkStatus() {
  return Status(std::monostate{});
}

enum class LogLevel { kDebug, kInfo, kWarn, kError };

// What the host lends a plugin. Plugins log through the host, never through
// their own logging library: each .so would get its own copy of it.
struct HostServices {
  void* context = nullptr;
  void (*log)(void* context, LogLevel level, std::string_view plugin,
              std::string_view message) noexcept = nullptr;
};

class Logger {
 public:
  Logger(const HostServices& host, std::string plugin) : host_(host), plugin_(std::move(plugin)) {}
  void Log(LogLevel level, std::string_view message) const noexcept {
    if (host_.log != nullptr) host_.log(host_.context, level, plugin_, message);
  }
  void Debug(std::string_view m) const noexcept { Log(LogLevel::kDebug, m); }
  void Info(std::string_view m) const noexcept { Log(LogLevel::kInfo, m); }
  void Warn(std::string_view m) const noexcept { Log(LogLevel::kWarn, m); }
  void Error(std::string_view m) const noexcept { Log(LogLevel::kError, m); }

 private:
  HostServices host_;
  std::string plugin_;
};

// Given to a plugin's constructor; valid only during that call, so a plugin
// copies the options it needs.
struct PluginContext {
  const nlohmann::json& options;  // validated against PluginInfo::options, defaults filled
  Logger logger;
};

// Cryptography the host lends to verifiers: its vetted library (OpenSSL),
// not code of the SDK's own. Every function is safe from any thread.
struct HostCrypto {
  // HMAC of `data` under `key`, raw digest bytes; algorithm "sha1" or
  // "sha256" (empty result for any other).
  std::string (*hmac)(std::string_view algorithm, std::string_view key,
                      std::string_view data) noexcept = nullptr;
  // Standard base64 with padding.
  std::string (*base64)(std::string_view bytes) noexcept = nullptr;
  // Equality in time independent of where the inputs differ.
  bool (*equal)(std::string_view a, std::string_view b) noexcept = nullptr;
};

// A read-only view of one HTTP request, for request verifiers (provider
// signatures). Valid only during the call it is passed to.
struct RequestView {
  std::string_view method;
  std::string_view public_url;  // scheme://host/path?query as the provider addressed it
  std::string_view content_type;
  std::string_view body;
  const std::vector<std::pair<std::string, std::string>>* headers = nullptr;
  const nlohmann::json* payload = nullptr;  // the decoded body
  // The tenant's signing secret for this plugin (from the host's config).
  // The host calls Verify only when the tenant has one, so it is never empty.
  std::string_view secret;
  const HostCrypto* crypto = nullptr;  // never null during Verify

  // Case-insensitive header lookup; empty when absent.
  std::string_view Header(std::string_view name) const noexcept;
};

class ChannelPlugin {
 public:
  virtual ~ChannelPlugin() = default;

  // The plugin's declarations; stable for the object's lifetime.
  virtual const PluginInfo& Info() const noexcept = 0;

  // Precondition: `payload` passed ValidateFields against Info().fields.
  virtual Result<NormalizedEvent> Normalize(const nlohmann::json& payload) const noexcept = 0;

  // Whether Verify does anything. A tenant may set a signing secret only for
  // plugins that have a verifier (the host checks at load).
  virtual bool HasVerifier() const noexcept = 0;
  // Checks the request's authenticity (a provider signature) with
  // request.secret. Called for tenants that set a secret for this plugin,
  // before validation. An Error with code "unauthorized" refuses with 401.
  virtual Status Verify(const RequestView& request) const noexcept = 0;
};

}  // namespace mccig::sdk
