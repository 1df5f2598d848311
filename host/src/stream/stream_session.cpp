// stream_session.cpp — see stream_session.h.
#include "stream/stream_session.h"

#include <spdlog/spdlog.h>
#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "http/credentials.h"
#include "http/outcome_record.h"
#include "ingest/ingest_pipeline.h"
#include "stream/stream_protocol.h"
#include "stream/stream_server.h"

namespace mccig::stream {

namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;

namespace {

constexpr std::size_t kKeptBufferBytes = 64 * 1024;

bool Expected(const beast::error_code& ec) {
  return ec == websocket::error::closed || ec == boost::asio::error::operation_aborted ||
         ec == boost::asio::error::eof || ec == beast::error::timeout ||
         ec == boost::asio::error::connection_reset;
}

}  // namespace

Session::Session(SessionHost& host, boost::asio::ip::tcp::socket socket, std::string key_tenant,
                 std::string url_tenant)
    : host_(host),
      ws_(std::move(socket)),
      key_tenant_(std::move(key_tenant)),
      url_tenant_(std::move(url_tenant)) {}

Session::~Session() {
  host_.owed.fetch_sub(in_flight_ + static_cast<int64_t>(outbox_.size()));
  host_.connections.fetch_sub(1);
}

void Session::Start(std::string request_bytes) {
  request_bytes_ = std::move(request_bytes);
  // The WebSocket layer keeps its own time limits; the TCP layer has none.
  beast::get_lowest_layer(ws_).expires_never();
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = std::chrono::seconds(10);
  timeouts.idle_timeout = host_.options.idle_timeout;
  timeouts.keep_alive_pings = false;  // idle means the client sent nothing
  ws_.set_option(timeouts);
  ws_.read_message_max(host_.options.max_message_bytes);
  ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
    response.set(beast::http::field::server, "mccig");
  }));
  ws_.async_accept(boost::asio::buffer(request_bytes_),
                   [self = shared_from_this()](beast::error_code ec) {
                     self->request_bytes_ = std::string();
                     if (ec) {
                       spdlog::debug("stream: handshake failed: {}", ec.message());
                       return;
                     }
                     self->open_ = true;
                     self->ReadNext();
                   });
}

void Session::Shutdown() {
  closing_ = true;
  if (!open_ || writing_) return;  // the write in progress closes when done
  open_ = false;                   // nothing more is sent after the close frame
  ws_.async_close(websocket::close_code::going_away,
                  [self = shared_from_this()](beast::error_code) {});
}

bool Session::Saturated() const {
  return in_flight_ + static_cast<int>(outbox_.size()) >= host_.options.max_in_flight;
}

void Session::ReadNext() {
  if (!open_ || closing_ || reading_ || Saturated()) return;
  reading_ = true;
  ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    self->reading_ = false;
    self->OnRead(ec);
  });
}

void Session::OnRead(beast::error_code ec) {
  if (ec) {
    if (!Expected(ec)) spdlog::debug("stream: connection ended: {}", ec.message());
    open_ = false;
    return;
  }
  if (ws_.got_text()) {
    Handle(beast::buffers_to_string(buffer_.data()));
  } else {
    Send(EventError(nullptr,
                    {"invalid_message", "send text messages holding JSON, not binary", {}}));
  }
  buffer_.consume(buffer_.size());
  // One large message must not pin its buffer for the connection's life:
  // ten thousand idle connections would hold that much each.
  if (buffer_.capacity() > kKeptBufferBytes) buffer_.shrink_to_fit();
  ReadNext();
}

void Session::Handle(std::string_view text) {
  ClientMessage message = ParseClientMessage(text);
  if (auto* heartbeat = std::get_if<HeartbeatMessage>(&message)) {
    Send(HeartbeatAck(heartbeat->id, ingest::NowMs()));
  } else if (auto* bad = std::get_if<BadMessage>(&message)) {
    Send(EventError(bad->id, bad->error));
  } else {
    auto& event = std::get<EventMessage>(message);
    HandleEvent(event.id, event.channel, std::move(event.payload), std::move(event.payload_text));
  }
}

void Session::HandleEvent(const nlohmann::json& id, const std::string& channel,
                          nlohmann::json payload, std::string payload_text) {
  http::ServerContext& context = host_.context;
  const auto registry = context.registry.load();
  const plugins::LoadedPlugin* loaded = registry ? registry->Find(channel) : nullptr;
  if (loaded == nullptr) {
    Send(EventError(id, {"not_found",
                         "no channel plugin serves '" + channel + "'",
                         {{"channel", "unknown channel"}}}));
    return;
  }
  const sdk::ChannelPlugin& plugin = *loaded->plugin;
  const std::string channel_name(sdk::ChannelName(plugin.Info().channel));
  ingest::Caller caller;
  if (context.auth != nullptr) {
    caller = http::CallerFor(*context.auth, key_tenant_, url_tenant_, plugin.Info().name);
  }
  const ingest::IngestRequest request{.content_type = "application/json",
                                      .received_ms = ingest::NowMs(),
                                      .caller = context.auth ? &caller : nullptr,
                                      .signed_request = false};
  sdk::Result<sdk::ConversationEvent> event =
      ingest::PreparePayload(plugin, std::move(payload), request);
  if (!event) {
    const ingest::EventOutcome refused = ingest::RejectedOutcome(event.error());
    http::RecordOutcomes(context, channel_name, key_tenant_, {&refused, 1}, 0);
    Send(EventAck(id, refused));
    return;
  }
  ++in_flight_;
  host_.owed.fetch_add(1);
  const auto submitted = std::chrono::steady_clock::now();
  host_.batcher.Submit(
      std::move(event.value()),
      [self = shared_from_this(), id, channel_name, submitted](
          const admission::AdmissionResult& result, const sdk::ConversationEvent& admitted) {
        ingest::EventOutcome outcome = ingest::AdmittedOutcome(result, admitted);
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - submitted).count();
        http::RecordOutcomes(self->host_.context, channel_name, self->key_tenant_, {&outcome, 1},
                             seconds);
        boost::asio::post(self->ws_.get_executor(), [self, id, outcome = std::move(outcome)] {
          self->OnAdmitted(id, outcome);
        });
      },
      {}, std::move(payload_text));
}

void Session::OnAdmitted(const nlohmann::json& id, const ingest::EventOutcome& outcome) {
  --in_flight_;
  host_.owed.fetch_sub(1);
  Send(EventAck(id, outcome));
  ReadNext();  // room again, perhaps
}

void Session::Send(std::string message) {
  if (!open_) return;  // the client is gone; the event's fate stands regardless
  outbox_.push_back(std::move(message));
  host_.owed.fetch_add(1);
  WriteNext();
}

void Session::WriteNext() {
  if (writing_ || outbox_.empty() || !open_) return;
  writing_ = true;
  ws_.text(true);
  ws_.async_write(boost::asio::buffer(outbox_.front()),
                  [self = shared_from_this()](beast::error_code ec, std::size_t) {
                    self->writing_ = false;
                    self->outbox_.pop_front();
                    self->host_.owed.fetch_sub(1);
                    if (ec) {
                      self->open_ = false;
                      return;
                    }
                    if (self->closing_ && self->outbox_.empty()) {
                      self->Shutdown();
                      return;
                    }
                    self->WriteNext();
                    self->ReadNext();  // room again, perhaps
                  });
}

}  // namespace mccig::stream
