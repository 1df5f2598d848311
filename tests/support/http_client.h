// http_client.h — a minimal blocking HTTP client for tests (Poco).
#pragma once

#include <map>
#include <sstream>
#include <string>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <nlohmann/json.hpp>

namespace mccig::testing {

struct HttpResult {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;
  nlohmann::json Json() const { return nlohmann::json::parse(body, nullptr, false); }
};

inline HttpResult HttpCall(uint16_t port, const std::string& method, const std::string& path,
                           const std::string& body = "", const std::string& content_type = "",
                           const std::map<std::string, std::string>& headers = {}) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  session.setTimeout(Poco::Timespan(10, 0));
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  if (!content_type.empty()) request.setContentType(content_type);
  for (const auto& [k, v] : headers) request.set(k, v);
  if (!body.empty() || method == "POST")
    request.setContentLength(static_cast<std::streamsize>(body.size()));
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  HttpResult result;
  result.status = static_cast<int>(response.getStatus());
  for (const auto& [k, v] : response) result.headers[k] = v;
  std::ostringstream out;
  Poco::StreamCopier::copyStream(in, out);
  result.body = out.str();
  return result;
}

inline HttpResult PostJson(uint16_t port, const std::string& path, const nlohmann::json& body) {
  return HttpCall(port, "POST", path, body.dump(), "application/json");
}

}  // namespace mccig::testing
