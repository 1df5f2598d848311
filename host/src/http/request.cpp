// request.cpp — see request.h.
#include "http/request.h"

#include <strings.h>

namespace mccig::http {

const std::string* Request::Find(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && ::strncasecmp(key.data(), name.data(), name.size()) == 0) {
      return &value;
    }
  }
  return nullptr;
}

const std::string& Request::ContentType() const {
  static const std::string kNone;
  const std::string* value = Find("Content-Type");
  return value ? *value : kNone;
}

}  // namespace mccig::http
