// query_params.cpp — see query_params.h.
#include "http/query_params.h"

#include <Poco/URI.h>

#include <charconv>

namespace mccig::http {

Query ParseQuery(const Request& request) {
  Query q;
  try {
    for (const auto& [k, v] : Poco::URI(request.uri).getQueryParameters()) q[k] = v;
  } catch (const std::exception&) {
    // A malformed escape: read as no parameters, which each endpoint judges.
  }
  return q;
}

std::optional<std::string> Param(const Query& query, const std::string& name) {
  const auto it = query.find(name);
  if (it == query.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

Reply BadParameter(const std::string& field, const std::string& problem) {
  return ErrorReply(sdk::Error{
      "invalid_parameter", "invalid parameter '" + field + "': " + problem, {{field, problem}}});
}

IntParam ReadIntParam(const Query& query, const std::string& name, int64_t fallback, int64_t min,
                      int64_t max) {
  const std::optional<std::string> text = Param(query, name);
  if (!text) return {.value = fallback};
  int64_t value = 0;
  const char* end = text->data() + text->size();
  const auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (ec != std::errc() || ptr != end)
    return {.error = BadParameter(name, "must be a whole number")};
  if (value < min || value > max) {
    return {.error = BadParameter(
                name, "must be between " + std::to_string(min) + " and " + std::to_string(max))};
  }
  return {.value = value};
}

}  // namespace mccig::http
