// event_codec.cpp — see event_codec.h.
#include "queue/event_codec.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <variant>

#include <mccig/sdk/timestamp.h>
#include <simdjson.h>
#include <nlohmann/json.hpp>

#include "json/json_writer.h"

namespace mccig::queue {

// Written field by field rather than through sdk::ToJson: building that
// object would deep-copy the payload (raw_metadata) of every event on the
// admission path. The keys are in the order nlohmann::json dumps objects
// (sorted), so the text is the same as before.
std::string EncodeEvent(const sdk::ConversationEvent& event) {
  std::string out;
  out.reserve(512 + event.content.size() * 2);
  AppendEncodedEvent(event, out);
  return out;
}

void AppendEncodedEvent(const sdk::ConversationEvent& event, std::string& out,
                        std::string_view raw_metadata_text) {
  // A string to write as JSON, a value to write out, or JSON text as it is.
  struct JsonText {
    std::string_view text;
  };
  using Value = std::variant<std::string_view, const nlohmann::json*, JsonText>;
  const Value raw_metadata =
      raw_metadata_text.empty() ? Value(&event.raw_metadata) : Value(JsonText{raw_metadata_text});
  const std::string timestamp = sdk::FormatTimestamp(event.timestamp_ms);
  const std::pair<const char*, Value> fields[] = {
      {"channel_type", sdk::ChannelTypeName(event.channel)},
      {"content", event.content},
      {"event_id", event.event_id},
      {"metadata", &event.metadata},
      {"provider_message_id", event.provider_message_id},
      {"raw_metadata", raw_metadata},
      {"tenant_id", event.tenant_id},
      {"timestamp", timestamp}};
  bool first = true;
  for (const auto& [key, value] : fields) {
    out += first ? "{\"" : ",\"";
    first = false;
    out += key;
    out += "\":";
    if (const auto* json = std::get_if<const nlohmann::json*>(&value)) {
      json_writer::Append(out, **json);  // no copy of the payload
    } else if (const auto* text = std::get_if<JsonText>(&value)) {
      out += text->text;
    } else {
      json_writer::AppendString(out, std::get<std::string_view>(value));
    }
  }
  out += event.timestamp_from_provider ? R"(,"timestamp_from_provider":true})"
                                       : R"(,"timestamp_from_provider":false})";
}

std::vector<std::string_view> SplitEvents(std::string_view events) {
  std::vector<std::string_view> lines;
  while (!events.empty()) {
    const std::size_t end = std::min(events.find('\n'), events.size());
    if (end > 0) lines.push_back(events.substr(0, end));
    events.remove_prefix(std::min(end + 1, events.size()));
  }
  return lines;
}

namespace {

// The channel of an encoded channel_type ("SMS", the contract's spelling).
std::optional<sdk::ChannelType> ChannelOfType(std::string_view channel_type) {
  std::string type(channel_type);
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return sdk::ParseChannel(type);
}

}  // namespace

sdk::Result<sdk::ConversationEvent> DecodeEvent(std::string_view encoded) {
  nlohmann::json j = nlohmann::json::parse(encoded, nullptr, false);
  const auto bad = [](std::string why) { return sdk::Error{"invalid_event", std::move(why), {}}; };
  if (!j.is_object()) return bad("not a JSON object");
  for (const char* key :
       {"event_id", "provider_message_id", "tenant_id", "channel_type", "timestamp", "content"}) {
    if (!j.contains(key) || !j[key].is_string()) return bad(std::string("missing ") + key);
  }
  sdk::ConversationEvent e;
  // Moved out of the parsed document: nothing is copied twice.
  e.event_id = std::move(j["event_id"].get_ref<std::string&>());
  e.provider_message_id = std::move(j["provider_message_id"].get_ref<std::string&>());
  e.tenant_id = std::move(j["tenant_id"].get_ref<std::string&>());
  const auto channel = ChannelOfType(j["channel_type"].get_ref<const std::string&>());
  if (!channel) return bad("unknown channel_type");
  e.channel = *channel;
  const auto ts = sdk::ParseTimestamp(j["timestamp"].get<std::string>());
  if (!ts) return bad("bad timestamp");
  e.timestamp_ms = *ts;
  e.timestamp_from_provider = j.value("timestamp_from_provider", false);
  e.content = std::move(j["content"].get_ref<std::string&>());
  const auto take = [&j](const char* key) {
    const auto it = j.find(key);
    return it == j.end() ? nlohmann::json::object() : std::move(*it);
  };
  e.metadata = take("metadata");
  e.raw_metadata = take("raw_metadata");
  return e;
}

namespace {

static_assert(kDecodePadding >= simdjson::SIMDJSON_PADDING);

// What ReadRow has read besides the row's own fields.
struct RowFields {
  std::string_view channel_type{}, timestamp{};
  bool from_provider = false;
  int found = 0;  // one bit per required field
  static constexpr int kAll = 63;
};

bool ReadText(simdjson::ondemand::value value, std::string& out) {
  std::string_view v;
  if (value.get_string().get(v) != simdjson::SUCCESS) return false;
  out.assign(v);
  return true;
}

// A payload is an object, kept as its JSON text.
bool ReadPayload(simdjson::ondemand::value value, std::string& out) {
  simdjson::ondemand::object object;
  std::string_view raw;
  if (value.get_object().get(object) != simdjson::SUCCESS ||
      object.raw_json().get(raw) != simdjson::SUCCESS) {
    return false;
  }
  out.assign(raw);
  return true;
}

// One field of the encoded event into `row` or `f`; keys it does not know
// are skipped. False when the value is not what the encoder writes.
bool ReadField(std::string_view key, simdjson::ondemand::value value, store::EventRow& row,
               RowFields& f) {
  const auto required = [&f](int bit, bool ok) {
    f.found |= bit;
    return ok;
  };
  const auto view = [](simdjson::ondemand::value v, std::string_view& out) {
    return v.get_string().get(out) == simdjson::SUCCESS;
  };
  if (key == "event_id") return required(1, ReadText(value, row.event_id));
  if (key == "provider_message_id") return required(2, ReadText(value, row.provider_message_id));
  if (key == "tenant_id") return required(4, ReadText(value, row.tenant_id));
  if (key == "content") return required(8, ReadText(value, row.content));
  if (key == "channel_type") return required(16, view(value, f.channel_type));
  if (key == "timestamp") return required(32, view(value, f.timestamp));
  if (key == "metadata") return ReadPayload(value, row.metadata);
  if (key == "raw_metadata") return ReadPayload(value, row.raw_metadata);
  if (key == "timestamp_from_provider") {
    return value.get_bool().get(f.from_provider) == simdjson::SUCCESS;
  }
  return true;
}

// The encoded event in `doc` into `row`, its fields in any order; false on
// anything it does not expect, which DecodeEvent then judges (and words).
bool ReadRow(simdjson::ondemand::document& doc, store::EventRow& row) {
  simdjson::ondemand::object object;
  if (doc.get_object().get(object) != simdjson::SUCCESS) return false;
  RowFields f;
  for (auto field : object) {
    std::string_view key;
    simdjson::ondemand::value value;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS ||
        field.value().get(value) != simdjson::SUCCESS || !ReadField(key, value, row, f)) {
      return false;
    }
  }
  if (f.found != RowFields::kAll) return false;
  const auto channel = ChannelOfType(f.channel_type);
  const auto ts = sdk::ParseTimestamp(f.timestamp);
  if (!channel || !ts) return false;
  row.channel = *channel;
  if (row.metadata.empty()) row.metadata = "{}";
  if (row.raw_metadata.empty()) row.raw_metadata = "{}";
  if (f.from_provider) row.occurred_at = sdk::FormatTimestamp(*ts);
  return true;
}

}  // namespace

sdk::Result<store::EventRow> DecodeRow(std::string_view encoded, std::size_t readable) {
  thread_local simdjson::ondemand::parser parser;
  simdjson::padded_string copy;
  simdjson::ondemand::document doc;
  auto parsed =
      readable >= encoded.size() + kDecodePadding
          ? parser.iterate(encoded.data(), encoded.size(), readable)
          : parser.iterate(copy = simdjson::padded_string(encoded.data(), encoded.size()));
  store::EventRow row;
  if (std::move(parsed).get(doc) == simdjson::SUCCESS && ReadRow(doc, row)) return row;
  // Not the usual shape: the full decoder decides, and says what is wrong.
  sdk::Result<sdk::ConversationEvent> event = DecodeEvent(encoded);
  if (!event) return event.error();
  return store::RowOf(event.value());
}

}  // namespace mccig::queue
