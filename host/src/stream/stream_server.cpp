// stream_server.cpp — see stream_server.h.
#include "stream/stream_server.h"

#include <sys/socket.h>
#include <unistd.h>

#include <spdlog/spdlog.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>

#include "log/logging.h"
#include "stream/stream_session.h"

namespace mccig::stream {

StreamServer::StreamServer(http::ServerContext& context, StreamOptions options)
    : host_{.context = context,
            .options = options,
            .batcher = {*context.admission, options.admission_batch}},
      work_(io_.get_executor()),
      thread_([this] {
        log::NameThisThread("stream-loop");
        io_.run();
      }) {}

StreamServer::~StreamServer() {
  Stop();
}

bool StreamServer::Full() const {
  return host_.connections.load() >= host_.options.max_connections;
}

int StreamServer::connections() const {
  return host_.connections.load();
}

void StreamServer::Adopt(int fd, std::string request_bytes, std::string key_tenant,
                         std::string url_tenant) {
  host_.connections.fetch_add(1);
  boost::asio::ip::tcp::socket socket(io_);
  sockaddr_storage local{};
  socklen_t length = sizeof local;
  const bool v6 = ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) == 0 &&
                  local.ss_family == AF_INET6;
  boost::system::error_code ec;
  socket.assign(v6 ? boost::asio::ip::tcp::v6() : boost::asio::ip::tcp::v4(), fd, ec);
  if (ec) {
    ::close(fd);
    host_.connections.fetch_sub(1);
    spdlog::warn("stream: cannot take over the connection: {}", ec.message());
    return;
  }
  auto session = std::make_shared<Session>(host_, std::move(socket), std::move(key_tenant),
                                           std::move(url_tenant));
  {
    std::lock_guard lock(mutex_);
    std::erase_if(sessions_, [](const std::weak_ptr<Session>& s) { return s.expired(); });
    sessions_.push_back(session);
  }
  boost::asio::post(io_, [session, bytes = std::move(request_bytes)]() mutable {
    session->Start(std::move(bytes));
  });
}

void StreamServer::Stop(std::chrono::milliseconds grace) {
  {
    std::lock_guard lock(mutex_);
    if (stopped_) return;
    stopped_ = true;
  }
  // Every event handed to admission is answered; the acks are posted first.
  host_.batcher.Stop();
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(mutex_);
    for (const auto& weak : sessions_) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
    sessions_.clear();
  }
  for (auto& s : live) boost::asio::post(io_, [s] { s->Shutdown(); });
  live.clear();
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (host_.connections.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  work_.reset();
  io_.stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace mccig::stream
