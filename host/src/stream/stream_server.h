// stream_server.h — WebSocket ingest: the connections /v1/stream hands over.
//
// The HTTP server authenticates the upgrade request and hands the socket
// over (Adopt); from then on the connection lives here, on its own
// Boost.Asio event loop driving Boost.Beast WebSocket
// streams, so an idle connection costs a few kilobytes and no thread.
// Events are validated on the loop thread and admitted through one
// AdmissionBatcher shared by every connection: under load, the events of
// many connections reach Redis in one round trip. See stream_session.h for
// what one connection does. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "admission/admission_batcher.h"
#include "http/server_context.h"

namespace mccig::stream {

struct StreamOptions {
  int max_connections = 10'000;
  std::chrono::milliseconds idle_timeout{60'000};
  std::size_t max_message_bytes = 1 << 20;
  int max_in_flight = 256;
  std::size_t admission_batch = 1000;  // events per round trip at most
};

class Session;

// What every session shares; owned by the server.
struct SessionHost {
  http::ServerContext& context;
  const StreamOptions options;
  admission::AdmissionBatcher batcher;
  std::atomic<int> connections{0};
  // Answers owed across all connections: events with the batcher plus
  // messages in outboxes. Bounded by connections × max_in_flight (+1 each).
  std::atomic<int64_t> owed{0};
};

class StreamServer {
 public:
  // `context` outlives the server (registry, auth, admission, records).
  StreamServer(http::ServerContext& context, StreamOptions options);
  ~StreamServer();
  StreamServer(const StreamServer&) = delete;
  StreamServer& operator=(const StreamServer&) = delete;

  // Takes over connected socket `fd` whose upgrade request has been read
  // but not answered: `request_bytes` is that request as received, plus
  // anything read after it. `key_tenant` is the API key's tenant (empty:
  // none), `url_tenant` the URL's ?tenant_id=.
  void Adopt(int fd, std::string request_bytes, std::string key_tenant, std::string url_tenant);

  // At max_connections: the caller answers 503 instead of upgrading.
  bool Full() const;
  int connections() const;
  int64_t owed_answers() const { return host_.owed.load(); }
  const StreamOptions& options() const { return host_.options; }

  // Closes every connection (1001 going away) after the acks of events
  // already admitted, then stops the loop; waits at most `grace`.
  void Stop(std::chrono::milliseconds grace = std::chrono::milliseconds(2000));

 private:
  SessionHost host_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::mutex mutex_;
  std::vector<std::weak_ptr<Session>> sessions_;  // pruned as they end
  std::thread thread_;
  bool stopped_ = false;
};

}  // namespace mccig::stream
