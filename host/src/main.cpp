// main.cpp — the mccig binary; everything lives in cli/.
#include <malloc.h>

#include "cli/cli.h"

namespace {

// Batch bodies, their Redis commands and their answers are hundreds of
// kilobytes each. glibc would map and unmap each of them (and trim the
// heaps behind them), page-faulting the memory in again on every request:
// about a fifth of the gateway's CPU under batch load. Served from the
// heap and kept there instead, they are reused; the price is that freed
// memory returns to the system only past 256 MiB per heap.
// The binary normally allocates with jemalloc (host/CMakeLists.txt), which
// keeps and reuses such buffers by itself and leaves these settings unread;
// they are for a build with MCCIG_JEMALLOC=OFF.
void KeepLargeBuffersOnTheHeap() {
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's ceiling for this setting
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
}

}  // namespace

int main(int argc, char** argv) {
  KeepLargeBuffersOnTheHeap();
  return mccig::cli::Main(argc, argv);
}
