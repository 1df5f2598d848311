// consumer.h — one member of the consumer group: read a batch, store it,
// acknowledge it; the worker runs several of these on their own threads.
//
// Invariants:
//  - An entry is acked only after its row is committed (or was already
//    there), or after it was recorded in ingest_failures and moved to the
//    dead-letter stream. Until then it stays pending and is re-delivered
//    (reclaimed) if this consumer dies.
//  - A database that is unreachable never sends anything to the DLQ: the
//    batch waits with backoff (its entries touched so no one reclaims them)
//    and resumes when the database is back.
//  - One event the database rejects does not hold back its batch: the batch
//    is retried row by row, the others are stored, and only the rejected one
//    is retried (max_retries, with backoff) and then dead-lettered.
// Not thread-safe: one consumer, one thread.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <mccig/sdk/event.h>

#include "queue/stream_queue.h"
#include "store/event_store.h"
#include "worker/stop_signal.h"
#include "worker/worker_options.h"

namespace mccig::worker {

class Consumer {
 public:
  Consumer(std::string name, queue::StreamQueue& queue, store::EventStore& store,
           const WorkerOptions& options, WorkerStats& stats, StopSignal& stop);

  // Prepares the schema and the group, then loops until stopped.
  void Run();

  // One pass: reclaim or read one batch and process it. False when there
  // was nothing to do.
  bool RunOnce();

  const std::string& name() const { return name_; }

 private:
  struct Item {
    queue::StreamEntry entry;
    sdk::ConversationEvent event;
  };
  struct Rejected {
    Item item;
    std::string error;
  };
  // Decoded entries ready to store, as parallel lists: the events go to the
  // store as they are, without a copy per batch.
  struct Batch {
    std::vector<queue::StreamEntry> entries;
    std::vector<sdk::ConversationEvent> events;
    std::vector<std::string> ids;
  };

  bool Prepare();
  std::vector<queue::StreamEntry> NextBatch();
  void Process(std::vector<queue::StreamEntry> entries);
  // Stores the items; returns those the database refused. Leaves entries
  // pending (returns nothing) if stopped while the database is down.
  std::vector<Rejected> StoreBatch(const Batch& batch);
  std::vector<Rejected> StoreOneByOne(const Batch& batch);
  void RetryThenDeadLetter(const Rejected& rejected);
  void DeadLetter(const queue::StreamEntry& entry, const sdk::ConversationEvent* event,
                  const std::string& stage, const std::string& error, int attempts);
  void Ack(const std::vector<std::string>& ids);
  // Waits before retry `attempt`, keeping `ids` claimed; true when stopped.
  bool Backoff(int attempt, const std::vector<std::string>& ids);

  std::string name_;
  queue::StreamQueue& queue_;
  store::EventStore& store_;
  const WorkerOptions& options_;
  WorkerStats& stats_;
  StopSignal& stop_;
  bool group_ready_ = false;
  std::chrono::steady_clock::time_point next_reclaim_{};
};

}  // namespace mccig::worker
