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

std::string IdempotencyGenerationKey(std::string_view tenant, int generation) {
  std::string key = Tagged("idem");
  key.append(tenant).append(generation == 0 ? ":0" : ":1");
  return key;
}

std::string IdempotencyField(std::string_view channel, std::string_view provider_message_id) {
  std::string field(channel);
  field.append(":").append(provider_message_id);
  return field;
}

std::string BucketKey(std::string_view tenant) {
  std::string key = Tagged("bucket");
  key.append(tenant);
  return key;
}

}  // namespace mccig::admission
