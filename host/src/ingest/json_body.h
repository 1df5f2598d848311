// json_body.h — JSON request bodies into nlohmann values, strictly.
//
// A body is parsed by simdjson and its document turned into the nlohmann
// value plugins see: simdjson finds the structure and validates UTF-8 a
// block at a time, where nlohmann's own parser reads a character at a
// time. Text simdjson refuses (or cannot hold: integers beyond 64 bits) is
// parsed again by nlohmann, whose verdict and error message, with the
// byte where parsing failed, stand. Both readers apply the same rules, so
// either gives the same value or the same error. Pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <mccig/sdk/result.h>
#include <nlohmann/json.hpp>

namespace mccig::ingest {

// Deeper JSON is refused: no real payload nests this far, and a deep one
// costs stack and time everywhere it is walked.
inline constexpr int kMaxJsonDepth = 32;

// A JSON object; malformed JSON is reported with the byte where parsing
// failed. Refused too: nesting deeper than kMaxJsonDepth, a key repeated in
// one object (rather than silently keeping one of the values), invalid
// UTF-8, numbers beyond a double's range.
sdk::Result<nlohmann::json> DecodeJson(std::string_view body);

// A JSON body, and the text of each element of its top-level array member
// `array_key` as the client sent it, made compact: a batch queues each
// event's payload as that text rather than writing its value out again.
struct JsonBody {
  nlohmann::json value;
  // One per element of value[array_key], in order, each CompactJson of
  // the element's source text; empty when that member is not an array or
  // its name is written with escapes (then the values are all there is).
  std::vector<std::string> element_texts;
};
sdk::Result<JsonBody> DecodeJsonKeepingTexts(std::string_view body, std::string_view array_key);

// A JSON text already accepted, with its white space outside strings and a
// leading byte-order mark taken out: the same value, on one line (a raw
// newline can only be white space in valid JSON). Empty if simdjson's
// minifier finds the text malformed after all.
std::string CompactJson(std::string_view json);

// The compact text of the top-level member `key` of `body`, a JSON object
// DecodeJson accepted, as the client sent it (CompactJson of it); empty
// when there is no such member, or its name is written with escapes.
std::string MemberText(std::string_view body, std::string_view key);

// DecodeJson with nlohmann's reader alone: what the simdjson path must
// agree with (the fuzzer checks that it does).
sdk::Result<nlohmann::json> DecodeJsonByNlohmann(std::string_view body);

}  // namespace mccig::ingest
