// router.h — what a request gets, apart from the connection it came on:
// the route read from its URI, the checks every request passes first, the
// blocking handlers, and the finishing touches every reply gets (CORS,
// X-Request-Id, the requests metric).
//
// The server (http_server.h) decides on which thread each part runs:
// single-event ingest never blocks and stays on the connection's thread
// (ingest_handler.h); Dispatch may wait on Redis or PostgreSQL and runs on
// the handler threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/reply.h"
#include "http/request.h"
#include "http/server_context.h"

namespace mccig::http {

// Where a request goes, read once from its URI; views into that URI.
struct Route {
  std::string_view path{};    // without the query
  std::string_view ingest{};  // the plugin route after /v1/ingest/ or /ingest/; empty otherwise
};
Route RouteOf(std::string_view uri);

// The caller's X-Request-Id when it is a sane token (1-128 of
// [A-Za-z0-9._:-]), else a new one (a UUIDv7: sortable by time).
std::string RequestId(const Request& request);

// The refusals due before any handler: an HTTP/1.1 request without Host,
// and the answer to a CORS preflight.
std::optional<Reply> Screen(const ServerContext& context, const Request& request);

// Every route but single-event ingest and the stream upgrade; may block.
// `channel` is set to the channel served when an ingest plugin answered.
// Never throws: a handler's exception is logged and becomes a 500.
Reply Dispatch(ServerContext& context, const Route& route, const Request& request,
               std::string& channel);

// Adds the CORS headers and X-Request-Id to `reply` and counts it in the
// requests metric. `channel`: what the ingest handler served, if it ran.
void Complete(ServerContext& context, const Route& route, const Request& request,
              const std::string& request_id, std::string channel, Reply& reply);

// 503 overloaded with Retry-After: 1, closing the connection.
Reply Overloaded(const std::string& why);

}  // namespace mccig::http
