// schema.h — what a plugin declares about itself.
//
// A plugin is mostly data: its routes, the body formats it accepts, the fields
// of its payload (type, required, bounds), how those fields map onto a
// ConversationEvent, and the options it takes from the YAML config. The host
// validates payloads and options against these declarations, so every plugin
// reports errors the same way, and the docs, the console and `mccig plugin
// check` are generated from the same tables.
//
// Thread safety: plain values, built once and then only read.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mccig/sdk/event.h"

namespace mccig::sdk {

enum class FieldType {
  kString,
  kInteger,
  kNumber,
  kBoolean,
  kObject,
  kArray,
  kTimestamp,  // a string holding an ISO-8601 timestamp with a zone
};

// Extra constraint on a string's characters.
enum class StringFormat {
  kAny,         // any text without NUL characters
  kIdentifier,  // [A-Za-z0-9._-]; safe in Redis keys, URLs and logs (tenant ids)
};

// One field of a payload, or one option of a plugin.
struct FieldSpec {
  std::string name{};
  FieldType type = FieldType::kString;
  bool required = false;
  std::optional<double> minimum{};          // numbers: inclusive lower bound
  std::optional<double> maximum{};          // numbers: inclusive upper bound
  std::optional<std::size_t> min_length{};  // strings: in Unicode code points
  std::optional<std::size_t> max_length{};  // strings: in Unicode code points
  StringFormat format = StringFormat::kAny;
  std::string description{};
  nlohmann::json example{};        // shown in docs and the console; null if none
  nlohmann::json default_value{};  // options only; null if none
};

// How provider_message_id is derived when Normalize leaves it empty.
//   - if the first field of `join` is present: the present values of `join`,
//     joined with ':'  (sms: MessageSid; voice: callId[:segmentId]);
//   - else, if `hash_of` is set: "sha256:" + hex SHA-256 of the values of
//     `hash_of` (absent ones as empty), separated by U+001F (chat without a
//     messageId). Stable: the same payload always gives the same id.
struct MessageIdRule {
  std::vector<std::string> join{};
  std::vector<std::string> hash_of{};
};

// A payload field copied into ConversationEvent::metadata under `key`.
struct MetadataField {
  std::string source{};
  std::string key{};
};

// How a validated payload becomes a NormalizedEvent. NormalizeByMapping
// (normalize.h) implements it; most plugins need nothing else.
struct EventMapping {
  std::string tenant_field = "tenant_id";
  std::string content_field{};
  std::string timestamp_field{};  // optional field; empty if the payload has none
  MessageIdRule message_id{};
  std::vector<MetadataField> metadata{};
};

enum class BodyFormat {
  kJson,  // application/json
  kForm,  // application/x-www-form-urlencoded
};

struct PluginInfo {
  std::string name{};     // unique among loaded plugins, e.g. "sms"
  std::string version{};  // the plugin's own version, e.g. "1.0.0"
  std::string description{};
  ChannelType channel = ChannelType::kSms;
  // Path segments served under /v1/ingest/ (and the alias /ingest/), e.g. "sms".
  std::vector<std::string> routes{};
  std::vector<BodyFormat> accepts = {BodyFormat::kJson};
  std::vector<FieldSpec> fields{};
  EventMapping mapping{};
  std::vector<FieldSpec> options{};
};

// The tenant_id field every bundled channel declares: required, an
// identifier (it is part of Redis keys and URLs), at most 64 characters.
FieldSpec TenantIdField();

std::string_view FieldTypeName(FieldType type) noexcept;
std::string_view BodyFormatMediaType(BodyFormat format) noexcept;

}  // namespace mccig::sdk
