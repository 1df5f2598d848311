// body_decoder.h — request bodies (JSON or form-encoded) into one JSON object.
// (JSON bodies: json_body.h.)
//
// Plugins see one shape whatever the provider posted. Form values stay text
// here; the pipeline coerces the declared numeric fields afterwards. Errors
// carry the code the HTTP layer maps to a status: "unsupported_media_type"
// (415), "invalid_json" or "invalid_body" (400). Pure functions.
#pragma once

#include <span>
#include <string_view>

#include <mccig/sdk/result.h>
#include <mccig/sdk/schema.h>
#include <nlohmann/json.hpp>

#include "ingest/json_body.h"

namespace mccig::ingest {

// Which of `accepted` the Content-Type header names; an Error when none.
sdk::Result<sdk::BodyFormat> MatchMediaType(std::string_view content_type,
                                            std::span<const sdk::BodyFormat> accepted);

// application/x-www-form-urlencoded → object of strings. A key repeated gives
// an array of its values, in order. Invalid escapes or UTF-8 are errors.
sdk::Result<nlohmann::json> DecodeForm(std::string_view body);

// One error per string anywhere in the payload (keys included) holding a
// NUL character: PostgreSQL can store none of them, so such a payload must
// be refused at the door, not accepted and then dead-lettered.
sdk::FieldErrors NulCharacterErrors(const nlohmann::json& payload);

}  // namespace mccig::ingest
