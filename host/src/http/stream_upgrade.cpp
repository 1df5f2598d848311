// stream_upgrade.cpp — see stream_upgrade.h.
#include "http/stream_upgrade.h"

#include <unistd.h>

#include <Poco/Buffer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/String.h>

#include "http/credentials.h"
#include "stream/stream_server.h"

namespace mccig::http {
namespace {

bool IsUpgrade(const Poco::Net::HTTPServerRequest& request) {
  return request.getMethod() == "GET" &&
         Poco::icompare(request.get("Upgrade", ""), "websocket") == 0;
}

// The request as it came, for the WebSocket layer to answer, followed by
// whatever the HTTP server read beyond it.
std::string RawRequest(Poco::Net::HTTPServerRequestImpl& request) {
  std::string raw = request.getMethod() + " " + request.getURI() + " HTTP/1.1\r\n";
  for (const auto& [name, value] : request) raw += name + ": " + value + "\r\n";
  raw += "\r\n";
  Poco::Buffer<char> rest(0);
  request.session().drainBuffer(rest);
  raw.append(rest.begin(), rest.size());
  return raw;
}

}  // namespace

std::optional<Reply> HandleStreamUpgrade(ServerContext& context,
                                         Poco::Net::HTTPServerRequest& request,
                                         Poco::Net::HTTPServerResponse& response) {
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
  auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request);
  const int fd = impl ? ::dup(impl->socket().impl()->sockfd()) : -1;
  if (fd < 0) return ErrorReply(503, "unavailable", "cannot take over the connection");
  // Poco closes its own descriptor when this request ends; the duplicate
  // keeps the connection open for the stream server.
  response.setKeepAlive(false);
  context.stream->Adopt(fd, RawRequest(*impl), std::move(key_tenant),
                        TenantFromQuery(request.getURI()));
  return std::nullopt;
}

}  // namespace mccig::http
