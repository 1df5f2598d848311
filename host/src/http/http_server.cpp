// http_server.cpp — the listener: binding, the accept loop, the event-loop
// threads and the orderly stop. What one connection does is in
// http_connection.cpp.
#include "http/http_server.h"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include "http/http_connection.h"
#include "log/logging.h"

namespace mccig::http {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

constexpr auto kAcceptRetry = std::chrono::milliseconds(50);

void Accept(ServerState& state);

void Adopt(ServerState& state, tcp::socket socket) {
  boost::system::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  const bool over_limit = state.connections.load() >= state.options.max_connections;
  auto connection = std::make_shared<Connection>(state, std::move(socket), over_limit);
  {
    std::lock_guard lock(state.mutex);
    std::erase_if(state.live, [](const std::weak_ptr<Connection>& c) { return c.expired(); });
    state.live.push_back(connection);
  }
  connection->Start();
}

// The loop a new connection lives on: each in turn.
asio::io_context& NextLoop(ServerState& state) {
  return *state.loops[state.next_loop.fetch_add(1) % state.loops.size()];
}

void Accept(ServerState& state) {
  state.acceptor.async_accept(
      NextLoop(state), [&state](boost::system::error_code ec, tcp::socket socket) {
        if (!ec) {
          Adopt(state, std::move(socket));
          return Accept(state);
        }
        if (ec == asio::error::operation_aborted || !state.acceptor.is_open()) return;
        // Out of descriptors, most likely: try again shortly instead of spinning.
        spdlog::warn("http: accept failed: {}", ec.message());
        state.accept_retry.expires_after(kAcceptRetry);
        state.accept_retry.async_wait([&state](boost::system::error_code wait_ec) {
          if (!wait_ec) Accept(state);
        });
      });
}

tcp::endpoint Resolve(asio::io_context& io, const std::string& host, uint16_t port) {
  tcp::resolver resolver(io);
  const auto results = resolver.resolve(host, std::to_string(port),
                                        tcp::resolver::passive | tcp::resolver::numeric_service);
  return results.begin()->endpoint();
}

}  // namespace

HttpServer::HttpServer(const ServerOptions& options, ServerContext& context)
    : state_(std::make_unique<ServerState>(context, options)) {
  const tcp::endpoint endpoint = Resolve(*state_->loops.front(), options.host, options.port);
  tcp::acceptor& acceptor = state_->acceptor;
  acceptor.open(endpoint.protocol());
  acceptor.set_option(asio::socket_base::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen(asio::socket_base::max_listen_connections);
  port_ = acceptor.local_endpoint().port();
}

HttpServer::~HttpServer() {
  Stop();
}

void HttpServer::Start() {
  ServerState& state = *state_;
  asio::post(state.acceptor.get_executor(), [&state] { Accept(state); });
  for (auto& loop : state.loops) {
    state.loop_threads.emplace_back([&io = *loop] {
      log::NameThisThread("http-loop");
      io.run();
    });
  }
}

void HttpServer::Stop() {
  ServerState& state = *state_;
  if (state.stopping.exchange(true)) return;
  asio::post(state.acceptor.get_executor(), [&state] {
    boost::system::error_code ignored;
    state.accept_retry.cancel();
    state.acceptor.close(ignored);
  });
  std::vector<std::shared_ptr<Connection>> live;
  {
    std::lock_guard lock(state.mutex);
    for (const auto& weak : state.live) {
      if (auto c = weak.lock()) live.push_back(std::move(c));
    }
    state.live.clear();
  }
  for (auto& c : live) asio::post(c->executor(), [c] { c->Shutdown(); });
  live.clear();
  // Requests in flight are answered: admission and the handlers keep
  // running until every connection is gone or the read deadline passes.
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(state.options.read_timeout_ms + 1000);
  while (!state.loop_threads.empty() && state.connections.load() > 0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  state.batcher.Stop();
  state.handlers.join();
  for (auto& guard : state.work) guard.reset();
  for (auto& loop : state.loops) loop->stop();
  for (auto& t : state.loop_threads) t.join();
  state.loop_threads.clear();
}

}  // namespace mccig::http
