// utf8.h — whether bytes are well-formed UTF-8: what the gateway demands of
// every body it decodes and of every string it writes as JSON. Pure.
#pragma once

#include <string_view>

namespace mccig::utf8 {

// Refuses overlong forms, surrogates, values past U+10FFFF and truncated
// sequences.
bool IsValid(std::string_view text) noexcept;

}  // namespace mccig::utf8
