// body_reader.cpp — see body_reader.h.
#include "http/body_reader.h"

#include <istream>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>

#include "http/read_watchdog.h"

namespace mccig::http {
namespace {

enum class BodyRead { kComplete, kTooLarge, kIncomplete };

// Reads at most `limit` bytes, under the watchdog's deadline when there is
// one. kIncomplete: the stream ended (or was cut) before Content-Length.
BodyRead ReadBody(ServerContext& context, Poco::Net::HTTPServerRequest& request, std::size_t limit,
                  std::string& body) {
  std::optional<ReadWatchdog::Guard> guard;
  if (context.read_watchdog != nullptr) {
    auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request);
    if (impl != nullptr) guard.emplace(context.read_watchdog->Watch(impl->socket()));
  }
  std::istream& in = request.stream();
  if (request.hasContentLength())
    body.reserve(static_cast<std::size_t>(request.getContentLength64()));
  char buffer[16384];
  while (in) {
    in.read(buffer, sizeof buffer);
    body.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (body.size() > limit) return BodyRead::kTooLarge;
  }
  if (in.bad() || (request.hasContentLength() &&
                   static_cast<int64_t>(body.size()) < request.getContentLength64())) {
    return BodyRead::kIncomplete;
  }
  return BodyRead::kComplete;
}

Reply Incomplete(const ServerContext& context) {
  const auto ms = context.read_watchdog ? context.read_watchdog->limit().count() : 0;
  Reply reply = ErrorReply(408, "request_timeout",
                           "the body did not arrive in full" +
                               (ms > 0 ? " within " + std::to_string(ms) + " ms" : std::string()));
  reply.close = true;
  return reply;
}

}  // namespace

Reply TooLarge(std::size_t limit) {
  Reply reply =
      ErrorReply(413, "payload_too_large",
                 "the body is larger than the limit of " + std::to_string(limit) + " bytes");
  reply.body["limit_bytes"] = limit;
  reply.close = true;
  return reply;
}

std::optional<Reply> ReadRequestBody(ServerContext& context, Poco::Net::HTTPServerRequest& request,
                                     std::size_t limit, std::string& body) {
  if (request.hasContentLength() && request.getContentLength64() > static_cast<int64_t>(limit)) {
    return TooLarge(limit);
  }
  switch (ReadBody(context, request, limit, body)) {
    case BodyRead::kTooLarge:
      return TooLarge(limit);
    case BodyRead::kIncomplete:
      return Incomplete(context);
    case BodyRead::kComplete:
      break;
  }
  return std::nullopt;
}

}  // namespace mccig::http
