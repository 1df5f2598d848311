// stream_protocol.h — the messages of the WebSocket ingest API (/v1/stream).
//
// Client → gateway, one JSON object per text message:
//   {"type":"event","id":<string|number>,"channel":<plugin route>,"payload":{…}}
//   {"type":"heartbeat","id":<optional>}
// Gateway → client, each carrying the client's id:
//   {"type":"event_ack","id":…,"status":"accepted"|"duplicate"|"rate_limited"|"unavailable",…}
//   {"type":"event_error","id":…,"error":…,"message":…,"details":[…]}
//   {"type":"heartbeat_ack","id":…,"server_time_ms":…}
// The fields after "status" and "error" are ingest::OutcomeJson's, the same
// as a batch result. An event needs an id because acks come back when the
// event is admitted, which is not always in the order sent (a refused event
// is answered at once). Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include <mccig/sdk/result.h>
#include <nlohmann/json.hpp>

#include "ingest/event_outcome.h"

namespace mccig::stream {

struct EventMessage {
  nlohmann::json id;  // a string or a number, echoed in the answer
  std::string channel;
  nlohmann::json payload;
  // The payload as the client sent it, made compact (ingest::MemberText):
  // what its raw_metadata is queued as; empty when it could not be found.
  std::string payload_text;
};

struct HeartbeatMessage {
  nlohmann::json id;  // null when the client sent none
};

// A message that cannot be acted on: answered with event_error, carrying
// the id when one could be read; the connection stays open.
struct BadMessage {
  nlohmann::json id;
  sdk::Error error;
};

using ClientMessage = std::variant<EventMessage, HeartbeatMessage, BadMessage>;

ClientMessage ParseClientMessage(std::string_view text);

std::string EventAck(const nlohmann::json& id, const ingest::EventOutcome& outcome);
std::string EventError(const nlohmann::json& id, const sdk::Error& error);
std::string HeartbeatAck(const nlohmann::json& id, int64_t now_ms);

}  // namespace mccig::stream
