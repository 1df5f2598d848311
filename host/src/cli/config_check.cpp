// config_check.cpp — `mccig config check FILE` and the loading it shares with
// `serve`: the YAML, the environment, then every plugin with its options.
#include <iostream>

#include "cli/commands.h"
#include "config/config_loader.h"
#include "log/logging.h"
#include "plugins/plugin_loader.h"

namespace mccig::cli {

namespace {

// A signing secret needs a loaded plugin with a verifier to check it.
void CheckSigningSecrets(const config::Config& config, const plugins::PluginRegistry& registry,
                         std::vector<std::string>& errors) {
  for (std::size_t i = 0; i < config.tenants.size(); ++i) {
    for (const auto& [plugin, secret] : config.tenants[i].signing_secrets) {
      const std::string where =
          config.source + ": tenants[" + std::to_string(i) + "].signing_secrets." + plugin + ": ";
      const plugins::LoadedPlugin* loaded = nullptr;
      for (const auto& p : registry.plugins()) {
        if (p.plugin->Info().name == plugin) loaded = &p;
      }
      if (loaded == nullptr) {
        errors.push_back(where + "no plugin named '" + plugin + "' is configured");
      } else if (!loaded->plugin->HasVerifier()) {
        errors.push_back(where + "plugin '" + plugin +
                         "' has no request verifier, so a signing secret would never be checked");
      }
    }
  }
}

}  // namespace

std::optional<Loaded> LoadEverything(const std::string& config_path) {
  std::vector<std::string> errors;
  std::optional<Loaded> loaded = TryLoadEverything(config_path, errors);
  if (!loaded) {
    for (const auto& line : errors) std::cerr << line << "\n";
    std::cerr << errors.size() << (errors.size() == 1 ? " error" : " errors") << " in "
              << config_path << "\n";
  }
  return loaded;
}

std::optional<Loaded> TryLoadEverything(const std::string& config_path,
                                        std::vector<std::string>& errors) {
  config::LoadResult result = config::LoadConfig(config_path, config::ProcessEnvironment());
  for (const auto& e : result.errors) errors.push_back(e.where + ": " + e.message);
  // Plugins are checked even when other keys are wrong: one pass shows all.
  std::vector<config::PluginEntry> entries;
  for (const auto& entry : result.config.plugins) {
    if (!entry.name.empty() && !entry.path.empty()) entries.push_back(entry);
  }
  std::shared_ptr<const plugins::PluginRegistry> registry;
  plugins::LoadOutcome outcome = plugins::LoadPlugins(entries, log::PluginHostServices());
  for (const auto& e : outcome.errors) errors.push_back(config_path + ": " + e.Line());
  if (errors.empty()) {
    std::vector<std::string> conflicts;
    registry = plugins::PluginRegistry::Build(std::move(outcome.loaded), conflicts);
    for (const auto& c : conflicts) errors.push_back(config_path + ": " + c);
  }
  if (registry) CheckSigningSecrets(result.config, *registry, errors);
  if (!errors.empty()) return std::nullopt;
  return Loaded{std::move(result.config), std::move(registry)};
}

std::optional<config::Config> LoadConfigOnly(const std::string& config_path) {
  config::LoadResult result = config::LoadConfig(config_path, config::ProcessEnvironment());
  if (result.errors.empty()) return std::move(result.config);
  for (const auto& e : result.errors) std::cerr << e.where << ": " << e.message << "\n";
  return std::nullopt;
}

int ConfigCheck(const std::string& config_path) {
  std::optional<Loaded> loaded = LoadEverything(config_path);
  if (!loaded) return kExitUsage;
  std::cout << "OK: " << config_path << " (" << loaded->registry->plugins().size() << " plugins:";
  for (const auto& p : loaded->registry->plugins()) {
    std::cout << " " << p.plugin->Info().name << " " << p.plugin->Info().version;
  }
  std::cout << "; " << loaded->config.tenants.size() << " tenants)\n";
  return kExitOk;
}

}  // namespace mccig::cli
