// stream_upgrade.cpp — see stream_upgrade.h.
#include "http/stream_upgrade.h"

#include <strings.h>
#include <unistd.h>

#include "http/credentials.h"
#include "stream/stream_server.h"

namespace mccig::http {
namespace {

bool IsUpgrade(const Request& request) {
  return request.method == "GET" && ::strcasecmp(request.Get("Upgrade").c_str(), "websocket") == 0;
}

// The request as it came, for the WebSocket layer to answer, followed by
// whatever the HTTP server read beyond it.
std::string RawRequest(const Request& request, std::string_view rest) {
  std::string raw = request.method + " " + request.uri + " HTTP/1.1\r\n";
  for (const auto& [name, value] : request.headers) raw += name + ": " + value + "\r\n";
  raw += "\r\n";
  raw += rest;
  return raw;
}

}  // namespace

std::optional<Reply> HandleStreamUpgrade(ServerContext& context, const Request& request, int fd,
                                         std::string_view rest) {
  if (context.stream == nullptr) {
    return ErrorReply(404, "not_found", "stream ingest is off (stream.enabled)");
  }
  if (!IsUpgrade(request)) {
    Reply reply = ErrorReply(426, "upgrade_required",
                             "/v1/stream is a WebSocket endpoint: send a GET with "
                             "Upgrade: websocket");
    reply.headers = {{"Upgrade", "websocket"}};
    return reply;
  }
  std::string key_tenant;
  if (context.auth != nullptr) {
    sdk::Result<std::string> tenant = KeyTenant(*context.auth, request);
    if (!tenant) return Unauthorized(tenant.error().message);
    key_tenant = std::move(tenant.value());
    if (key_tenant.empty() && context.auth->required()) {
      return Unauthorized(
          "an API key is required: send Authorization: Bearer <key> or X-API-Key with the upgrade");
    }
  }
  if (context.stream->Full()) {
    Reply reply = ErrorReply(503, "overloaded",
                             "the gateway holds its maximum of " +
                                 std::to_string(context.stream->options().max_connections) +
                                 " stream connections (stream.max_connections)");
    reply.headers = {{"Retry-After", "1"}};
    return reply;
  }
  const int duplicate = ::dup(fd);
  if (duplicate < 0) return ErrorReply(503, "unavailable", "cannot take over the connection");
  context.stream->Adopt(duplicate, RawRequest(request, rest), std::move(key_tenant),
                        TenantFromQuery(request.uri));
  return std::nullopt;
}

}  // namespace mccig::http
