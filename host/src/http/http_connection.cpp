// http_connection.cpp — see http_connection.h.
#include "http/http_connection.h"

#include <strings.h>

#include <stdexcept>

#include <spdlog/spdlog.h>
#include <boost/asio/buffer.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>

#include "http/ingest_handler.h"
#include "http/stream_upgrade.h"
#include "json/json_writer.h"
#include "log/logging.h"

namespace mccig::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {

admission::Admission& AdmissionOf(const ServerContext& context) {
  if (context.admission == nullptr) {
    throw std::invalid_argument("the HTTP server needs ServerContext::admission");
  }
  return *context.admission;
}

constexpr std::size_t kHeaderLimitBytes = 16 * 1024;
constexpr std::size_t kMaxHeaderFields = 100;
constexpr auto kDrainTime = std::chrono::seconds(1);
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// The client went away or the connection was cancelled: nothing to answer.
bool Gone(const beast::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::operation_aborted || ec == beast::error::timeout ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe;
}

Reply BadRequest(const std::string& message) {
  Reply reply = ErrorReply(400, "bad_request", message);
  reply.close = true;
  return reply;
}

Reply Incomplete(int64_t timeout_ms) {
  Reply reply =
      ErrorReply(408, "request_timeout",
                 "the body did not arrive in full within " + std::to_string(timeout_ms) + " ms");
  reply.close = true;
  return reply;
}

// The route's body limit: a batch may be larger than a single event.
std::size_t BodyLimit(const ServerContext& context, const Route& route) {
  return !route.ingest.empty() && route.ingest.ends_with(kBatchSuffix)
             ? context.batch_max_body_bytes
             : context.body_limit_bytes;
}

// The whole answer, head and body, into `out` (reusing its capacity): one
// buffer and one write per answer.
void Serialize(Reply& reply, bool http11, bool keep_alive, std::string& out) {
  const auto status = static_cast<unsigned>(reply.status);
  std::string body;
  if (status == 204) {
    // RFC 9110 §15.3.5: no body, and no Content-Length either (§8.6).
  } else if (!reply.content_type.empty()) {
    body = std::move(reply.text);
  } else if (!reply.body.is_null()) {
    body = json_writer::Dump(reply.body);
  }
  out.clear();
  out.append(http11 ? "HTTP/1.1 " : "HTTP/1.0 ").append(std::to_string(status)).append(" ");
  const auto reason = bhttp::obsolete_reason(bhttp::int_to_status(status));
  out.append(reason.data(), reason.size());
  out.append("\r\nServer: mccig\r\nContent-Type: ");
  out.append(reply.content_type.empty() ? "application/json" : reply.content_type);
  if (status != 204) out.append("\r\nContent-Length: ").append(std::to_string(body.size()));
  for (const auto& [name, value] : reply.headers) {
    out.append("\r\n").append(name).append(": ").append(value);
  }
  // HTTP/1.1 stays open unless told; HTTP/1.0 closes unless told.
  if (http11 && !keep_alive) out.append("\r\nConnection: close");
  if (!http11 && keep_alive) out.append("\r\nConnection: keep-alive");
  out.append("\r\n\r\n").append(body);
}

void Fill(Request& request, const bhttp::request_parser<bhttp::string_body>& parser) {
  const auto& header = parser.get();
  request.method = std::string(header.method_string());
  request.uri = std::string(header.target());
  request.http11 = header.version() >= 11;
  request.headers.clear();
  for (const auto& field : header) {
    request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  request.body.clear();
}

// One io_context per loop thread, each run by that thread alone
// (concurrency hint 1).
std::vector<std::unique_ptr<asio::io_context>> MakeLoops(int threads) {
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::unique_ptr<asio::io_context>> loops;
  for (int i = 0; i < threads; ++i) loops.push_back(std::make_unique<asio::io_context>(1));
  return loops;
}

}  // namespace

ServerState::ServerState(ServerContext& context, const ServerOptions& options)
    : context(context),
      options(options),
      loops(MakeLoops(options.io_threads)),
      acceptor(*loops.front()),
      accept_retry(acceptor.get_executor()),
      batcher(AdmissionOf(context), options.admission_batch),
      handlers(static_cast<std::size_t>(std::max(1, options.threads))) {
  for (auto& loop : loops) work.push_back(asio::make_work_guard(*loop));
}

Connection::Connection(ServerState& state, asio::ip::tcp::socket socket, bool over_limit)
    : state_(state),
      stream_(std::move(socket)),
      body_deadline_(stream_.get_executor()),
      over_limit_(over_limit) {
  state_.connections.fetch_add(1);
}

Connection::~Connection() {
  if (counted_) state_.in_flight.fetch_sub(1);
  state_.connections.fetch_sub(1);
}

void Connection::Start() {
  asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
}

void Connection::Shutdown() {
  closing_ = true;
  if (!busy_ && !closed_) stream_.cancel();  // the pending header read ends; see OnHeader
}

void Connection::ReadHeader() {
  busy_ = false;
  if (closing_ || closed_) return Close();
  parser_.emplace();
  parser_->header_limit(kHeaderLimitBytes);
  stream_.expires_after(std::chrono::milliseconds(state_.options.keep_alive_timeout_ms));
  bhttp::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnHeader(ec); });
}

