// json_writer.cpp — see json_writer.h.
#include "json/json_writer.h"

#include <charconv>

#include "json/utf8.h"

namespace mccig::json_writer {
namespace {

// What a character below 0x20, '"' or '\\' becomes; 0 when it is written
// as itself. nlohmann's choices: the short escapes, else \u00XX.
constexpr char kShortEscape[0x20] = {0, 0, 0, 0, 0, 0, 0, 0, 'b', 't', 'n', 0, 'f', 'r', 0, 0,
                                     0, 0, 0, 0, 0, 0, 0, 0, 0,   0,   0,   0, 0,   0,   0, 0};

bool Plain(unsigned char c) {
  return c >= 0x20 && c != '"' && c != '\\';
}

void AppendEscape(std::string& out, unsigned char c) {
  out += '\\';
  if (c == '"' || c == '\\') {
    out += static_cast<char>(c);
  } else if (kShortEscape[c] != 0) {
    out += kShortEscape[c];
  } else {
    static constexpr char kHex[] = "0123456789abcdef";
    out += "u00";
    out += kHex[c >> 4];
    out += kHex[c & 0xF];
  }
}

template <typename Integer>
void AppendInteger(std::string& out, Integer value) {
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, end);
}

}  // namespace

void AppendString(std::string& out, std::string_view text) {
  if (!utf8::IsValid(text)) {  // one pass; plain ASCII is its fast case
    out += nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return;
  }
  out += '"';
  std::size_t run = 0;  // start of the plain characters not yet copied
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (Plain(c)) continue;
    out.append(text.data() + run, i - run);
    AppendEscape(out, c);
    run = i + 1;
  }
  out.append(text.data() + run, text.size() - run);
  out += '"';
}

void Append(std::string& out, const nlohmann::json& value) {
  using Type = nlohmann::json::value_t;
  switch (value.type()) {
    case Type::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, member] : value.get_ref<const nlohmann::json::object_t&>()) {
        if (!first) out += ',';
        first = false;
        AppendString(out, key);
        out += ':';
        Append(out, member);
      }
      out += '}';
      return;
    }
    case Type::array: {
      out += '[';
      bool first = true;
      for (const auto& element : value.get_ref<const nlohmann::json::array_t&>()) {
        if (!first) out += ',';
        first = false;
        Append(out, element);
      }
      out += ']';
      return;
    }
    case Type::string:
      AppendString(out, value.get_ref<const std::string&>());
      return;
    case Type::boolean:
      out += value.get<bool>() ? "true" : "false";
      return;
    case Type::number_integer:
      AppendInteger(out, value.get<int64_t>());
      return;
    case Type::number_unsigned:
      AppendInteger(out, value.get<uint64_t>());
      return;
    case Type::null:
      out += "null";
      return;
    default:  // floats, binary, discarded: rare, and nlohmann's own format
      out += value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      return;
  }
}

std::string Dump(const nlohmann::json& value) {
  std::string out;
  Append(out, value);
  return out;
}

}  // namespace mccig::json_writer
