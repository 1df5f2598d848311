// consumer.h — one member of the consumer group: read a batch, store it,
// acknowledge it; the worker runs several of these on their own threads.
//
// Invariants:
//  - An entry (one or more events, queue_keys.h) is acked only after every
//    one of its events is committed (or was already there), or recorded in
//    ingest_failures and moved to the dead-letter stream. Until then it
//    stays pending and is re-delivered (reclaimed) if this consumer dies;
//    its stored events are then a no-op the second time.
//  - A database that is unreachable never sends anything to the DLQ: the
//    batch waits with backoff (its entries touched so no one reclaims them)
//    and resumes when the database is back.
//  - One event the database rejects does not hold back its batch: the batch
//    is retried row by row, the others are stored, and only the rejected one
//    is retried (max_retries, with backoff) and then dead-lettered, on its
//    own, from the entry it came in.
// A read takes entries until they hold about batch_size events (read.lua).
// Not thread-safe: one consumer, one thread.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "queue/stream_queue.h"
#include "store/event_store.h"
#include "worker/stop_signal.h"
#include "worker/worker_options.h"

namespace mccig::worker {

class Consumer {
 public:
  // A `backlog_only` consumer reads only while stats.backlog says the last
  // read (of any consumer) was full; otherwise it waits.
  Consumer(std::string name, queue::StreamQueue& queue, store::EventStore& store,
           const WorkerOptions& options, WorkerStats& stats, StopSignal& stop,
           bool backlog_only = false);

  // Prepares the schema and the group, then loops until stopped.
  void Run();

  // One pass: reclaim or read one batch and process it. False when there
  // was nothing to do (or no backlog, for a backlog_only consumer).
  bool RunOnce();

  const std::string& name() const { return name_; }

 private:
  // Decoded events as parallel lists: the rows go to the store as they
  // are, without a copy per batch.
  struct Events {
    std::vector<store::EventRow> events;
    std::vector<std::size_t> entry;      // events[i] came in entries[entry[i]] ...
    std::vector<std::string_view> text;  // ... as this line of it
    void Add(std::size_t from, std::string_view line, store::EventRow event);
  };
  // An event not stored yet; `event` is null when its text did not decode.
  struct Rejected {
    std::size_t entry = 0;
    std::string_view text{};
    const store::EventRow* event = nullptr;
    std::string stage{};
    std::string error{};
    int attempts = 1;
    bool stored = false;  // a retry stored it after all
  };
  // One read: its entries and their events, sorted by what happens next.
  struct Read {
    std::vector<queue::StreamEntry> entries;
    std::vector<std::size_t> events_in;  // per entry
    Events to_store;
    Events simulated;               // simulation mode fails these
    std::vector<Rejected> decode;   // not events: dead-lettered at once
    std::vector<Rejected> persist;  // the database refused them
  };

  bool Prepare();
  std::vector<queue::StreamEntry> NextBatch();
  void Process(std::vector<queue::StreamEntry> entries);
  Read Decode(std::vector<queue::StreamEntry> entries);
  // Stores read.to_store, adding the events the database refused to
  // read.persist. False if stopped while the database is down (everything
  // stays pending).
  bool StoreBatch(Read& read);
  bool StoreOneByOne(Read& read);
  // Retries a refused event; true once stored, false when it stays refused.
  // Sets `stopped` if the wait was interrupted.
  bool Retry(const Read& read, Rejected& rejected, bool& stopped);
  // Acks entry `e` of `read` if none of `refused` is left unstored;
  // otherwise records those left and moves them to the dead-letter stream.
  void Settle(const Read& read, std::size_t e, const std::vector<const Rejected*>& refused);
  // Records `failed` in ingest_failures; false if stopped meanwhile.
  bool RecordFailure(const Read& read, const Rejected& failed);
  void Ack(const std::vector<queue::SettledEntry>& entries);
  // Logs the outcome of ack_first_ once a read sent it, and empties it.
  void SettleAckFirst();
  // Waits before retry `attempt`, keeping `ids` claimed; true when stopped.
  bool Backoff(int attempt, const std::vector<std::string>& ids);
  std::vector<std::string> IdsOf(const Read& read) const;

  std::string name_;
  queue::StreamQueue& queue_;
  store::EventStore& store_;
  const WorkerOptions& options_;
  WorkerStats& stats_;
  StopSignal& stop_;
  const bool backlog_only_;
  bool group_ready_ = false;
  // Stored entries whose ack goes with the next read or reclaim (one round
  // trip less a batch); acked on their own when the consumer stops.
  queue::AckFirst ack_first_;
  std::chrono::steady_clock::time_point next_reclaim_{};
};

}  // namespace mccig::worker
