// normalize.cpp — EventMapping applied to a validated payload.
#include "mccig/sdk/normalize.h"

#include "mccig/sdk/sha256.h"
#include "mccig/sdk/timestamp.h"

namespace mccig::sdk {
namespace {

bool Present(const nlohmann::json& payload, const std::string& field) {
  const auto it = payload.find(field);
  return it != payload.end() && !it->is_null();
}

// A field's value as id text: strings as they are, anything else as JSON.
std::string Text(const nlohmann::json& payload, const std::string& field) {
  const auto it = payload.find(field);
  if (it == payload.end() || it->is_null()) return {};
  return it->is_string() ? it->get<std::string>() : it->dump();
}

}  // namespace

std::string DeriveMessageId(const nlohmann::json& payload, const MessageIdRule& rule) {
  if (!rule.join.empty() && Present(payload, rule.join.front())) {
    std::string id;
    for (const std::string& field : rule.join) {
      if (!Present(payload, field)) continue;
      if (!id.empty()) id += ':';
      id += Text(payload, field);
    }
    return id;
  }
  if (rule.hash_of.empty()) return {};
  std::string material;
  for (const std::string& field : rule.hash_of) {
    material += Text(payload, field);
    material += '\x1f';
  }
  return "sha256:" + Sha256Hex(material);
}

Result<NormalizedEvent> NormalizeByMapping(const nlohmann::json& payload,
                                           const EventMapping& mapping) {
  NormalizedEvent event;
  event.tenant_id = Text(payload, mapping.tenant_field);
  if (!mapping.content_field.empty()) event.content = Text(payload, mapping.content_field);
  if (!mapping.timestamp_field.empty() && Present(payload, mapping.timestamp_field)) {
    event.occurred_at_ms = ParseTimestamp(Text(payload, mapping.timestamp_field));
  }
  event.provider_message_id = DeriveMessageId(payload, mapping.message_id);
  if (event.provider_message_id.empty()) {
    const std::string field =
        mapping.message_id.join.empty() ? "provider_message_id" : mapping.message_id.join.front();
    return Error::Validation({{field, "required"}});
  }
  for (const MetadataField& field : mapping.metadata) {
    const auto it = payload.find(field.source);
    if (it != payload.end() && !it->is_null()) event.metadata[field.key] = *it;
  }
  return event;
}

}  // namespace mccig::sdk
