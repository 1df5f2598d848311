// body_reader.h — reading a request body within a size limit and the read
// deadline.
//
// A body over the limit is refused with 413 before a byte is read when
// Content-Length says so, else as soon as the limit is passed; a body cut
// short or too slow gets 408. Both close the connection, since the rest of
// the body is left unread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "http/reply.h"
#include "http/server_context.h"

namespace Poco::Net {
class HTTPServerRequest;
}

namespace mccig::http {

// Fills `body`; the error reply when the body cannot be had in full.
std::optional<Reply> ReadRequestBody(ServerContext& context, Poco::Net::HTTPServerRequest& request,
                                     std::size_t limit, std::string& body);

// 413 naming the limit.
Reply TooLarge(std::size_t limit_bytes);

}  // namespace mccig::http
