// cors.cpp — see cors.h.
#include "http/cors.h"

#include <algorithm>

namespace mccig::http {
namespace {

constexpr const char* kAllowedMethods = "GET, POST, OPTIONS";
constexpr const char* kAllowedHeaders =
    "Authorization, Content-Type, X-API-Key, X-Request-Id, X-Simulate-Failure, X-Twilio-Signature";
constexpr const char* kMaxAgeSeconds = "600";

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

CorsPolicy::CorsPolicy(bool enabled, std::string_view origin_setting) : enabled_(enabled) {
  while (!origin_setting.empty()) {
    const auto comma = origin_setting.find(',');
    const std::string_view one = Trim(origin_setting.substr(0, comma));
    origin_setting =
        comma == std::string_view::npos ? std::string_view{} : origin_setting.substr(comma + 1);
    if (one == "*") {
      any_ = true;
    } else if (!one.empty()) {
      origins_.emplace_back(one);
    }
  }
}

bool CorsPolicy::Allows(std::string_view origin) const {
  if (!enabled_ || origin.empty()) return false;
  return any_ || std::find(origins_.begin(), origins_.end(), origin) != origins_.end();
}

std::vector<std::pair<std::string, std::string>> CorsPolicy::Headers(
    std::string_view origin) const {
  if (!Allows(origin)) return {};
  const bool listed = std::find(origins_.begin(), origins_.end(), origin) != origins_.end();
  if (!listed) return {{"Access-Control-Allow-Origin", "*"}};
  // A listed origin is echoed; only then may credentials be allowed.
  return {{"Access-Control-Allow-Origin", std::string(origin)},
          {"Access-Control-Allow-Credentials", "true"},
          {"Vary", "Origin"}};
}

Reply CorsPolicy::Preflight(std::string_view origin) const {
  if (!Allows(origin)) {
    return ErrorReply(403, "forbidden",
                      "cross-origin requests from '" + std::string(origin) + "' are not allowed");
  }
  Reply reply{.status = 204, .body = nullptr};
  reply.headers = Headers(origin);
  reply.headers.emplace_back("Access-Control-Allow-Methods", kAllowedMethods);
  reply.headers.emplace_back("Access-Control-Allow-Headers", kAllowedHeaders);
  reply.headers.emplace_back("Access-Control-Max-Age", kMaxAgeSeconds);
  return reply;
}

}  // namespace mccig::http
