// stream_session.h — one WebSocket connection of /v1/stream.
//
// Life: the handshake (Beast answers the upgrade request the HTTP server
// read), then a read loop. Each text message is parsed (stream_protocol.h);
// a heartbeat or a refused event is answered at once, a valid event is
// handed to the shared AdmissionBatcher and acknowledged when admitted.
// Answers leave through an outbox, one write at a time.
// Back-pressure: the next message is read only while fewer than
// max_in_flight events await their ack or sit in the outbox, so a client
// that sends faster than it reads stalls in TCP instead of growing the
// gateway's memory. Idle: no frame from the client for idle_timeout closes
// the connection. A message over max_message_bytes closes it with 1009.
// Everything here runs on the server's one loop thread; the batcher's
// answers are posted to it.
#pragma once

#include <deque>
#include <memory>
#include <string>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <nlohmann/json.hpp>

#include "ingest/event_outcome.h"

namespace mccig::stream {

struct SessionHost;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(SessionHost& host, boost::asio::ip::tcp::socket socket, std::string key_tenant,
          std::string url_tenant);
  ~Session();

  // Answers the upgrade request in `request_bytes` and starts reading.
  void Start(std::string request_bytes);
  // Closes with 1001 (going away) once the outbox is written.
  void Shutdown();

 private:
  void ReadNext();
  void OnRead(boost::beast::error_code ec);
  void Handle(std::string_view text);
  // `payload_text`: the payload as sent, what its raw_metadata is queued
  // as (empty: written out from the value).
  void HandleEvent(const nlohmann::json& id, const std::string& channel, nlohmann::json payload,
                   std::string payload_text);
  void OnAdmitted(const nlohmann::json& id, const ingest::EventOutcome& outcome);
  void Send(std::string message);
  void WriteNext();
  bool Saturated() const;

  SessionHost& host_;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
  std::string request_bytes_;  // the upgrade request, kept until the handshake
  std::string key_tenant_;
  std::string url_tenant_;
  std::deque<std::string> outbox_;
  int in_flight_ = 0;  // events with the batcher
  bool open_ = false;
  bool reading_ = false;
  bool writing_ = false;
  bool closing_ = false;
};

}  // namespace mccig::stream
