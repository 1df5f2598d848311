// validator.h — checks a JSON object against declared FieldSpecs.
//
// Every problem is reported at once, one FieldError per field and problem, in
// the order of the declarations (then unknown keys, in key order), so a
// provider fixes a payload in one round trip instead of one per field.
// Pure functions; safe from any thread.
#pragma once

#include <span>
#include <string_view>

#include <nlohmann/json.hpp>

#include "mccig/sdk/result.h"
#include "mccig/sdk/schema.h"

namespace mccig::sdk {

enum class UnknownKeys {
  kAllow,   // payloads: extra provider fields are kept in raw_metadata
  kReject,  // options: a typo in the config must not pass silently
};

// Validates `object` (which must be a JSON object) against `specs`. Field
// names in errors are prefixed with `path` ("options." gives "options.x").
FieldErrors ValidateFields(const nlohmann::json& object, std::span<const FieldSpec> specs,
                           UnknownKeys unknown = UnknownKeys::kAllow, std::string_view path = "");

// Form bodies carry every value as text. Converts each declared integer,
// number or boolean field whose text parses exactly into its JSON type, and
// leaves everything else as it is (so the validator reports the bad ones).
void CoerceFormValues(nlohmann::json& object, std::span<const FieldSpec> specs);

// Validates plugin options (unknown keys rejected) and fills declared
// defaults. `given` may be null (no options block).
Result<nlohmann::json> ResolveOptions(const nlohmann::json& given, std::span<const FieldSpec> specs,
                                      std::string_view path = "options.");

}  // namespace mccig::sdk
