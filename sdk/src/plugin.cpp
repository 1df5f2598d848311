// plugin.cpp — RequestView helpers.
#include "mccig/sdk/plugin.h"

#include <strings.h>

namespace mccig::sdk {

std::string_view RequestView::Header(std::string_view name) const noexcept {
  if (headers == nullptr) return {};
  for (const auto& [key, value] : *headers) {
    if (key.size() == name.size() && strncasecmp(key.data(), name.data(), name.size()) == 0) {
      return value;
    }
  }
  return {};
}

}  // namespace mccig::sdk
