// plugins.h — where the built plugins are, and helpers to load them the way
// the host does (config entry → loader), failing the test loudly on error.
#pragma once

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "config/config.h"
#include "log/logging.h"
#include "plugins/plugin_loader.h"
#include "plugins/plugin_registry.h"

namespace mccig::testing {

inline const std::vector<std::string>& BundledPluginNames() {
  static const std::vector<std::string> kNames = {"sms", "chat", "voice"};
  return kNames;
}

inline std::string BundledPluginPath(const std::string& name) {
  return std::string(MCCIG_PLUGIN_BUILD_DIR) + "/libmccig_" + name + ".so";
}

inline std::string NegativePluginPath(const std::string& name) {
  return std::string(MCCIG_NEGATIVE_PLUGIN_DIR) + "/libtest_" + name + ".so";
}

inline config::PluginEntry Entry(const std::string& name, const std::string& path,
                                 nlohmann::json options = nullptr, int index = 0) {
  return config::PluginEntry{.name = name,
                             .path = path,
                             .options = std::move(options),
                             .key = "plugins[" + std::to_string(index) + "]"};
}

inline plugins::LoadedPlugin LoadOrFail(const config::PluginEntry& entry) {
  plugins::LoadOutcome outcome = plugins::LoadPlugin(entry, log::PluginHostServices());
  for (const auto& e : outcome.errors) ADD_FAILURE() << e.Line();
  if (outcome.loaded.empty()) throw std::runtime_error("cannot load " + entry.path);
  return outcome.loaded.front();
}

inline plugins::LoadedPlugin LoadBundled(const std::string& name) {
  return LoadOrFail(Entry(name, BundledPluginPath(name)));
}

// A registry serving the three bundled plugins.
inline std::shared_ptr<const plugins::PluginRegistry> BundledRegistry() {
  std::vector<plugins::LoadedPlugin> loaded;
  for (const auto& name : BundledPluginNames()) loaded.push_back(LoadBundled(name));
  std::vector<std::string> errors;
  auto registry = plugins::PluginRegistry::Build(std::move(loaded), errors);
  for (const auto& e : errors) ADD_FAILURE() << e;
  return registry;
}

}  // namespace mccig::testing
