// event_codec.cpp — see event_codec.h.
#include "queue/event_codec.h"

#include <algorithm>
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

void AppendEncodedEvent(const sdk::ConversationEvent& event, std::string& out) {
  using Value = std::variant<std::string_view, const nlohmann::json*>;
  const std::string timestamp = sdk::FormatTimestamp(event.timestamp_ms);
  const std::pair<const char*, Value> fields[] = {
      {"channel_type", sdk::ChannelTypeName(event.channel)},
      {"content", event.content},
      {"event_id", event.event_id},
      {"metadata", &event.metadata},
      {"provider_message_id", event.provider_message_id},
      {"raw_metadata", &event.raw_metadata},
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
  std::string type = j["channel_type"];
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto channel = sdk::ParseChannel(type);
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

// The fields DecodeRow reads, found in any order; false on anything it does
// not expect, which DecodeEvent then judges (and explains).
bool ReadRow(simdjson::ondemand::document& doc, store::EventRow& row) {
  simdjson::ondemand::object object;
  if (doc.get_object().get(object) != simdjson::SUCCESS) return false;
  std::string_view channel_type, timestamp;
  bool from_provider = false;
  int found = 0;  // one bit per required field
  const auto text = [](simdjson::ondemand::value value, std::string& out) {
    std::string_view v;
    if (value.get_string().get(v) != simdjson::SUCCESS) return false;
    out.assign(v);
    return true;
  };
  const auto payload = [](simdjson::ondemand::value value, std::string& out) {
    simdjson::ondemand::object o;
    std::string_view raw;
    if (value.get_object().get(o) != simdjson::SUCCESS) return false;
    if (o.raw_json().get(raw) != simdjson::SUCCESS) return false;
    out.assign(raw);
    return true;
  };
  for (auto field : object) {
    std::string_view key;
    simdjson::ondemand::value value;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS ||
        field.value().get(value) != simdjson::SUCCESS) {
      return false;
    }
    // Each required field sets its bit in `found`.
    const auto required = [&found](int bit, bool ok) {
      found |= bit;
      return ok;
    };
    bool ok = true;
    if (key == "event_id") {
      ok = required(1, text(value, row.event_id));
    } else if (key == "provider_message_id") {
      ok = required(2, text(value, row.provider_message_id));
    } else if (key == "tenant_id") {
      ok = required(4, text(value, row.tenant_id));
    } else if (key == "content") {
      ok = required(8, text(value, row.content));
    } else if (key == "channel_type") {
      ok = required(16, value.get_string().get(channel_type) == simdjson::SUCCESS);
    } else if (key == "timestamp") {
      ok = required(32, value.get_string().get(timestamp) == simdjson::SUCCESS);
    } else if (key == "metadata") {
      ok = payload(value, row.metadata);
    } else if (key == "raw_metadata") {
      ok = payload(value, row.raw_metadata);
    } else if (key == "timestamp_from_provider") {
      ok = value.get_bool().get(from_provider) == simdjson::SUCCESS;
    }
    if (!ok) return false;
  }
  if (found != 63) return false;
  std::string type(channel_type);
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto channel = sdk::ParseChannel(type);
  const auto ts = sdk::ParseTimestamp(timestamp);
  if (!channel || !ts) return false;
  row.channel = *channel;
  if (row.metadata.empty()) row.metadata = "{}";
  if (row.raw_metadata.empty()) row.raw_metadata = "{}";
  if (from_provider) row.occurred_at = sdk::FormatTimestamp(*ts);
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
