// json_body.cpp — see json_body.h.
#include "ingest/json_body.h"

#include <algorithm>
#include <optional>
#include <string>

#include <simdjson.h>

namespace mccig::ingest {

namespace {

// Thrown by either reader (nlohmann's callbacks, the simdjson walk) to stop
// reading with the message of a refusal.
struct Refused {
  std::string message;
};

std::string DuplicateKey(std::string_view key) {
  return "duplicate key '" + std::string(key) + "' in a JSON object";
}

std::string NestedTooDeep() {
  return "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
}

// The DOM builder nlohmann::json::parse uses, plus two refusals it does not
// make: nesting deeper than kMaxJsonDepth and a key repeated in one object
// (rather than silently keeping one of the values). A SAX handler, so the
// checks cost a comparison per key, not a second pass.
class StrictDomBuilder : public nlohmann::detail::json_sax_dom_parser<nlohmann::json> {
  using Base = nlohmann::detail::json_sax_dom_parser<nlohmann::json>;

 public:
  explicit StrictDomBuilder(nlohmann::json& result) : Base(result, /*allow_exceptions=*/true) {}

  bool start_object(std::size_t elements) {
    Enter();
    if (keys_.size() <= objects_) keys_.emplace_back();
    keys_[objects_++].clear();
    return Base::start_object(elements);
  }
  bool end_object() {
    --depth_;
    --objects_;
    return Base::end_object();
  }
  bool start_array(std::size_t elements) {
    Enter();
    return Base::start_array(elements);
  }
  bool end_array() {
    --depth_;
    return Base::end_array();
  }
  bool key(std::string& key) {
    std::vector<std::string>& seen = keys_[objects_ - 1];
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
      throw Refused{DuplicateKey(key)};
    }
    seen.push_back(key);
    return Base::key(key);
  }

 private:
  void Enter() {
    if (++depth_ > kMaxJsonDepth) {
      throw Refused{NestedTooDeep()};
    }
  }
  int depth_ = 0;
  std::size_t objects_ = 0;
  std::vector<std::vector<std::string>> keys_;  // per open object, reused across objects
};

}  // namespace

sdk::Result<nlohmann::json> DecodeJsonByNlohmann(std::string_view body) {
  nlohmann::json value;
  try {
    StrictDomBuilder builder(value);
    nlohmann::json::sax_parse(body, &builder);
  } catch (const Refused& refused) {
    return sdk::Error{"invalid_json", refused.message, {}};
  } catch (const nlohmann::json::parse_error& e) {
    // what() reads "[json.exception.parse_error.101] parse error at line 1, column 5: …".
    const std::string what = e.what();
    const auto detail = what.find("parse error");
    return sdk::Error{"invalid_json",
                      "malformed JSON at byte " + std::to_string(e.byte) + ": " +
                          (detail == std::string::npos ? what : what.substr(detail)),
                      {}};
  } catch (const nlohmann::json::exception& e) {
    // out_of_range.406: a number beyond a double's range.
    const std::string what = e.what();
    const auto bracket = what.find("] ");
    return sdk::Error{
        "invalid_json", bracket == std::string::npos ? what : what.substr(bracket + 2), {}};
  }
  if (!value.is_object()) {
    return sdk::Error{"invalid_body", "the body must be a JSON object", {}};
  }
  return value;
}

namespace {

// simdjson's document as nlohmann values, in document order, refusing what
// StrictDomBuilder refuses with the same messages. `depth` counts the
// objects and arrays open, this one included, as the builder does.
nlohmann::json ToJson(simdjson::dom::element element, int depth) {
  using Type = simdjson::dom::element_type;
  switch (element.type()) {
    case Type::OBJECT: {
      if (depth > kMaxJsonDepth) throw Refused{NestedTooDeep()};
      nlohmann::json out(nlohmann::json::value_t::object);
      auto& members = out.get_ref<nlohmann::json::object_t&>();
      const simdjson::dom::object object = element.get_object().value_unsafe();
      for (simdjson::dom::key_value_pair member : object) {
        auto [at, inserted] = members.try_emplace(std::string(member.key));
        if (!inserted) throw Refused{DuplicateKey(member.key)};
        at->second = ToJson(member.value, depth + 1);
      }
      return out;
    }
    case Type::ARRAY: {
      if (depth > kMaxJsonDepth) throw Refused{NestedTooDeep()};
      nlohmann::json out(nlohmann::json::value_t::array);
      auto& elements = out.get_ref<nlohmann::json::array_t&>();
      const simdjson::dom::array array = element.get_array().value_unsafe();
      elements.reserve(array.size());
      for (simdjson::dom::element e : array) elements.push_back(ToJson(e, depth + 1));
      return out;
    }
    case Type::STRING:
      return std::string(element.get_string().value_unsafe());
    case Type::INT64: {
      // nlohmann reads an integer without a sign as unsigned.
      const int64_t v = element.get_int64().value_unsafe();
      return v >= 0 ? nlohmann::json(static_cast<uint64_t>(v)) : nlohmann::json(v);
    }
    case Type::UINT64:
      return element.get_uint64().value_unsafe();
    case Type::DOUBLE:
      return element.get_double().value_unsafe();
    case Type::BOOL:
      return element.get_bool().value_unsafe();
    case Type::NULL_VALUE:
      break;
  }
  return nullptr;
}

// A parser keeps the buffers of the largest document it has read, about
// 14 bytes a byte of JSON: each thread keeps one for bodies up to a large
// batch's size; a larger body gets a parser of its own, freed after.
constexpr std::size_t kKeptParserCapacity = 1u << 20;

// A UTF-8 byte-order mark: nlohmann's reader skips one before a body,
// On-Demand does not.
constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

// Runs read(document) over `body`'s On-Demand document with this thread's
// parser; false when the body cannot be iterated or `read` says so. The
// body is one a reader accepted already: simdjson's DOM keeps no positions
// in the text, its On-Demand reader finds where each value's text lies.
// Buffers past a large batch's size are given back after.
template <typename Read>
bool ReadOnDemand(std::string_view body, Read&& read) {
  if (body.starts_with(kByteOrderMark)) body.remove_prefix(kByteOrderMark.size());
  thread_local simdjson::ondemand::parser parser;
  thread_local std::string copy;  // On-Demand reads past the end: padded
  copy.assign(body);
  copy.append(simdjson::SIMDJSON_PADDING, ' ');
  simdjson::ondemand::document document;
  const bool ok =
      parser.iterate(simdjson::padded_string_view(copy.data(), body.size(), copy.size()))
              .get(document) == simdjson::SUCCESS &&
      read(document);
  if (body.size() > kKeptParserCapacity) {
    parser = simdjson::ondemand::parser();
    std::string().swap(copy);
  }
  return ok;
}

// CompactJson of `value`'s text as sent; empty if simdjson cannot give it.
// What the client sent, which no writer can reproduce in every digit (a
// double's, say) or escape.
std::string CompactText(simdjson::ondemand::value value) {
  simdjson::ondemand::json_type type;
  if (value.type().get(type) != simdjson::SUCCESS) return {};
  std::string_view raw;
  if (type == simdjson::ondemand::json_type::object) {
    simdjson::ondemand::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS ||
        object.raw_json().get(raw) != simdjson::SUCCESS) {
      return {};
    }
  } else if (type == simdjson::ondemand::json_type::array) {
    simdjson::ondemand::array array;
    if (value.get_array().get(array) != simdjson::SUCCESS ||
        array.raw_json().get(raw) != simdjson::SUCCESS) {
      return {};
    }
  } else {
    raw = value.raw_json_token();
  }
  return CompactJson(raw);
}

