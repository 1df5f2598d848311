// normalize.h — the generic payload → NormalizedEvent mapping.
//
// Plugins declare an EventMapping and get normalization for free; a plugin
// with special needs calls NormalizeByMapping and then adjusts the result.
// Precondition: `payload` passed ValidateFields against the plugin's fields.
// Pure functions; safe from any thread.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "mccig/sdk/event.h"
#include "mccig/sdk/result.h"
#include "mccig/sdk/schema.h"

namespace mccig::sdk {

Result<NormalizedEvent> NormalizeByMapping(const nlohmann::json& payload,
                                           const EventMapping& mapping);

// Applies `rule` to `payload`; empty when neither branch of the rule applies.
std::string DeriveMessageId(const nlohmann::json& payload, const MessageIdRule& rule);

}  // namespace mccig::sdk
