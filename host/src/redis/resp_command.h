// resp_command.h — commands written in Redis's wire format (RESP) by us,
// for hiredis to send as they are (redisAppendFormattedCommand).
//
// hiredis's own formatting (redisCommandArgv) prints each argument's length
// with its printf-like sdscatfmt and grows an sds string piece by piece,
// then copies the result into its output buffer: for an admission call it
// cost more instructions than anything else the request did outside the
// kernel. Here a command is one pass of memcpy into a buffer that the
// calling thread keeps, so no allocation either once it has grown.
// Binary safe: arguments may hold any bytes, "\r\n" and NUL included.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace mccig::redis {

// Appends `args` as one RESP command: *<n>\r\n then $<len>\r\n<arg>\r\n each.
void AppendRespCommand(std::string& out, std::span<const std::string_view> args);

}  // namespace mccig::redis