// The texts of the `count` elements of `body`'s top-level member
// `array_key`; none when there are not that many, or a key is written
// with escapes (On-Demand matches keys as written).
std::vector<std::string> ElementTexts(std::string_view body, std::string_view array_key,
                                      std::size_t count) {
  std::vector<std::string> texts;
  const bool read = ReadOnDemand(body, [&](simdjson::ondemand::document& document) {
    simdjson::ondemand::array array;
    if (document.find_field_unordered(array_key).get_array().get(array) != simdjson::SUCCESS) {
      return false;
    }
    texts.reserve(count);
    for (simdjson::simdjson_result<simdjson::ondemand::value> element : array) {
      simdjson::ondemand::value value;
      if (element.get(value) != simdjson::SUCCESS) return false;
      texts.push_back(CompactText(value));
      if (texts.back().empty()) return false;
    }
    return texts.size() == count;
  });
  if (!read) texts.clear();
  return texts;
}

// The body's value through simdjson; nullopt when simdjson refuses it
// (nlohmann then decides). A Refused propagates.
std::optional<nlohmann::json> ReadBySimdjson(std::string_view body) {
  thread_local simdjson::dom::parser kept;
  std::optional<simdjson::dom::parser> own;
  simdjson::dom::parser& parser = body.size() <= kKeptParserCapacity ? kept : own.emplace();
  simdjson::dom::element document;
  if (parser.parse(body.data(), body.size()).get(document) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return ToJson(document, 1);
}

}  // namespace

std::string CompactJson(std::string_view json) {
  if (json.starts_with(kByteOrderMark)) json.remove_prefix(kByteOrderMark.size());
  std::string out(json.size(), '\0');
  std::size_t length = 0;
  if (simdjson::minify(json.data(), json.size(), out.data(), length) != simdjson::SUCCESS) {
    return {};
  }
  out.resize(length);
  return out;
}

std::string MemberText(std::string_view body, std::string_view key) {
  std::string text;
  ReadOnDemand(body, [&](simdjson::ondemand::document& document) {
    simdjson::ondemand::value value;
    if (document.find_field_unordered(key).get(value) != simdjson::SUCCESS) return false;
    text = CompactText(value);
    return true;
  });
  return text;
}

sdk::Result<JsonBody> DecodeJsonKeepingTexts(std::string_view body, std::string_view array_key) {
  std::optional<nlohmann::json> fast;
  try {
    fast = ReadBySimdjson(body);
  } catch (const Refused& refused) {
    return sdk::Error{"invalid_json", refused.message, {}};
  }
  JsonBody out;
  if (fast) {
    if (!fast->is_object()) return sdk::Error{"invalid_body", "the body must be a JSON object", {}};
    out.value = std::move(*fast);
  } else {
    sdk::Result<nlohmann::json> slow = DecodeJsonByNlohmann(body);
    if (!slow) return slow.error();
    out.value = std::move(slow.value());
  }
  // Found in the text whichever reader took the body: the texts keep what
  // nlohmann cannot hold (an integer beyond 64 bits) too.
  const auto array = array_key.empty() ? out.value.end() : out.value.find(array_key);
  if (array != out.value.end() && array->is_array()) {
    out.element_texts = ElementTexts(body, array_key, array->size());
  }
  return out;
}

sdk::Result<nlohmann::json> DecodeJson(std::string_view body) {
  sdk::Result<JsonBody> decoded = DecodeJsonKeepingTexts(body, {});
  if (!decoded) return decoded.error();
  return std::move(decoded.value().value);
}

}  // namespace mccig::ingest
