// resources.h — text files compiled into the binary: the Lua scripts under
// host/lua, the SQL migrations under host/db/migrations and the operations
// console under host/console. Generated at build time
// (host/cmake/EmbedResources.cmake), in path order.
#pragma once

#include <string_view>
#include <vector>

namespace mccig::resources {

struct Resource {
  std::string_view name;  // path under host/, e.g. "lua/admission.lua"
  std::string_view text;
};

const std::vector<Resource>& All();

// The resource named `name`, or nullptr.
const Resource* Find(std::string_view name);

// The text of one resource; aborts on an unknown name (a build mistake).
std::string_view Get(std::string_view name);

}  // namespace mccig::resources
