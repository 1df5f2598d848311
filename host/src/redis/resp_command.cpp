// resp_command.cpp — see resp_command.h.
#include "redis/resp_command.h"

#include <charconv>
#include <cstring>

namespace mccig::redis {
namespace {

// "<prefix><n>\r\n" at `p`; returns the end.
char* PutHeader(char* p, char prefix, std::size_t n) {
  *p++ = prefix;
  p = std::to_chars(p, p + 20, n).ptr;
  *p++ = '\r';
  *p++ = '\n';
  return p;
}

constexpr std::size_t kHeaderMax = 1 + 20 + 2;  // prefix, a 64-bit count, CRLF

}  // namespace

void AppendRespCommand(std::string& out, std::span<const std::string_view> args) {
  std::size_t most = kHeaderMax;
  for (std::string_view a : args) most += kHeaderMax + a.size() + 2;
  const std::size_t start = out.size();
  out.resize(start + most);
  char* p = out.data() + start;
  p = PutHeader(p, '*', args.size());
  for (std::string_view a : args) {
    p = PutHeader(p, '$', a.size());
    if (!a.empty()) std::memcpy(p, a.data(), a.size());
    p += a.size();
    *p++ = '\r';
    *p++ = '\n';
  }
  out.resize(static_cast<std::size_t>(p - out.data()));
}

}  // namespace mccig::redis
