// plugin_registry.h — which plugin serves which route.
//
// Built once from loaded plugins and then read-only, so many request threads
// may look routes up at once. Two plugins claiming one name or one route is a
// build error naming both files. A reload builds a new registry and swaps it
// in; requests in flight keep the old one (and its libraries) alive through
// their shared_ptr.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "plugins/plugin_loader.h"

namespace mccig::plugins {

class PluginRegistry {
 public:
  // Fails with one message per conflict.
  static std::shared_ptr<const PluginRegistry> Build(std::vector<LoadedPlugin> plugins,
                                                     std::vector<std::string>& errors);

  // The plugin serving `route` ("sms"), or nullptr.
  const LoadedPlugin* Find(std::string_view route) const;

  const std::vector<LoadedPlugin>& plugins() const { return plugins_; }

 private:
  std::vector<LoadedPlugin> plugins_;
  std::unordered_map<std::string, std::size_t> by_route_;  // route → index in plugins_
};

}  // namespace mccig::plugins
