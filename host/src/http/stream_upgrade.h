// stream_upgrade.h — GET /v1/stream: the WebSocket upgrade, checked here
// and handed to the stream server (stream/stream_server.h).
//
// Before any upgrade: 404 when stream ingest is off, 426 when the request
// is not a WebSocket upgrade, 401 for a missing (when keys are required) or
// unknown API key — the same credentials as the ingest API, in the same
// headers — and 503 when the gateway holds stream.max_connections. Then
// the socket is duplicated for the stream server, which answers the
// handshake itself on its own event loop.
#pragma once

#include <optional>

#include "http/reply.h"
#include "http/request.h"
#include "http/server_context.h"

namespace mccig::http {

inline constexpr std::string_view kStreamPath = "/v1/stream";

// The refusal to send, or nullopt when the connection was handed over: the
// stream server then owns a duplicate of `fd` and the caller closes its own
// descriptor without a word (and without shutdown(), which would end the
// duplicate's connection too). `rest`: bytes read after the request.
std::optional<Reply> HandleStreamUpgrade(ServerContext& context, const Request& request, int fd,
                                         std::string_view rest);

}  // namespace mccig::http
