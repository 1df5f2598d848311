// plugin_description.h — a plugin's declarations as JSON, for whoever
// documents or drives the API from them (the console's playground and API
// docs, /v1/internal/plugins).
//
// The JSON mirrors sdk::PluginInfo field for field, so a new plugin shows up
// everywhere with no change to the host or the console:
//   {"name", "version", "description", "channel", "routes": [...],
//    "accepts": [media types], "has_verifier",
//    "fields": [{"name", "type", "required", "format", "minimum", "maximum",
//                "min_length", "max_length", "description", "example"}],
//    "options": [... same shape, with "default"],
//    "mapping": {"tenant_field", "content_field", "timestamp_field",
//                "message_id": {"join": [...], "hash_of": [...]}},
//    "example": {a payload made of the fields' examples}}
// Bounds a field does not set are left out.
#pragma once

#include <mccig/sdk/plugin.h>
#include <nlohmann/json.hpp>

namespace mccig::plugins {

nlohmann::json DescribePlugin(const sdk::ChannelPlugin& plugin);

// A payload made of the fields' examples (fields without one left out).
// `mccig plugin check` requires it to be accepted, so the console's
// playground and the OpenAPI document never show a payload that fails.
nlohmann::json ExamplePayload(const sdk::PluginInfo& info);

// The field's description as above.
nlohmann::json DescribeField(const sdk::FieldSpec& field);

}  // namespace mccig::plugins
