// thread_scheduling.h — how the worker's threads ask the kernel to treat
// them: as throughput work that yields to the gateway's request threads.
//
// On Linux, SCHED_BATCH keeps a thread's share of the CPU (same weight as
// any other thread) but stops it preempting a running thread when it wakes.
// A consumer wakes on every Redis and PostgreSQL reply; at the default
// policy each wake-up may preempt an HTTP loop or the admission thread in
// the middle of a request, which is where the request latency tail comes
// from when the worker shares the gateway's cores. Unprivileged: no
// capability is needed to move a thread to SCHED_BATCH.
#pragma once

#include <string>

namespace mccig::worker {

enum class ThreadScheduling {
  kBatch,   // SCHED_BATCH: never preempts on wake-up (the default)
  kNormal,  // the kernel's default policy
};

// Puts the calling thread under `scheduling`. Returns an empty string, or
// what failed (the thread keeps running under its old policy then).
std::string ScheduleThisThread(ThreadScheduling scheduling);

}  // namespace mccig::worker