void Connection::OnHeader(beast::error_code ec) {
  if (ec && Gone(ec)) return;  // idle, closed or timed out: the socket goes with us
  busy_ = true;
  started_ = std::chrono::steady_clock::now();
  if (ec) {
    request_ = Request{};
    route_ = Route{};
    request_id_ = RequestId(request_);
    return Answer(BadRequest("the request header is malformed or larger than " +
                             std::to_string(kHeaderLimitBytes) + " bytes: " + ec.message()));
  }
  Fill(request_, *parser_);
  route_ = RouteOf(request_.uri);
  request_id_ = RequestId(request_);
  keep_alive_ = parser_->get().keep_alive();
  if (request_.headers.size() > kMaxHeaderFields) {
    return Answer(
        BadRequest("the request has more than " + std::to_string(kMaxHeaderFields) + " headers"));
  }
  body_limit_ = BodyLimit(state_.context, route_);
  if (parser_->content_length() && *parser_->content_length() > body_limit_) {
    return Answer(TooLarge(body_limit_));
  }
  parser_->body_limit(body_limit_);
  if (parser_->is_done()) return Serve();
  const std::string* expect = request_.Find("Expect");
  if (expect != nullptr && ::strcasecmp(expect->c_str(), "100-continue") == 0) {
    asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec) return self->Close();
                        self->ReadBody();
                      });
    return;
  }
  ReadBody();
}

void Connection::ReadBody() {
  // The deadline covers the whole body, however it trickles in; it cancels
  // the read rather than closing the socket, so the 408 can still be sent.
  stream_.expires_never();
  body_timed_out_ = false;
  body_deadline_.expires_after(std::chrono::milliseconds(state_.options.read_timeout_ms));
  body_deadline_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec) return;  // cancelled: the body arrived
    self->body_timed_out_ = true;
    self->stream_.socket().cancel();
  });
  bhttp::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnBody(ec); });
}

void Connection::OnBody(beast::error_code ec) {
  body_deadline_.cancel();
  if (ec && body_timed_out_) return Answer(Incomplete(state_.options.read_timeout_ms));
  if (ec == bhttp::error::body_limit) return Answer(TooLarge(body_limit_));
  if (ec == bhttp::error::partial_message)
    return Answer(Incomplete(state_.options.read_timeout_ms));
  if (ec && Gone(ec)) return Close();
  if (ec) return Answer(BadRequest("the request body is malformed: " + ec.message()));
  request_.body = std::move(parser_->get().body());
  Serve();
}

