// gateway_client.cpp — see gateway_client.h.
#include "simulator/gateway_client.h"

#include <sstream>
#include <stdexcept>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/URI.h>

namespace mccig::simulator {

std::string Response::Header(const std::string& name) const {
  for (const auto& [key, value] : headers) {
    if (Poco::icompare(key, name) == 0) return value;
  }
  return "";
}

GatewayClient::GatewayClient(const std::string& base_url, std::string admin_token)
    : admin_token_(std::move(admin_token)) {
  const Poco::URI uri(base_url);
  if (uri.getScheme() != "http" || uri.getHost().empty()) {
    throw std::invalid_argument("--url must be http://HOST:PORT, got '" + base_url + "'");
  }
  host_ = uri.getHost();
  port_ = uri.getPort();
}

Response GatewayClient::Ingest(const std::string& route, const nlohmann::json& payload,
                               const std::string& api_key,
                               const std::map<std::string, std::string>& headers) const {
  std::map<std::string, std::string> all = headers;
  all["Content-Type"] = "application/json";
  if (!api_key.empty()) all["X-API-Key"] = api_key;
  return Call("POST", "/v1/ingest/" + route, payload.dump(), all);
}

Response GatewayClient::Internal(const std::string& what) const {
  std::map<std::string, std::string> headers;
  if (!admin_token_.empty()) headers["Authorization"] = "Bearer " + admin_token_;
  return Call("GET", "/v1/internal/" + what, "", headers);
}

Response GatewayClient::Call(const std::string& method, const std::string& path,
                             const std::string& body,
                             const std::map<std::string, std::string>& headers) const {
  Response response;
  try {
    Poco::Net::HTTPClientSession session(host_, port_);
    session.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [key, value] : headers) request.set(key, value);
    if (method == "POST") request.setContentLength(static_cast<std::streamsize>(body.size()));
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse answer;
    std::istream& in = session.receiveResponse(answer);
    std::ostringstream text;
    Poco::StreamCopier::copyStream(in, text);
    response.status = static_cast<int>(answer.getStatus());
    for (const auto& [key, value] : answer) response.headers[key] = value;
    response.body = nlohmann::json::parse(text.str(), nullptr, false);
  } catch (const std::exception& e) {
    response.status = 0;
    response.error =
        std::string("no answer from ") + host_ + ":" + std::to_string(port_) + ": " + e.what();
  }
  return response;
}

std::string QueryValue(const std::string& value) {
  std::string out;
  Poco::URI::encode(value, "&=+?#/", out);
  return out;
}

}  // namespace mccig::simulator
