// thread_scheduling.cpp — see thread_scheduling.h.
#include "worker/thread_scheduling.h"

#include <pthread.h>
#include <sched.h>

#include <cstring>

namespace mccig::worker {

std::string ScheduleThisThread(ThreadScheduling scheduling) {
  const int policy = scheduling == ThreadScheduling::kBatch ? SCHED_BATCH : SCHED_OTHER;
  const sched_param param{.sched_priority = 0};  // the only priority either policy takes
  const int error = pthread_setschedparam(pthread_self(), policy, &param);
  if (error == 0) return "";
  return std::string("cannot set the thread's scheduling policy: ") + std::strerror(error);
}

}  // namespace mccig::worker
