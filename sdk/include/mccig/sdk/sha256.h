// sha256.h — SHA-256 (FIPS 180-4), for stable derived message ids.
//
// The SDK depends on nothing but header-only JSON, so it carries its own small
// digest; it is used to derive provider_message_id when a provider sends none
// (see MessageIdRule). Not for secrets: hosts use their crypto library there.
#pragma once

#include <string>
#include <string_view>

namespace mccig::sdk {

// Lower-case hex digest of `data` (64 characters).
std::string Sha256Hex(std::string_view data);

}  // namespace mccig::sdk
