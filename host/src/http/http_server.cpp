// http_server.cpp — Poco wiring and the route dispatch.
#include "http/http_server.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>
#include <spdlog/spdlog.h>

#include "http/console_handler.h"
#include "http/ingest_handler.h"
#include "http/internal_handler.h"
#include "http/ops_handler.h"
#include "http/read_watchdog.h"
#include "http/reply.h"
#include "http/stream_upgrade.h"
#include "ingest/event_id.h"
#include "ingest/ingest_pipeline.h"
#include "log/logging.h"

namespace mccig::http {

// Load shedding: when more connections wait for a thread than the server
// can serve soon, answer them 503 at once (no body read, no admission) so
// the queue drains in microseconds instead of every client timing out.
struct Shedding {
  const Poco::Net::TCPServer* server = nullptr;  // set once the server exists
  int queue_depth = 0;                           // shed above this many waiting
};

namespace {

// The route after `prefix`, or empty when `path` does not start with it.
std::string_view After(std::string_view path, std::string_view prefix) {
  if (!path.starts_with(prefix) || path.size() == prefix.size()) return {};
  return path.substr(prefix.size());
}

// Where a request goes, read once from its URI.
struct Route {
  std::string_view path{};    // without the query
  std::string_view ingest{};  // the plugin route after /v1/ingest/ or /ingest/; empty otherwise
};

Route RouteOf(const std::string& uri) {
  Route r{.path = std::string_view(uri).substr(0, uri.find('?'))};
  r.ingest = After(r.path, kIngestPrefix);
  if (r.ingest.empty()) r.ingest = After(r.path, "/ingest/");
  return r;
}

// `channel` is set to the channel served when an ingest plugin answered.
Reply Dispatch(ServerContext& context, const Route& route, Poco::Net::HTTPServerRequest& request,
               std::string& channel) {
  if (!route.ingest.empty()) return HandleIngest(context, route.ingest, request, channel);
  if (route.path.starts_with(kInternalPrefix)) return HandleInternal(context, route.path, request);
  if (request.getMethod() == "GET") {
    if (std::optional<Reply> ops = HandleOps(context, route.path)) return std::move(*ops);
    if (std::optional<Reply> console =
            HandleConsole(context, route.path, request.get("If-None-Match", ""))) {
      return std::move(*console);
    }
  }
  return ErrorReply(404, "not_found", "no such endpoint: " + std::string(route.path));
}

// The route and channel labels of a request, for the requests metric.
// Bounded: unknown paths are "other", unknown ingest routes "unknown".
// `channel` is what the ingest handler served, when it ran; a request shed
// before dispatch is looked up here.
std::pair<std::string, std::string> MetricLabels(const ServerContext& context, const Route& route,
                                                 std::string channel) {
  if (!route.ingest.empty()) {
    if (channel.empty()) {
      const auto registry = context.registry.load();
      const plugins::LoadedPlugin* p = registry ? registry->Find(route.ingest) : nullptr;
      channel = p ? std::string(sdk::ChannelName(p->plugin->Info().channel)) : "unknown";
    }
    return {route.ingest.ends_with(kBatchSuffix) ? "ingest_batch" : "ingest", std::move(channel)};
  }
  if (route.path.starts_with(kInternalPrefix)) return {"internal", ""};
  if (route.path.starts_with(kConsolePath)) return {"console", ""};
  if (route.path == kStreamPath) return {"stream", ""};
  if (route.path == "/openapi.json") return {"openapi", ""};
  for (const char* ops : {"/healthz", "/readyz", "/health", "/metrics"}) {
    if (route.path == ops) return {ops + 1, ""};
  }
  return {"other", ""};
}

// The caller's X-Request-Id when it is a sane token (1-128 of
// [A-Za-z0-9._:-]), else a new one (a UUIDv7: sortable by time).
std::string RequestId(const Poco::Net::HTTPServerRequest& request) {
  const std::string& given = request.get("X-Request-Id", "");
  const bool sane = !given.empty() && given.size() <= 128 &&
                    std::all_of(given.begin(), given.end(), [](unsigned char c) {
                      return std::isalnum(c) || c == '.' || c == '_' || c == ':' || c == '-';
                    });
  return sane ? given : ingest::NewEventId(ingest::NowMs());
}

Reply Overloaded() {
  Reply reply = ErrorReply(503, "overloaded", "the gateway is overloaded; retry shortly");
  reply.headers = {{"Retry-After", "1"}};
  reply.close = true;
  return reply;
}

class Handler final : public Poco::Net::HTTPRequestHandler {
 public:
  Handler(ServerContext& context, const Shedding& shedding)
      : context_(context), shedding_(shedding) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    const auto started = std::chrono::steady_clock::now();
    const log::RequestScope scope(RequestId(request));
    const Route route = RouteOf(request.getURI());
    std::string channel;
    std::optional<Reply> refused;
    if (route.path == kStreamPath) {
      refused = HandleStreamUpgrade(context_, request, response);
      if (!refused) {  // handed over: the stream server answers the handshake
        if (context_.metrics != nullptr) context_.metrics->ObserveRequest("stream", "", 101);
        return;
      }
    }
    Reply reply = refused ? std::move(*refused) : Answer(request, route, channel);
    reply.headers.emplace_back("X-Request-Id", log::CurrentRequestId());
    if (context_.metrics != nullptr) {
      const auto [route_label, channel_label] = MetricLabels(context_, route, std::move(channel));
      context_.metrics->ObserveRequest(route_label, channel_label, reply.status);
    }
    if (!response.sent()) Send(response, reply);
    // The path without its query: nothing a caller sends beyond it is logged.
    spdlog::debug(
        "{} {} {} {:.2f} ms", request.getMethod(), route.path, reply.status,
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count());
  }

