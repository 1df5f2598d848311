// throwing.cpp — a plugin whose Normalize throws: the SDK adapter must turn
// the exception into an Error on the plugin's side of the boundary.
#include <stdexcept>

#include <mccig/sdk/export.h>

namespace {

class ThrowingPlugin {
 public:
  static mccig::sdk::PluginInfo Describe() {
    return {.name = "throwing",
            .version = "0.0.1",
            .channel = mccig::sdk::ChannelType::kChat,
            .routes = {"throwing"},
            .fields = {mccig::sdk::TenantIdField()},
            .mapping = {.message_id = {.join = {"tenant_id"}}}};
  }
  mccig::sdk::Result<mccig::sdk::NormalizedEvent> Normalize(const nlohmann::json&,
                                                            const mccig::sdk::PluginInfo&) const {
    throw std::runtime_error("boom");
  }
};

}  // namespace

MCCIG_PLUGIN(ThrowingPlugin)
