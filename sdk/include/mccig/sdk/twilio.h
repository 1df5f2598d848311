// twilio.h — the X-Twilio-Signature scheme, for plugins whose provider signs
// its webhooks the way Twilio does.
//
// The signature is base64(HMAC-SHA1(auth token, S)) where S is the full
// public URL the provider called (scheme, host, path and query) followed,
// for form-encoded bodies, by every POST parameter sorted by name, each as
// name then value with nothing between. For JSON bodies the provider adds a
// bodySHA256 query parameter (hex SHA-256 of the body) and signs the URL
// alone. A plugin opts in with:
//   mccig::sdk::Status Verify(const mccig::sdk::RequestView& r) const {
//     return mccig::sdk::VerifyTwilioSignature(r);
//   }
#pragma once

#include <string>
#include <string_view>

#include "mccig/sdk/plugin.h"

namespace mccig::sdk {

inline constexpr std::string_view kTwilioSignatureHeader = "X-Twilio-Signature";

// S above, for a form-encoded body (empty body: the URL alone).
std::string TwilioSigningString(std::string_view public_url, std::string_view form_body);

// OK when the request carries a valid signature under request.secret;
// otherwise an Error with code "unauthorized" saying what was wrong.
Status VerifyTwilioSignature(const RequestView& request);

}  // namespace mccig::sdk
