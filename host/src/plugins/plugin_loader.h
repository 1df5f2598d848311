// plugin_loader.h — loads one channel plugin .so with Boost.DLL.
//
// Order of checks (each failure is one line naming the file): the file
// exists; it loads (RTLD_LOCAL | RTLD_NOW, so a missing symbol fails here, not
// mid-request); it exports mccig_plugin_descriptor; its ABI version equals
// the host's (both versions named); its JSON library version matches; the
// name it declares matches the config entry; its options pass its declared
// table; its declarations are well formed; it constructs.
//
// Lifetime: the returned plugin's deleter owns the boost::dll::shared_library,
// so the library stays mapped while any reference to the plugin lives, even
// after the registry that loaded it is gone (a reload never unmaps code in use).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <mccig/sdk/abi.h>
#include <mccig/sdk/plugin.h>

#include "config/config.h"

namespace mccig::plugins {

struct LoadedPlugin {
  std::shared_ptr<const sdk::ChannelPlugin> plugin{};
  std::string path{};  // the file it came from
  std::string key{};   // the config entry, "plugins[0]"
};

struct LoadError {
  std::string key{};  // "plugins[0]"
  std::string path{};
  std::string message{};
  std::string Line() const;  // "plugins[0] (/path/libx.so): message"
};

struct LoadOutcome {
  std::vector<LoadedPlugin> loaded{};
  std::vector<LoadError> errors{};
};

// Loads one plugin as the config entry describes it.
LoadOutcome LoadPlugin(const config::PluginEntry& entry, const sdk::HostServices& host);

// Loads every entry; collects every error rather than stopping at the first.
LoadOutcome LoadPlugins(const std::vector<config::PluginEntry>& entries,
                        const sdk::HostServices& host);

// Checks what a plugin declares: name, routes, channel, body formats, field
// and option types and bounds, the mapping's fields, the message id rule.
// Returns one message per problem; empty when well formed.
std::vector<std::string> CheckDeclarations(const sdk::PluginInfo& info);

}  // namespace mccig::plugins
