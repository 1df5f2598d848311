// http_server.h — the gateway's HTTP listener (Poco HTTPServer).
//
// Routes: POST /v1/ingest/{route} and its alias /ingest/{route}; GET /healthz.
// Everything else is a JSON 404. A bounded thread pool serves connections and
// a bounded accept queue holds the rest, so overload queues briefly instead
// of spawning threads without limit; past shed_queue_depth waiting
// connections are answered 503 at once. Start/Stop from one thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "http/server_context.h"

namespace Poco {
class ThreadPool;
}
namespace Poco::Net {
class HTTPServer;
}

namespace mccig::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0: an ephemeral port, see HttpServer::port()
  int threads = 16;
  int max_queued = 256;
  // A request's body must arrive within this (408 otherwise); also Poco's
  // per-read socket timeout.
  int64_t read_timeout_ms = 10'000;
  // More connections waiting than this are answered 503 at once (load
  // shedding); 0: half of max_queued. Beyond max_queued Poco refuses them.
  int shed_queue_depth = 0;
};

class HttpServer {
 public:
  HttpServer(const ServerOptions& options, ServerContext& context);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  void Start();
  // Stops accepting, lets requests in flight finish.
  void Stop();
  uint16_t port() const { return port_; }

 private:
  std::unique_ptr<class ReadWatchdog> watchdog_;
  std::unique_ptr<struct Shedding> shedding_;
  std::unique_ptr<Poco::ThreadPool> pool_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  uint16_t port_ = 0;
};

}  // namespace mccig::http
