// resources.h — text files compiled into the binary: the Lua scripts under
// host/lua and the SQL migrations under host/db/migrations. Generated at
// build time (host/cmake/EmbedResources.cmake), in path order.
#pragma once

#include <string_view>
#include <vector>

namespace mccig::resources {

struct Resource {
  std::string_view name;  // path under host/, e.g. "lua/admission.lua"
  std::string_view text;
};

const std::vector<Resource>& All();

// The text of one resource; aborts on an unknown name (a build mistake).
std::string_view Get(std::string_view name);

}  // namespace mccig::resources
