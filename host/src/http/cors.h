// cors.h — Cross-Origin Resource Sharing, exactly as configured
// (cors.enabled / ENABLE_CORS, cors.origin / CORS_ORIGIN).
//
// The origin setting is "*" or a comma-separated list of origins
// (scheme://host[:port]). A request whose Origin is allowed gets
// Access-Control-Allow-Origin (and Vary: Origin); others get no CORS header,
// so the browser keeps the answer from the page. Credentials are allowed
// only for listed origins, never with the wildcard. Preflights (OPTIONS
// with Access-Control-Request-Method) are answered here: 204 for an allowed
// origin, 403 otherwise. Immutable: safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/reply.h"

namespace mccig::http {

class CorsPolicy {
 public:
  CorsPolicy() = default;  // disabled
  CorsPolicy(bool enabled, std::string_view origin_setting);

  bool enabled() const { return enabled_; }

  // The headers to add to any answer to a request from `origin`.
  std::vector<std::pair<std::string, std::string>> Headers(std::string_view origin) const;

  // The answer to a preflight from `origin`.
  Reply Preflight(std::string_view origin) const;

 private:
  bool Allows(std::string_view origin) const;

  bool enabled_ = false;
  bool any_ = false;
  std::vector<std::string> origins_;
};

}  // namespace mccig::http
