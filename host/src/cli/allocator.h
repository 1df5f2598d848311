// allocator.h — which malloc the running process uses, for `mccig version`.
//
// The mccig binary links jemalloc (host/CMakeLists.txt, MCCIG_JEMALLOC);
// the library and the tests keep the system's malloc. The answer is read
// at run time, so it is right however the binary was linked or preloaded.
#pragma once

#include <string>

namespace mccig::cli {

// "jemalloc <version>" when jemalloc serves malloc, else "glibc malloc".
std::string AllocatorName();

}  // namespace mccig::cli
