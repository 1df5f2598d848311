// validator.cpp — FieldSpec checks; see validator.h for the contract.
#include "mccig/sdk/validator.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unordered_set>

#include "mccig/sdk/timestamp.h"

namespace mccig::sdk {
namespace {

// 1 → "1", 0.5 → "0.5": bounds read as the author wrote them.
std::string FormatBound(double v) {
  char buf[32];
  if (std::floor(v) == v && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%g", v);
  }
  return buf;
}

// Code points in valid UTF-8 (the JSON parser and the form decoder guarantee
// validity): every byte that is not a continuation byte starts one.
std::size_t CodePoints(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool IsIdentifierChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

std::string Characters(std::size_t n) {
  return n == 1 ? " character" : " characters";
}

void CheckString(const std::string& s, const FieldSpec& spec, const std::string& name,
                 FieldErrors& errors) {
  if (s.find('\0') != std::string::npos) {
    errors.push_back({name, "must not contain NUL characters"});
    return;
  }
  const std::size_t length = CodePoints(s);
  if (spec.min_length && length < *spec.min_length) {
    errors.push_back({name, *spec.min_length == 1
                                ? std::string("must not be empty")
                                : "must be at least " + std::to_string(*spec.min_length) +
                                      Characters(*spec.min_length) + " long"});
  }
  if (spec.max_length && length > *spec.max_length) {
    errors.push_back({name, "must be at most " + std::to_string(*spec.max_length) +
                                Characters(*spec.max_length) + " long"});
  }
  if (spec.format == StringFormat::kIdentifier) {
    for (char c : s) {
      if (!IsIdentifierChar(c)) {
        errors.push_back({name, "must contain only letters, digits, '.', '_' and '-'"});
        break;
      }
    }
  }
}

void CheckNumber(double v, const FieldSpec& spec, const std::string& name, FieldErrors& errors) {
  if (spec.minimum && v < *spec.minimum) {
    errors.push_back({name, "must be at least " + FormatBound(*spec.minimum)});
  }
  if (spec.maximum && v > *spec.maximum) {
    errors.push_back({name, "must be at most " + FormatBound(*spec.maximum)});
  }
}

bool IsIntegral(const nlohmann::json& v) {
  if (v.is_number_integer()) return true;
  if (!v.is_number_float()) return false;
  const double d = v.get<double>();
  return std::floor(d) == d && std::fabs(d) < 9.007199254740992e15;  // 2^53
}

void CheckValue(const nlohmann::json& v, const FieldSpec& spec, const std::string& name,
                FieldErrors& errors) {
  switch (spec.type) {
    case FieldType::kString:
      if (!v.is_string()) return errors.push_back({name, "must be a string"});
      return CheckString(v.get_ref<const std::string&>(), spec, name, errors);
    case FieldType::kTimestamp:
      if (!v.is_string() || !ParseTimestamp(v.get_ref<const std::string&>())) {
        return errors.push_back(
            {name, "must be an ISO-8601 timestamp with a time zone, e.g. 2024-05-01T12:00:00Z"});
      }
      return;
    case FieldType::kInteger:
      if (!IsIntegral(v)) return errors.push_back({name, "must be an integer"});
      return CheckNumber(v.get<double>(), spec, name, errors);
    case FieldType::kNumber:
      if (!v.is_number()) return errors.push_back({name, "must be a number"});
      return CheckNumber(v.get<double>(), spec, name, errors);
    case FieldType::kBoolean:
      if (!v.is_boolean()) errors.push_back({name, "must be true or false"});
      return;
    case FieldType::kObject:
      if (!v.is_object()) errors.push_back({name, "must be an object"});
      return;
    case FieldType::kArray:
      if (!v.is_array()) errors.push_back({name, "must be an array"});
      return;
  }
}

bool ParseWhole(const std::string& text, double& out) {
  if (text.empty() || std::isspace(static_cast<unsigned char>(text[0]))) return false;
  char* end = nullptr;
  errno = 0;
  out = std::strtod(text.c_str(), &end);
  return errno == 0 && end == text.c_str() + text.size() && std::isfinite(out);
}

}  // namespace

FieldErrors ValidateFields(const nlohmann::json& object, std::span<const FieldSpec> specs,
                           UnknownKeys unknown, std::string_view path) {
  FieldErrors errors;
  const std::string prefix(path);
  for (const FieldSpec& spec : specs) {
    const auto it = object.find(spec.name);
    if (it == object.end() || it->is_null()) {
      if (spec.required) errors.push_back({prefix + spec.name, "required"});
      continue;
    }
    CheckValue(*it, spec, prefix + spec.name, errors);
  }
  if (unknown == UnknownKeys::kReject) {
    for (const auto& [key, value] : object.items()) {
      bool declared = false;
      for (const FieldSpec& spec : specs) declared = declared || spec.name == key;
      if (!declared) errors.push_back({prefix + key, "unknown key"});
    }
  }
  return errors;
}

void CoerceFormValues(nlohmann::json& object, std::span<const FieldSpec> specs) {
  for (const FieldSpec& spec : specs) {
    const auto it = object.find(spec.name);
    if (it == object.end() || !it->is_string()) continue;
    const std::string& text = it->get_ref<const std::string&>();
    double number = 0;
    nlohmann::json converted;  // stays null when the text does not parse
    if (spec.type == FieldType::kInteger && ParseWhole(text, number) &&
        std::floor(number) == number && std::fabs(number) < 9.007199254740992e15) {
      converted = static_cast<int64_t>(number);
    } else if (spec.type == FieldType::kNumber && ParseWhole(text, number)) {
      converted = number;
    } else if (spec.type == FieldType::kBoolean && (text == "true" || text == "false")) {
      converted = text == "true";
    }
    // Assign last: `text` refers into *it.
    if (!converted.is_null()) *it = std::move(converted);
  }
}

Result<nlohmann::json> ResolveOptions(const nlohmann::json& given, std::span<const FieldSpec> specs,
                                      std::string_view path) {
  nlohmann::json options = given.is_null() ? nlohmann::json::object() : given;
  if (!options.is_object()) {
    std::string field(path);
    if (!field.empty() && field.back() == '.') field.pop_back();
    return Error::Validation({{field, "must be a mapping of option names to values"}});
  }
  FieldErrors errors = ValidateFields(options, specs, UnknownKeys::kReject, path);
  if (!errors.empty()) return Error::Validation(std::move(errors));
  for (const FieldSpec& spec : specs) {
    if (!spec.default_value.is_null() && !options.contains(spec.name)) {
      options[spec.name] = spec.default_value;
    }
  }
  return options;
}

}  // namespace mccig::sdk
