// allocator.cpp — see allocator.h.
#include "cli/allocator.h"

#include <cstddef>

// jemalloc's control interface. Declared weak: null unless jemalloc is in
// the process, so this file needs no jemalloc header or library.
extern "C" int mallctl(const char* name, void* oldp, std::size_t* oldlenp, void* newp,
                       std::size_t newlen) __attribute__((weak));

namespace mccig::cli {

std::string AllocatorName() {
  if (mallctl == nullptr) return "glibc malloc";
  const char* version = nullptr;
  std::size_t size = sizeof version;
  if (mallctl("version", static_cast<void*>(&version), &size, nullptr, 0) != 0 ||
      version == nullptr) {
    return "jemalloc";
  }
  return std::string("jemalloc ") + version;
}

}  // namespace mccig::cli
