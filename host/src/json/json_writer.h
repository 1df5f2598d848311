// json_writer.h — JSON text for the hot paths: the events the gateway
// queues, the rows the worker copies, the answers it sends.
//
// The same text nlohmann::json's dump(-1) gives (compact, keys in the
// object's own sorted order, UTF-8 passed through), written straight into
// one string: nlohmann escapes a string a character at a time, through an
// output adapter, and each value dumped on its own costs a string of its
// own. Here runs of plain characters are copied whole. A string that is not
// valid UTF-8 (a plugin's output is input too) goes through nlohmann's
// serializer with error_handler_t::replace, as before, so it becomes U+FFFD
// rather than invalid JSON. Floats are rare and formatted by nlohmann too.
// Pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace mccig::json_writer {

// Appends `text` as a JSON string, quotes included.
void AppendString(std::string& out, std::string_view text);
// Appends `value`'s JSON text.
void Append(std::string& out, const nlohmann::json& value);
// `value`'s JSON text.
std::string Dump(const nlohmann::json& value);

}  // namespace mccig::json_writer
