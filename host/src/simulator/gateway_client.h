// gateway_client.h — HTTP calls to a running gateway, for `mccig simulate`.
//
// One Poco session per call (calls come from several threads at once). A
// failure to connect is a Response with status 0 and the reason in `error`,
// never an exception, so a scenario reports it like any other wrong answer.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace mccig::simulator {

struct Response {
  int status = 0;  // 0: no answer (see error)
  nlohmann::json body{};
  std::map<std::string, std::string> headers{};
  std::string error{};
  std::string Header(const std::string& name) const;
};

class GatewayClient {
 public:
  // `base_url`: http://host:port. `api_key` goes in X-API-Key on ingest
  // calls; `admin_token` in Authorization on /v1/internal/* (either may be
  // empty when the gateway runs without authentication).
  GatewayClient(const std::string& base_url, std::string admin_token);

  // POST /v1/ingest/{route} with a JSON body.
  Response Ingest(const std::string& route, const nlohmann::json& payload,
                  const std::string& api_key,
                  const std::map<std::string, std::string>& headers = {}) const;
  // GET /v1/internal/{what} (a path with its query).
  Response Internal(const std::string& what) const;

 private:
  Response Call(const std::string& method, const std::string& path, const std::string& body,
                const std::map<std::string, std::string>& headers) const;

  std::string host_;
  unsigned short port_ = 80;
  std::string admin_token_;
};

// Percent-encodes a query parameter's value.
std::string QueryValue(const std::string& value);

}  // namespace mccig::simulator
