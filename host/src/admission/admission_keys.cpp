// admission_keys.cpp — see admission_keys.h.
#include "admission/admission_keys.h"

#include "queue/event_codec.h"

namespace mccig::admission {
namespace {

std::string Tagged(std::string_view prefix) {
  std::string key(prefix);
  key += ":{";
  key += queue::kStreamKey;
  key += "}:";
  return key;
}

}  // namespace

std::string IdempotencyKey(std::string_view tenant, std::string_view channel,
                           std::string_view provider_message_id) {
  std::string key = Tagged("idem");
  key.append(tenant).append(":").append(channel).append(":").append(provider_message_id);
  return key;
}

std::string BucketKey(std::string_view tenant) {
  std::string key = Tagged("bucket");
  key.append(tenant);
  return key;
}

}  // namespace mccig::admission
