// redis_url.h — where Redis is: redis://[[user]:password@]host[:port][/db]
// or unix:///path/to/redis.sock[?db=N&password=P]. Pure parsing.
#pragma once

#include <string>

#include <mccig/sdk/result.h>

namespace mccig::redis {

struct Endpoint {
  std::string host = "127.0.0.1";  // empty when unix_socket is set
  int port = 6379;
  std::string unix_socket;
  std::string username;
  std::string password;
  int db = 0;

  // For logs and errors: never includes the password.
  std::string Describe() const;
};

sdk::Result<Endpoint> ParseRedisUrl(const std::string& url);

}  // namespace mccig::redis
