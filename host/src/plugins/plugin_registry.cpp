// plugin_registry.cpp — route table with duplicate detection.
#include "plugins/plugin_registry.h"

namespace mccig::plugins {

std::shared_ptr<const PluginRegistry> PluginRegistry::Build(std::vector<LoadedPlugin> plugins,
                                                            std::vector<std::string>& errors) {
  auto registry = std::make_shared<PluginRegistry>();
  std::unordered_map<std::string, std::size_t> by_name;
  const auto where = [&](std::size_t i) { return plugins[i].key + " (" + plugins[i].path + ")"; };
  for (std::size_t i = 0; i < plugins.size(); ++i) {
    const sdk::PluginInfo& info = plugins[i].plugin->Info();
    if (auto [it, fresh] = by_name.emplace(info.name, i); !fresh) {
      errors.push_back("plugin name '" + info.name + "' is claimed by both " + where(it->second) +
                       " and " + where(i));
    }
    for (const std::string& route : info.routes) {
      if (auto [it, fresh] = registry->by_route_.emplace(route, i); !fresh) {
        errors.push_back("route /v1/ingest/" + route + " is claimed by both " + where(it->second) +
                         " and " + where(i));
      }
    }
  }
  if (!errors.empty()) return nullptr;
  registry->plugins_ = std::move(plugins);
  return registry;
}

const LoadedPlugin* PluginRegistry::Find(std::string_view route) const {
  const auto it = by_route_.find(std::string(route));
  return it == by_route_.end() ? nullptr : &plugins_[it->second];
}

}  // namespace mccig::plugins
