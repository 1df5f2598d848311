// stream_protocol.cpp — see stream_protocol.h.
#include "stream/stream_protocol.h"

#include "ingest/body_decoder.h"
#include "json/json_writer.h"

namespace mccig::stream {
namespace {

BadMessage Bad(nlohmann::json id, std::string code, std::string message,
               sdk::FieldErrors details = {}) {
  return BadMessage{std::move(id),
                    sdk::Error{std::move(code), std::move(message), std::move(details)}};
}

std::string Dump(const nlohmann::json& json) {
  return json_writer::Dump(json);
}

}  // namespace

ClientMessage ParseClientMessage(std::string_view text) {
  sdk::Result<nlohmann::json> decoded = ingest::DecodeJson(text);
  if (!decoded) return BadMessage{nullptr, decoded.error()};
  nlohmann::json& message = decoded.value();
  nlohmann::json id = message.contains("id") ? message["id"] : nlohmann::json();
  if (!id.is_null() && !id.is_string() && !id.is_number()) {
    return Bad(nullptr, "validation_failed", "the message is invalid",
               {{"id", "must be a string or a number"}});
  }
  const auto type = message.find("type");
  if (type == message.end() || !type->is_string()) {
    return Bad(std::move(id), "validation_failed", "the message is invalid",
               {{"type", "required: \"event\" or \"heartbeat\""}});
  }
  if (*type == "heartbeat") return HeartbeatMessage{std::move(id)};
  if (*type != "event") {
    return Bad(std::move(id), "validation_failed", "the message is invalid",
               {{"type", "must be \"event\" or \"heartbeat\""}});
  }
  sdk::FieldErrors problems;
  if (id.is_null()) problems.push_back({"id", "required: a string or number the ack will carry"});
  const auto channel = message.find("channel");
  if (channel == message.end() || !channel->is_string()) {
    problems.push_back({"channel", "required: the plugin route, as in /v1/ingest/{channel}"});
  }
  const auto payload = message.find("payload");
  if (payload == message.end() || !payload->is_object()) {
    problems.push_back({"payload", "required: the event, a JSON object"});
  }
  if (!problems.empty()) {
    return Bad(std::move(id), "validation_failed", "the message is invalid", std::move(problems));
  }
  return EventMessage{std::move(id), channel->get<std::string>(), std::move(*payload),
                      ingest::MemberText(text, "payload")};
}

std::string EventAck(const nlohmann::json& id, const ingest::EventOutcome& outcome) {
  if (outcome.kind == ops::Outcome::kRejected) {
    return EventError(id, outcome.error.value_or(sdk::Error{"invalid_body", "rejected", {}}));
  }
  nlohmann::json ack = {{"type", "event_ack"}, {"id", id}};
  ack.update(ingest::OutcomeJson(outcome));
  return Dump(ack);
}

std::string EventError(const nlohmann::json& id, const sdk::Error& error) {
  nlohmann::json message = {{"type", "event_error"}, {"id", id}};
  message.update(ingest::ErrorJson(error));
  return Dump(message);
}

std::string HeartbeatAck(const nlohmann::json& id, int64_t now_ms) {
  return Dump({{"type", "heartbeat_ack"}, {"id", id}, {"server_time_ms", now_ms}});
}

}  // namespace mccig::stream
