// resources.cpp — lookup over the generated table; see resources.h.
#include "resources/resources.h"

#include <cstdio>
#include <cstdlib>

namespace mccig::resources {

const Resource* Find(std::string_view name) {
  for (const Resource& r : All()) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

std::string_view Get(std::string_view name) {
  if (const Resource* r = Find(name)) return r->text;
  std::fprintf(stderr, "mccig: resource %.*s is not compiled in\n", static_cast<int>(name.size()),
               name.data());
  std::abort();
}

}  // namespace mccig::resources
