// ws_client.h — a blocking WebSocket client for tests (Boost.Beast), to
// drive /v1/stream the way a provider's client would.
#pragma once

#include <chrono>
#include <map>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

namespace mccig::testing {

class WsClient {
 public:
  // Connects and upgrades; throws boost::system::system_error on refusal
  // (the HTTP status is in `status` of the error's response, see Upgrade).
  // `socket_buffer_bytes` > 0 shrinks the client's kernel buffers, so a
  // client that stops reading stalls the server sooner.
  explicit WsClient(uint16_t port, const std::map<std::string, std::string>& headers = {},
                    int socket_buffer_bytes = 0)
      : ws_(io_) {
    Upgrade(port, headers, socket_buffer_bytes);
  }

  void Send(const std::string& text) { ws_.write(boost::asio::buffer(text)); }
  void Send(const nlohmann::json& message) { Send(message.dump()); }
  void SendBinary(const std::string& bytes) {
    ws_.binary(true);
    ws_.write(boost::asio::buffer(bytes));
    ws_.text(true);
  }

  nlohmann::json Receive() {
    boost::beast::flat_buffer buffer;
    ws_.read(buffer);
    return nlohmann::json::parse(boost::beast::buffers_to_string(buffer.data()));
  }

  // Reads until the server closes; the close reason it gave.
  boost::beast::websocket::close_reason ReadUntilClosed() {
    boost::beast::flat_buffer buffer;
    boost::beast::error_code ec;
    while (!ec) {
      ws_.read(buffer, ec);
      buffer.consume(buffer.size());
    }
    return ws_.reason();
  }

  void Close() { ws_.close(boost::beast::websocket::close_code::normal); }

  boost::beast::websocket::stream<boost::asio::ip::tcp::socket>& ws() { return ws_; }

 private:
  void Upgrade(uint16_t port, const std::map<std::string, std::string>& headers,
               int socket_buffer_bytes) {
    auto& socket = ws_.next_layer();
    socket.open(boost::asio::ip::tcp::v4());
    if (socket_buffer_bytes > 0) {
      socket.set_option(boost::asio::socket_base::receive_buffer_size(socket_buffer_bytes));
      socket.set_option(boost::asio::socket_base::send_buffer_size(socket_buffer_bytes));
    }
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    ws_.set_option(boost::beast::websocket::stream_base::decorator(
        [headers](boost::beast::websocket::request_type& request) {
          for (const auto& [k, v] : headers) request.set(k, v);
        }));
    ws_.handshake("127.0.0.1:" + std::to_string(port), "/v1/stream");
  }

  boost::asio::io_context io_;
  boost::beast::websocket::stream<boost::asio::ip::tcp::socket> ws_;
};

}  // namespace mccig::testing
