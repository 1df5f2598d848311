// stream_upgrade.h — GET /v1/stream: the WebSocket upgrade, checked here
// and handed to the stream server (stream/stream_server.h).
//
// Before any upgrade: 404 when stream ingest is off, 426 when the request
// is not a WebSocket upgrade, 401 for a missing (when keys are required) or
// unknown API key — the same credentials as the ingest API, in the same
// headers — and 503 when the gateway holds stream.max_connections. Then
// the socket is duplicated for the stream server, which answers the
// handshake itself, and this request thread is free again: a connection
// never holds a request thread.
#pragma once

#include <optional>

#include "http/reply.h"
#include "http/server_context.h"

namespace Poco::Net {
class HTTPServerRequest;
class HTTPServerResponse;
}  // namespace Poco::Net

namespace mccig::http {

inline constexpr std::string_view kStreamPath = "/v1/stream";

// The refusal to send, or nullopt when the connection was handed over (the
// caller then sends nothing).
std::optional<Reply> HandleStreamUpgrade(ServerContext& context,
                                         Poco::Net::HTTPServerRequest& request,
                                         Poco::Net::HTTPServerResponse& response);

}  // namespace mccig::http
