// http_connection.h — one client connection of the HTTP server, and what
// all of them share (ServerState).
//
// A connection reads one request at a time — header, then body under its
// route's size limit and the read deadline — answers it, and reads the next
// (keep-alive; pipelined requests wait in the buffer). Its handlers run on
// the thread of the event loop it was given, except the blocking routes,
// which go to the handler pool and post their reply back. Invariant: at
// most one request per connection is between its header and its answer
// (`busy_`), and the answer is written before the next header is read.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "admission/admission_batcher.h"
#include "http/http_server.h"
#include "http/reply.h"
#include "http/request.h"
#include "http/router.h"

namespace mccig::http {

class Connection;

// Owned by HttpServer; every connection holds a reference.
struct ServerState {
  ServerState(ServerContext& context, const ServerOptions& options);

  ServerContext& context;
  const ServerOptions options;
  // Declared before `io`: connections still queued in it when it is
  // destroyed count themselves out here.
  std::atomic<int> connections{0};
  std::atomic<int> in_flight{0};  // requests read and not yet answered
  std::atomic<bool> stopping{false};
  std::mutex mutex;
  std::vector<std::weak_ptr<Connection>> live;  // pruned as new ones arrive
  // One event loop per io thread, each run by that thread alone: a
  // connection's handlers never leave its loop's thread, so they need no
  // strand, and the threads share no queue (one io_context run by several
  // threads hands its reactor between them through a mutex and a futex per
  // wake-up). New connections go to the loops in turn.
  std::vector<std::unique_ptr<boost::asio::io_context>> loops;
  std::vector<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work;
  std::atomic<std::size_t> next_loop{0};
  boost::asio::ip::tcp::acceptor acceptor;  // on the first loop
  boost::asio::steady_timer accept_retry;   // after a failed accept (out of descriptors)
  admission::AdmissionBatcher batcher;      // single-event ingest of every connection
  boost::asio::thread_pool handlers;        // the routes that block
  std::vector<std::thread> loop_threads;    // joined by Stop
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // `over_limit`: accepted beyond max_connections; its first request is
  // answered 503 and the connection closed.
  Connection(ServerState& state, boost::asio::ip::tcp::socket socket, bool over_limit);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void Start();
  // Server stop: an idle connection closes now, a busy one after its answer.
  // Call on the connection's loop.
  void Shutdown();
  boost::asio::any_io_executor executor() { return stream_.get_executor(); }

 private:
  void ReadHeader();
  void OnHeader(boost::beast::error_code ec);
  void ReadBody();
  void OnBody(boost::beast::error_code ec);
  void Serve();
  bool UpgradeToStream();
  void Answer(Reply reply, std::string channel = {});
  void OnWritten(boost::beast::error_code ec, bool keep_alive);
  void Close();
  void Drain();

  ServerState& state_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::asio::steady_timer body_deadline_;
  std::string response_;  // the answer being written, head and body
  Request request_;
  Route route_;  // views into request_.uri
  std::string request_id_;
  std::size_t body_limit_ = 0;
  std::chrono::steady_clock::time_point started_{};
  const bool over_limit_;
  bool busy_ = false;        // between a request's header and its answer
  bool counted_ = false;     // this request counts in state_.in_flight
  bool keep_alive_ = false;  // the client lets the connection stay open
  bool closing_ = false;
  bool body_timed_out_ = false;
  bool closed_ = false;
};

}  // namespace mccig::http
