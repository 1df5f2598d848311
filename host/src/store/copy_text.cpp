// copy_text.cpp — see copy_text.h.
#include "store/copy_text.h"

#include <array>

namespace mccig::store::copy_text {
namespace {

// The escape letter of each byte that needs one, else 0.
constexpr std::array<char, 256> kEscapes = [] {
  std::array<char, 256> escapes{};
  escapes['\\'] = '\\';
  escapes['\t'] = 't';
  escapes['\n'] = 'n';
  escapes['\r'] = 'r';
  return escapes;
}();

}  // namespace

void AppendField(std::string& out, std::string_view value) {
  const char* run = value.data();  // the start of the bytes not yet written
  const char* const end = value.data() + value.size();
  for (const char* p = run; p != end; ++p) {
    const char escape = kEscapes[static_cast<unsigned char>(*p)];
    if (escape == 0) continue;
    out.append(run, p);
    out += '\\';
    out += escape;
    run = p + 1;
  }
  out.append(run, end);
}

}  // namespace mccig::store::copy_text
