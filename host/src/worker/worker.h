// worker.h — `mccig worker`: the consumers that move events from the queue
// stream into PostgreSQL (consumer.h says how each one behaves).
//
// Start() spawns options.concurrency consumers, and options.backlog_consumers
// more that read only while a backlog lasts, each with its own store from
// the factory and named <host>:<pid>:<n> in the group. Stop() wakes every consumer: each finishes
// the batch in hand (unless the database is down: then it leaves it pending for the next run),
// leaves the group if it holds nothing, and Stop() returns when all have. Start/Stop from one
// thread.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "queue/stream_queue.h"
#include "store/event_store.h"
#include "worker/consumer.h"
#include "worker/stop_signal.h"
#include "worker/worker_options.h"

namespace mccig::worker {

using StoreFactory = std::function<std::unique_ptr<store::EventStore>()>;

class Worker {
 public:
  Worker(queue::StreamQueue& queue, StoreFactory make_store, WorkerOptions options);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void Start();
  void Stop();

  const WorkerStats& stats() const { return stats_; }
  // Told about every stored batch (metrics); call before Start.
  void set_observer(WorkerObserver* observer) { stats_.observer = observer; }
  const WorkerOptions& options() const { return options_; }

 private:
  queue::StreamQueue& queue_;
  StoreFactory make_store_;
  WorkerOptions options_;
  WorkerStats stats_;
  StopSignal stop_;
  std::vector<std::unique_ptr<store::EventStore>> stores_;
  std::vector<std::unique_ptr<Consumer>> consumers_;
  std::vector<std::thread> threads_;
};

// A consumer name unique to this process: <hostname>:<pid>:<index>.
std::string ConsumerName(int index);

}  // namespace mccig::worker
