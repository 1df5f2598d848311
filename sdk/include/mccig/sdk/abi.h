// abi.h — the one symbol every plugin exports, and the ABI version.
//
// A plugin .so exports exactly one symbol, `mccig_plugin_descriptor` (through
// BOOST_DLL_ALIAS), pointing to a PluginDescriptor. The host reads
// `abi_version` before anything else and refuses the library outright when it
// differs from its own kAbiVersion. Bump kAbiVersion whenever any type that
// crosses the boundary changes layout or meaning (this directory's headers, or
// the nlohmann_json version, which json_version records).
#pragma once

#include <cstdint>
#include <memory>

#include <nlohmann/json.hpp>

#include "mccig/sdk/plugin.h"
#include "mccig/sdk/result.h"
#include "mccig/sdk/schema.h"

namespace mccig::sdk {

inline constexpr std::uint32_t kAbiVersion = 2;  // 2: RequestView carries the secret and HostCrypto

inline constexpr std::uint32_t kJsonVersion = NLOHMANN_JSON_VERSION_MAJOR * 10000 +
                                              NLOHMANN_JSON_VERSION_MINOR * 100 +
                                              NLOHMANN_JSON_VERSION_PATCH;

inline constexpr const char kDescriptorSymbol[] = "mccig_plugin_descriptor";

using PluginPtr = std::unique_ptr<ChannelPlugin>;

struct PluginDescriptor {
  // Invariant: the first member in every ABI version, so any host can read it.
  std::uint32_t abi_version;
  std::uint32_t json_version;
  // Static declarations (options, fields, routes); never fails for a correct
  // plugin, but returns an Error rather than throwing if it does.
  Result<PluginInfo> (*describe)() noexcept;
  // `options` has been validated against describe().options, defaults filled.
  Result<PluginPtr> (*create)(const nlohmann::json& options, const HostServices& host) noexcept;
};

}  // namespace mccig::sdk
