// http_server.h — the gateway's HTTP listener: Boost.Beast on Boost.Asio.
//
// Every connection lives on one of a small set of event-loop threads
// (io_threads, each with a loop of its own; new connections go to them in
// turn), so an idle keep-alive connection costs a few kilobytes and no
// thread, and a request costs no thread switch of its own. A request is
// read in full (body within its limit and the read deadline) before any
// handler sees it.
// Single-event ingest stays on the loop: its event joins one admission
// batcher, whose round trips to Redis carry the events of every connection
// that arrived meanwhile. The routes that block (batch, operator views, DLQ,
// health checks) run on a pool of `threads` handler threads.
//
// Overload is answered at once rather than queued: a connection beyond
// max_connections, or a request while max_queued others wait for admission
// or a handler thread, gets 503 `overloaded` with Retry-After and is closed.
// Start/Stop from one thread only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "http/server_context.h"

namespace mccig::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0: an ephemeral port, see HttpServer::port()
  int io_threads = 0;    // event-loop threads, a loop each; 0: one per core
  int threads = 16;      // handler threads for the routes that block
  // Requests read and not yet answered, past which new ones get 503.
  int max_queued = 4096;
  int max_connections = 8192;  // open connections; past it, 503 and close
  // A request's body must arrive within this (408 otherwise); also the
  // limit for writing an answer to a client that does not read.
  int64_t read_timeout_ms = 10'000;
  int64_t keep_alive_timeout_ms = 15'000;  // an idle connection is closed after this
  std::size_t admission_batch = 256;       // single events per round trip at most
};

struct ServerState;

class HttpServer {
 public:
  // Binds at once; throws when the address cannot be bound or `context`
  // has no admission.
  HttpServer(const ServerOptions& options, ServerContext& context);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  void Start();
  // Stops accepting, answers the requests in flight, closes every
  // connection; waits at most read_timeout_ms for slow ones.
  void Stop();
  uint16_t port() const { return port_; }

 private:
  std::unique_ptr<ServerState> state_;
  uint16_t port_ = 0;
};

}  // namespace mccig::http
