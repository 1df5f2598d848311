// query_params.h — reading a request's query string, with the same 400s for
// every endpoint: {"error":"invalid_parameter","details":[{field, message}]}.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "http/reply.h"
#include "http/request.h"

namespace mccig::http {

using Query = std::map<std::string, std::string>;

Query ParseQuery(const Request& request);

// The parameter's value; nullopt when absent or empty.
std::optional<std::string> Param(const Query& query, const std::string& name);

Reply BadParameter(const std::string& field, const std::string& problem);

// A whole number in [min, max], `fallback` when absent; an error reply when
// the parameter is not one.
struct IntParam {
  int64_t value = 0;
  std::optional<Reply> error{};
};
IntParam ReadIntParam(const Query& query, const std::string& name, int64_t fallback, int64_t min,
                      int64_t max);

}  // namespace mccig::http
