// sms_clone.cpp — a second plugin claiming the sms route: the registry must
// refuse the pair and name both files.
#include <mccig/sdk/export.h>

namespace {

class SmsClone {
 public:
  static mccig::sdk::PluginInfo Describe() {
    return {.name = "sms_clone",
            .version = "0.0.1",
            .channel = mccig::sdk::ChannelType::kSms,
            .routes = {"sms"},
            .fields = {mccig::sdk::TenantIdField()},
            .mapping = {.message_id = {.join = {"tenant_id"}}}};
  }
};

}  // namespace

MCCIG_PLUGIN(SmsClone)
