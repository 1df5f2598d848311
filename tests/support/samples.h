// samples.h — the payloads and tenants tests share: an SMS body numbered
// by its provider id, a payload laid out as a provider might lay it out,
// and two tenants with API keys, one of which (globex) verifies sms by
// provider signature.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "auth/crypto.h"
#include "config/config.h"

namespace mccig::testing {

inline nlohmann::json SmsPayload(const std::string& sid, const std::string& tenant = "acme") {
  return {{"tenant_id", tenant},
          {"From", "+15551230001"},
          {"To", "+15559870002"},
          {"Body", "Hello " + sid},
          {"MessageSid", sid}};
}

// `payload` as a body laid out over CRLF lines, after a UTF-8 byte-order
// mark: valid JSON whose text differs from its compact form.
inline std::string LaidOutBody(const nlohmann::json& payload) {
  std::string text = payload.dump(2);
  for (std::size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n', at + 2)) {
    text.replace(at, 1, "\r\n");
  }
  return "\xEF\xBB\xBF" + text + "\r\n";
}

// acme (key "acme-key") and globex (key "globex-key", sms signed with
// "globex-twilio-token").
inline config::Config KeyedTenants() {
  config::Config c;
  c.tenants = {{.id = "acme", .api_key_sha256 = {auth::Sha256Hex("acme-key")}},
               {.id = "globex",
                .api_key_sha256 = {auth::Sha256Hex("globex-key")},
                .signing_secrets = {{"sms", "globex-twilio-token"}}}};
  return c;
}

}  // namespace mccig::testing
