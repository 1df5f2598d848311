// body_decoder.cpp — see body_decoder.h.
#include "ingest/body_decoder.h"

#include <algorithm>
#include <functional>
#include <string>

#include "json/utf8.h"

namespace mccig::ingest {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool PercentDecode(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= in.size()) return false;
      const int hi = HexValue(in[i + 1]);
      const int lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
  }
  return true;
}

sdk::Error BadForm(std::string message) {
  return sdk::Error{"invalid_body", std::move(message), {}};
}

}  // namespace

sdk::Result<sdk::BodyFormat> MatchMediaType(std::string_view content_type,
                                            std::span<const sdk::BodyFormat> accepted) {
  const auto semicolon = content_type.find(';');
  const std::string media = Lower(Trim(content_type.substr(0, semicolon)));
  if (semicolon != std::string_view::npos) {
    const std::string params = Lower(content_type.substr(semicolon + 1));
    const auto charset = params.find("charset=");
    if (charset != std::string::npos) {
      std::string value(Trim(params.substr(charset + 8)));
      value = value.substr(0, value.find(';'));
      if (!value.empty() && value.front() == '"') value = value.substr(1, value.size() - 2);
      if (value != "utf-8" && value != "utf8" && value != "us-ascii") {
        return sdk::Error{
            "unsupported_media_type", "only UTF-8 bodies are accepted, got charset " + value, {}};
      }
    }
  }
  std::string names;
  for (sdk::BodyFormat format : accepted) {
    if (media == sdk::BodyFormatMediaType(format)) return format;
    names += (names.empty() ? "" : ", ") + std::string(sdk::BodyFormatMediaType(format));
  }
  const std::string got = media.empty() ? "no Content-Type" : "Content-Type " + media;
  return sdk::Error{"unsupported_media_type", got + " is not accepted here; use " + names, {}};
}

namespace {

bool HasNul(const std::string& s) {
  return s.find('\0') != std::string::npos;
}

void FindNul(const nlohmann::json& value, const std::string& path, std::vector<std::string>& out) {
  if (value.is_string()) {
    if (HasNul(value.get_ref<const std::string&>())) out.push_back(path);
  } else if (value.is_object()) {
    for (const auto& [key, child] : value.items()) {
      const std::string child_path = path.empty() ? key : path + "." + key;
      if (HasNul(key)) out.push_back(child_path);
      FindNul(child, child_path, out);
    }
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      FindNul(value[i], path + "[" + std::to_string(i) + "]", out);
    }
  }
}

// The common case, without building a path per field.
bool ContainsNul(const nlohmann::json& value) {
  if (value.is_string()) return HasNul(value.get_ref<const std::string&>());
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) {
      if (HasNul(key) || ContainsNul(child)) return true;
    }
  } else if (value.is_array()) {
    for (const auto& child : value) {
      if (ContainsNul(child)) return true;
    }
  }
  return false;
}

}  // namespace

sdk::FieldErrors NulCharacterErrors(const nlohmann::json& payload) {
  if (!ContainsNul(payload)) return {};
  std::vector<std::string> paths;
  FindNul(payload, "", paths);
  sdk::FieldErrors errors;
  for (auto& p : paths) {
    errors.push_back({std::move(p), "must not contain NUL characters"});
  }
  return errors;
}

sdk::Result<nlohmann::json> DecodeForm(std::string_view body) {
  nlohmann::json out = nlohmann::json::object();
  std::string key, value;
  while (!body.empty()) {
    const auto amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    if (!PercentDecode(pair.substr(0, eq), key) ||
        !PercentDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1),
                       value)) {
      return BadForm("malformed percent-escape in form field '" + std::string(pair.substr(0, eq)) +
                     "'");
    }
    if (!utf8::IsValid(key) || !utf8::IsValid(value)) {
      return BadForm("form field '" + (utf8::IsValid(key) ? key : std::string("?")) +
                     "' is not valid UTF-8");
    }
    auto it = out.find(key);
    if (it == out.end()) {
      out[key] = value;
    } else {
      if (!it->is_array()) *it = nlohmann::json::array({*it});
      it->push_back(value);
    }
  }
  return out;
}

}  // namespace mccig::ingest
