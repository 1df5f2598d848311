// wrong_abi.cpp — a plugin built for an ABI version this host does not speak.
#include <mccig/sdk/export.h>

namespace {

mccig::sdk::Result<mccig::sdk::PluginInfo> Describe() noexcept {
  return mccig::sdk::Error::Plugin("must never be called: the ABI check comes first");
}

mccig::sdk::Result<mccig::sdk::PluginPtr> Create(const nlohmann::json&,
                                                 const mccig::sdk::HostServices&) noexcept {
  return mccig::sdk::Error::Plugin("must never be called: the ABI check comes first");
}

const mccig::sdk::PluginDescriptor kDescriptor{999, mccig::sdk::kJsonVersion, &Describe, &Create};

}  // namespace

BOOST_DLL_ALIAS(kDescriptor, mccig_plugin_descriptor)
