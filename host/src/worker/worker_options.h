// worker_options.h — the worker's settings (config.h's worker section) and
// the counters it keeps for operators and tests.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "config/config.h"
#include "worker/thread_scheduling.h"

namespace mccig::worker {

struct WorkerOptions {
  int concurrency = 2;  // consumers, each with its own connections
  // More consumers that read only while a backlog lasts (the last read of
  // any consumer was full, backlog_rows()): they drain it with more reads
  // in flight, and cost a steady trickle nothing (more consumers would
  // split it into smaller, costlier reads).
  int backlog_consumers = 1;
  int batch_size = 200;             // events per read and per INSERT (about)
  int max_retries = 5;              // retries of a rejected event before the DLQ
  int64_t base_backoff_ms = 200;    // retry n waits base * 2^(n-1) ...
  int64_t max_backoff_ms = 30'000;  // ... at most this
  int64_t visibility_timeout_ms = 60'000;
  int64_t block_ms = 1000;  // longest idle wait, and so the stop latency
  // When a read finds fewer events than batch_size, how long to let more
  // arrive before taking them too: at a steady trickle, a read (two
  // script calls and a transaction) per few events costs more than the
  // events themselves.
  int64_t linger_ms = 5;
  // The consumers' threads yield to request threads (thread_scheduling.h).
  ThreadScheduling scheduling = ThreadScheduling::kBatch;

  // A read of at least this many events means a backlog (reads come full
  // then): its COPY may take a second session (store/copy_sessions.h).
  std::size_t backlog_rows() const { return static_cast<std::size_t>(std::max(1, batch_size / 2)); }

  static WorkerOptions FromConfig(const config::Config& c) {
    return WorkerOptions{.concurrency = c.worker_concurrency,
                         .backlog_consumers = c.worker_backlog_consumers,
                         .batch_size = c.worker_batch_size,
                         .max_retries = c.worker_max_retries,
                         .base_backoff_ms = c.worker_base_backoff_ms,
                         .max_backoff_ms = c.worker_max_backoff_ms,
                         .visibility_timeout_ms = c.worker_visibility_timeout_ms,
                         .linger_ms = c.worker_linger_ms,
                         .scheduling = c.worker_batch_scheduling ? ThreadScheduling::kBatch
                                                                 : ThreadScheduling::kNormal};
  }
};

// Told about each stored batch (metrics). Called from consumer threads.
class WorkerObserver {
 public:
  virtual ~WorkerObserver() = default;
  virtual void OnBatchStored(std::size_t rows, double insert_seconds) = 0;
};

struct WorkerStats {
  std::atomic<int64_t> batches{0};
  std::atomic<int64_t> stored{0};          // rows inserted
  std::atomic<int64_t> already_stored{0};  // re-deliveries that found their row
  std::atomic<int64_t> retries{0};         // waits before a retry, any cause
  std::atomic<int64_t> dead_lettered{0};
  std::atomic<int64_t> reclaimed{0};   // entries taken over from another consumer
  std::atomic<bool> backlog{false};    // the last read was full (backlog_rows)
  WorkerObserver* observer = nullptr;  // set before Start; not owned
};

}  // namespace mccig::worker
