// json_writer.cpp — see json_writer.h.
#include "json/json_writer.h"

#include <charconv>
#include <cstdint>
#include <cstring>

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

// How many leading bytes of `text` are printable ASCII other than '"' and
// '\\': written as they are, and valid UTF-8 whatever follows. Eight bytes
// at a time (a byte-wise test on one 64-bit word, no branch per byte).
std::size_t PlainAsciiPrefix(std::string_view text) {
  constexpr uint64_t kOnes = 0x0101010101010101;
  constexpr uint64_t kHighs = 0x8080808080808080;
  const auto has_zero = [](uint64_t w) { return (w - kOnes) & ~w & kHighs; };
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, text.data() + i, 8);
    // A high bit (not ASCII), a byte below 0x20, a quote, a backslash.
    if ((w & kHighs) | ((w - kOnes * 0x20) & ~w & kHighs) | has_zero(w ^ (kOnes * '"')) |
        has_zero(w ^ (kOnes * '\\'))) {
      break;
    }
  }
  while (i < text.size() && static_cast<unsigned char>(text[i]) < 0x80 &&
         Plain(static_cast<unsigned char>(text[i]))) {
    ++i;
  }
  return i;
}

}  // namespace

void AppendString(std::string& out, std::string_view text) {
  const std::size_t plain = PlainAsciiPrefix(text);
  if (plain == text.size()) {  // the common case: one copy
    out += '"';
    out += text;
    out += '"';
    return;
  }
  if (!utf8::IsValid(text.substr(plain))) {  // the prefix is ASCII: valid
    out += nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return;
  }
  out += '"';
  std::size_t run = 0;  // start of the plain characters not yet copied
  for (std::size_t i = plain; i < text.size(); ++i) {
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