 private:
  Reply Answer(Poco::Net::HTTPServerRequest& request, const Route& route, std::string& channel) {
    if (shedding_.server != nullptr &&
        shedding_.server->queuedConnections() > shedding_.queue_depth) {
      return Overloaded();
    }
    if (request.getVersion() == Poco::Net::HTTPMessage::HTTP_1_1 && !request.has("Host")) {
      return ErrorReply(400, "missing_host", "an HTTP/1.1 request must carry a Host header");
    }
    const std::string origin = request.get("Origin", "");
    try {
      if (request.getMethod() == "OPTIONS" && context_.cors.enabled() &&
          request.has("Access-Control-Request-Method")) {
        return context_.cors.Preflight(origin);
      }
      Reply reply = Dispatch(context_, route, request, channel);
      for (auto& h : context_.cors.Headers(origin)) reply.headers.push_back(std::move(h));
      return reply;
    } catch (const std::exception& e) {
      spdlog::error("{} {} failed: {}", request.getMethod(), request.getURI(), e.what());
      return ErrorReply(500, "internal_error", "unexpected error; this is a bug");
    }
  }

 private:
  ServerContext& context_;
  const Shedding& shedding_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Factory(ServerContext& context, const Shedding& shedding)
      : context_(context), shedding_(shedding) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(context_, shedding_);
  }

 private:
  ServerContext& context_;
  const Shedding& shedding_;
};

}  // namespace

HttpServer::HttpServer(const ServerOptions& options, ServerContext& context)
    : watchdog_(
          std::make_unique<ReadWatchdog>(std::chrono::milliseconds(options.read_timeout_ms))) {
  context.read_watchdog = watchdog_.get();
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress(options.host, options.port),
                                 /*backlog=*/1024);
  port_ = socket.address().port();
  auto params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(options.threads);
  params->setMaxQueued(options.max_queued);
  params->setKeepAlive(true);
  params->setMaxKeepAliveRequests(0);  // unlimited on one connection
  params->setTimeout(Poco::Timespan(options.read_timeout_ms * 1000));
  params->setKeepAliveTimeout(Poco::Timespan(15, 0));
  params->setServerName("mccig");
  // Poco's dispatcher threads can miss the stop wake-up and sleep out their
  // idle time before Stop() returns; keep it short so a drain never stalls.
  params->setThreadIdleTime(Poco::Timespan(1, 0));
  pool_ = std::make_unique<Poco::ThreadPool>(2, options.threads);
  shedding_ = std::make_unique<Shedding>();
  shedding_->queue_depth =
      options.shed_queue_depth > 0 ? options.shed_queue_depth : std::max(1, options.max_queued / 2);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(context, *shedding_), *pool_,
                                                    socket, params);
  shedding_->server = server_.get();
}

HttpServer::~HttpServer() {
  Stop();
}

void HttpServer::Start() {
  server_->start();
}

void HttpServer::Stop() {
  if (server_) server_->stopAll(/*abortCurrent=*/false);
  if (pool_) pool_->joinAll();
}

}  // namespace mccig::http
