// with_options.cpp — a plugin with declared options, for option validation:
// `prefix` (string, default "opt-") is prepended to every provider id, which
// proves the resolved options reach the plugin's constructor.
#include <mccig/sdk/export.h>

namespace {

using mccig::sdk::FieldSpec;
using mccig::sdk::FieldType;

class WithOptionsPlugin {
 public:
  static mccig::sdk::PluginInfo Describe() {
    return {.name = "with_options",
            .version = "0.0.1",
            .channel = mccig::sdk::ChannelType::kChat,
            .routes = {"with-options"},
            .fields = {mccig::sdk::TenantIdField(),
                       FieldSpec{.name = "id", .required = true, .example = "id-1"}},
            .mapping = {.message_id = {.join = {"id"}}},
            .options = {FieldSpec{.name = "prefix", .default_value = "opt-"},
                        FieldSpec{.name = "retries",
                                  .type = FieldType::kInteger,
                                  .minimum = 0,
                                  .maximum = 10,
                                  .default_value = 3}}};
  }

  explicit WithOptionsPlugin(const mccig::sdk::PluginContext& context)
      : prefix_(context.options.at("prefix").get<std::string>()) {
    context.logger.Info("configured with prefix " + prefix_);
  }

  mccig::sdk::Result<mccig::sdk::NormalizedEvent> Normalize(
      const nlohmann::json& payload, const mccig::sdk::PluginInfo& info) const {
    auto event = mccig::sdk::NormalizeByMapping(payload, info.mapping);
    if (event) event.value().provider_message_id = prefix_ + event.value().provider_message_id;
    return event;
  }

 private:
  std::string prefix_;
};

}  // namespace

MCCIG_PLUGIN(WithOptionsPlugin)
