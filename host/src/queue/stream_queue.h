// stream_queue.h — the worker's side of the queue: the consumer group on
// queue:conversations and the dead-letter stream dlq:conversations.
//
// An entry holds one or more events (queue_keys.h), admitted together.
// Delivery is at least once: an entry read by a consumer stays pending in
// the group until Ack (after its rows are committed) or DeadLetter; a
// consumer that dies leaves its entries pending, and any live consumer
// takes them over with Reclaim once they have been idle longer than the
// visibility timeout. Ack also deletes the entries, so the stream holds
// only what is not yet stored. Every call is one round trip; multi-step
// changes (ack + delete, dead-letter, replay) are Lua scripts, so they are
// atomic. Thread-safe: calls lease their own connection.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <mccig/sdk/result.h>

#include "redis/redis_pool.h"
#include "redis/redis_script.h"

namespace mccig::queue {

inline constexpr std::string_view kConsumerGroup = "workers";

struct StreamEntry {
  std::string id{};
  std::string events{};           // one encoded event per line; empty if none
  int64_t size = 1;               // events it holds, as admission counted them ("n")
  bool simulate_failure = false;  // marked by simulation mode
};

// An entry settled, with the number of events it held (for the count of
// events queued).
struct SettledEntry {
  std::string id{};
  std::size_t events = 0;
};

// One event of an entry that goes to the dead-letter stream.
struct FailedEvent {
  std::string_view event{};  // as queued
  std::string error{};
  std::string stage{};
  int attempts = 0;
};

// Entries to ack in the round trip of a read's first command: Ack's
// script goes ahead of the read on the same connection, so Redis runs it
// first, and a consumer that reads right after it stores saves a round
// trip a batch (under load, each one waits behind admission calls).
// `outcome` stays empty while the ack was not sent (no connection: send it
// again), and holds its result once it was.
struct AckFirst {
  std::vector<SettledEntry> entries{};
  std::optional<sdk::Result<int64_t>> outcome{};
};

struct DeadLetter {
  std::string id{};
  std::string event{};
  std::string error{};
  std::string stage{};
  int attempts = 0;
  std::string source_id{};
  int64_t failed_at_ms = 0;
};

struct QueueStats {
  int64_t length = 0;         // events queued, not yet stored
  int64_t entries = 0;        // stream entries holding them
  int64_t pending = 0;        // entries delivered to a consumer, not yet acked
  int64_t dead_letters = 0;   // entries in the dead-letter stream
  int64_t oldest_age_ms = 0;  // age of the oldest entry in the stream, 0 if empty
};

class StreamQueue {
 public:
  explicit StreamQueue(redis::Pool& pool);

  // Creates the group (from the stream's start, so entries queued before
  // the first worker ran are delivered) and the stream if missing.
  sdk::Result<bool> EnsureGroup();

  // New entries for this consumer, as many as hold about `events` events
  // (read.lua); when there are none, waits up to block_ms for one. A read
  // short of `events` waits linger_ms for more before taking them with it.
  // Error code "no_group" when the stream or group vanished. With
  // `ack_first`, acks its entries first, in the same round trip.
  sdk::Result<std::vector<StreamEntry>> Read(const std::string& consumer, int events,
                                             int64_t block_ms, int64_t linger_ms = 0,
                                             AckFirst* ack_first = nullptr);

  // Takes over entries pending longer than min_idle_ms, as many as hold
  // about `events` events; `ack_first` as for Read.
  sdk::Result<std::vector<StreamEntry>> Reclaim(const std::string& consumer, int64_t min_idle_ms,
                                                int events, AckFirst* ack_first = nullptr);

  // Resets the idle time of entries this consumer is still working on, so
  // a slow retry is not mistaken for a crash.
  sdk::Result<int64_t> Touch(const std::string& consumer, const std::vector<std::string>& ids);

  // Acks and deletes the entries; returns how many were still pending.
  sdk::Result<int64_t> Ack(const std::vector<SettledEntry>& entries);

  // Moves `failed` (events of `entry`, whose others are stored) to the
  // dead-letter stream and acks the entry; returns the dead letters' ids,
  // none if the entry was already settled.
  sdk::Result<std::vector<std::string>> MoveToDeadLetters(const SettledEntry& entry,
                                                          const std::vector<FailedEvent>& failed);

  // Adds one entry holding `events` (encoded, as the admission script would),
  // counted as queued; returns its id. For tools and tests: the gateway
  // enqueues through admission.
  sdk::Result<std::string> Enqueue(const std::vector<std::string>& events,
                                   bool simulate_failure = false);

  // Dead letters, oldest first; at most `limit`.
  sdk::Result<std::vector<DeadLetter>> ListDeadLetters(int limit);

  // Moves the given dead letters (or, with an empty list, up to `limit` of
  // them) back to the queue; returns the dead-letter ids moved.
  sdk::Result<std::vector<std::string>> Replay(std::vector<std::string> ids, int limit = 1000);

  // Removes the consumer from the group when it holds no pending entry.
  sdk::Result<bool> RemoveConsumerIfIdle(const std::string& consumer);

  sdk::Result<QueueStats> Stats();

 private:
  // Runs `command` (EVALSHA of `script` when that is not null, which is
  // loaded again on NOSCRIPT), preceded by ack_first's ack if it is
  // pending, in one round trip.
  sdk::Result<redis::Reply> RunAfterAck(redis::Lease& lease, AckFirst* ack_first,
                                        const redis::Script* script,
                                        const std::vector<std::string_view>& command);

  redis::Pool& pool_;
  redis::Script read_;
  redis::Script ack_;
  redis::Script dead_letter_;
  redis::Script replay_;
  // Whether the last read's entries were about a read's size (see Read).
  // A hint shared by the consumers: either way the read is right.
  std::atomic<bool> large_entries_{false};
};

}  // namespace mccig::queue
