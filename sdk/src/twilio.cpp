// twilio.cpp — see twilio.h. The form body is re-parsed here rather than
// taken from the decoded payload: the signature covers the strings exactly
// as sent, before any type coercion, including repeated names.
#include "mccig/sdk/twilio.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "mccig/sdk/sha256.h"

namespace mccig::sdk {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// application/x-www-form-urlencoded decoding of one name or value.
std::string FormDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
               HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> FormParams(std::string_view body) {
  std::vector<std::pair<std::string, std::string>> params;
  while (!body.empty()) {
    const auto amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    params.emplace_back(FormDecode(pair.substr(0, eq)),
                        eq == std::string_view::npos ? "" : FormDecode(pair.substr(eq + 1)));
  }
  // By name; values of a repeated name keep their order (stable sort).
  std::stable_sort(params.begin(), params.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return params;
}

// The value of query parameter `name` in `url`, decoded; empty when absent.
std::string QueryParam(std::string_view url, std::string_view name) {
  const auto q = url.find('?');
  if (q == std::string_view::npos) return {};
  for (const auto& [k, v] : FormParams(url.substr(q + 1))) {
    if (k == name) return v;
  }
  return {};
}

Error Unauthorized(std::string message) {
  return Error{"unauthorized", std::move(message), {}};
}

}  // namespace

std::string TwilioSigningString(std::string_view public_url, std::string_view form_body) {
  std::string s(public_url);
  for (const auto& [name, value] : FormParams(form_body)) s += name + value;
  return s;
}

Status VerifyTwilioSignature(const RequestView& request) {
  const std::string_view signature = request.Header(kTwilioSignatureHeader);
  if (signature.empty()) return Unauthorized("missing X-Twilio-Signature header");
  if (request.crypto == nullptr || request.secret.empty()) {
    return Unauthorized("no signing secret configured for this tenant");
  }
  std::string signed_text;
  if (request.content_type.starts_with("application/x-www-form-urlencoded")) {
    signed_text = TwilioSigningString(request.public_url, request.body);
  } else {
    const std::string declared = QueryParam(request.public_url, "bodySHA256");
    if (declared.empty()) return Unauthorized("a signed JSON body needs the bodySHA256 parameter");
    if (!request.crypto->equal(declared, Sha256Hex(request.body))) {
      return Unauthorized("bodySHA256 does not match the body");
    }
    signed_text = std::string(request.public_url);
  }
  const std::string expected =
      request.crypto->base64(request.crypto->hmac("sha1", request.secret, signed_text));
  if (!request.crypto->equal(expected, signature)) {
    return Unauthorized("X-Twilio-Signature does not match the request");
  }
  return OkStatus();
}

}  // namespace mccig::sdk