void Connection::Serve() {
  const log::RequestScope scope(request_id_);
  if (route_.path == kStreamPath && UpgradeToStream()) return;
  if (over_limit_) {
    return Answer(Overloaded("the gateway holds its maximum of " +
                             std::to_string(state_.options.max_connections) +
                             " connections (server.max_connections)"));
  }
  if (state_.in_flight.fetch_add(1) >= state_.options.max_queued) {
    state_.in_flight.fetch_sub(1);
    return Answer(Overloaded("the gateway has " + std::to_string(state_.options.max_queued) +
                             " requests waiting (server.max_queued)"));
  }
  counted_ = true;
  if (std::optional<Reply> early = Screen(state_.context, request_)) return Answer(*early);
  auto self = shared_from_this();
  if (!route_.ingest.empty()) {
    IngestTarget target = FindIngestTarget(state_.context, route_.ingest);
    if (target.plugin != nullptr && !target.batch) {
      try {
        std::string channel = target.channel;
        IngestAsync(state_.context, state_.batcher, executor(), std::move(target), request_,
                    [self, channel = std::move(channel)](Reply reply) {
                      self->Answer(std::move(reply), channel);
                    });
      } catch (const std::exception& e) {
        spdlog::error("{} {} failed: {}", request_.method, route_.path, e.what());
        Answer(ErrorReply(500, "internal_error", "unexpected error; this is a bug"));
      }
      return;
    }
  }
  asio::post(state_.handlers, [self] {
    const log::RequestScope scope(self->request_id_);
    std::string channel;
    Reply reply = Dispatch(self->state_.context, self->route_, self->request_, channel);
    asio::post(self->executor(), [self, reply = std::move(reply), channel]() mutable {
      self->Answer(std::move(reply), std::move(channel));
    });
  });
}

bool Connection::UpgradeToStream() {
  const auto leftover = buffer_.data();
  const std::string_view rest(static_cast<const char*>(leftover.data()), leftover.size());
  std::optional<Reply> refused =
      HandleStreamUpgrade(state_.context, request_, stream_.socket().native_handle(), rest);
  if (refused) {
    Answer(std::move(*refused));
    return true;
  }
  if (state_.context.metrics != nullptr) state_.context.metrics->ObserveRequest("stream", "", 101);
  // Our descriptor only: the stream server holds a duplicate and answers.
  closed_ = true;
  beast::error_code ignored;
  stream_.socket().close(ignored);
  return true;
}

void Connection::Answer(Reply reply, std::string channel) {
  const log::RequestScope scope(request_id_);
  if (counted_) {
    state_.in_flight.fetch_sub(1);
    counted_ = false;
  }
  Complete(state_.context, route_, request_, request_id_, std::move(channel), reply);
  const bool keep_alive = keep_alive_ && !reply.close && !closing_;
  Serialize(reply, request_.http11, keep_alive, response_);
  spdlog::debug(
      "{} {} {} {:.2f} ms", request_.method, route_.path, reply.status,
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_)
          .count());
  stream_.expires_after(std::chrono::milliseconds(state_.options.read_timeout_ms));
  asio::async_write(stream_, asio::buffer(response_),
                    [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                      self->OnWritten(ec, keep_alive);
                    });
}

void Connection::OnWritten(beast::error_code ec, bool keep_alive) {
  if (ec) return;  // the client is gone; the socket goes with us
  if (!keep_alive) return Close();
  ReadHeader();
}

void Connection::Close() {
  if (closed_) return;
  closed_ = true;
  beast::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  buffer_.consume(buffer_.size());
  stream_.expires_after(kDrainTime);
  Drain();
}

// Reads and drops what the client still sends (a body left unread) until it
// closes or kDrainTime passes: closing with unread bytes would reset the
// connection and could destroy the answer before the client reads it.
void Connection::Drain() {
  stream_.async_read_some(buffer_.prepare(4096),
                          [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                            if (ec) return;  // closed (or timed out): done
                            self->buffer_.commit(n);
                            self->buffer_.consume(n);
                            self->Drain();
                          });
}

}  // namespace mccig::http
