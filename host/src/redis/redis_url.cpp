// redis_url.cpp — see redis_url.h.
#include "redis/redis_url.h"

#include <Poco/URI.h>

namespace mccig::redis {
namespace {

sdk::Error Bad(const std::string& why) {
  return sdk::Error{"invalid_config", "redis url: " + why, {}};
}

bool ParseNumber(const std::string& text, int min, int max, int& out) {
  if (text.empty() || text.size() > 9) return false;
  int v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  if (v < min || v > max) return false;
  out = v;
  return true;
}

}  // namespace

std::string Endpoint::Describe() const {
  const std::string where = unix_socket.empty() ? host + ":" + std::to_string(port) : unix_socket;
  return where + " db " + std::to_string(db);
}

sdk::Result<Endpoint> ParseRedisUrl(const std::string& url) {
  Poco::URI uri;
  try {
    uri = Poco::URI(url);
  } catch (const std::exception& e) {
    return Bad("cannot parse it");
  }
  Endpoint ep;
  const std::string user_info = uri.getUserInfo();
  if (!user_info.empty()) {
    const auto colon = user_info.find(':');
    ep.username = colon == std::string::npos ? "" : user_info.substr(0, colon);
    ep.password = colon == std::string::npos ? user_info : user_info.substr(colon + 1);
  }
  for (const auto& [key, value] : uri.getQueryParameters()) {
    if (key == "db" && !ParseNumber(value, 0, 1 << 20, ep.db)) return Bad("db must be a number");
    if (key == "password") ep.password = value;
  }
  if (uri.getScheme() == "unix") {
    if (uri.getPath().empty()) return Bad("unix:// needs a socket path");
    ep.unix_socket = uri.getPath();
    ep.host.clear();
    return ep;
  }
  if (uri.getScheme() != "redis") return Bad("the scheme must be redis:// or unix://");
  if (uri.getHost().empty()) return Bad("no host");
  ep.host = uri.getHost();
  ep.port = uri.getPort() == 0 ? 6379 : uri.getPort();
  std::string path = uri.getPath();
  if (!path.empty() && path != "/" && !ParseNumber(path.substr(1), 0, 1 << 20, ep.db)) {
    return Bad("the path must be a database number, e.g. /0");
  }
  return ep;
}

}  // namespace mccig::redis
