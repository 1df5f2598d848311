// consumer.cpp — see consumer.h.
#include "worker/consumer.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include <spdlog/spdlog.h>

#include "queue/event_codec.h"
#include "worker/backoff.h"

namespace mccig::worker {
namespace {

constexpr const char* kSimulatedError = "simulated failure (X-Simulate-Failure, simulation mode)";
// How often a backlog_only consumer looks whether a backlog has begun.
constexpr int64_t kBacklogPollMs = 20;

}  // namespace

Consumer::Consumer(std::string name, queue::StreamQueue& queue, store::EventStore& store,
                   const WorkerOptions& options, WorkerStats& stats, StopSignal& stop,
                   bool backlog_only)
    : name_(std::move(name)),
      queue_(queue),
      store_(store),
      options_(options),
      stats_(stats),
      stop_(stop),
      backlog_only_(backlog_only) {}

void Consumer::Run() {
  int attempt = 0;
  while (!stop_.stopped() && !Prepare()) {
    if (stop_.WaitFor(BackoffMs(++attempt, options_.base_backoff_ms, options_.max_backoff_ms))) {
      return;
    }
  }
  while (!stop_.stopped()) RunOnce();
  Ack(std::exchange(ack_first_.entries, {}));  // what no read took with it
}

bool Consumer::Prepare() {
  auto schema = store_.Prepare();
  if (!schema) {
    spdlog::warn("worker {}: database not ready: {}", name_, schema.error().message);
    return false;
  }
  for (const auto& applied : schema.value()) spdlog::info("applied migration {}", applied);
  return true;
}

bool Consumer::RunOnce() {
  if (backlog_only_ && !stats_.backlog.load(std::memory_order_relaxed)) {
    Ack(std::exchange(ack_first_.entries, {}));  // no read to ride on for a while
    stop_.WaitFor(kBacklogPollMs);
    return false;
  }
  std::vector<queue::StreamEntry> entries = NextBatch();
  std::size_t events = 0;
  for (const queue::StreamEntry& e : entries) events += static_cast<std::size_t>(e.size);
  stats_.backlog.store(events >= options_.backlog_rows(), std::memory_order_relaxed);
  if (entries.empty()) return false;
  stats_.batches++;
  Process(std::move(entries));
  return true;
}

std::vector<queue::StreamEntry> Consumer::NextBatch() {
  if (!group_ready_) {
    auto created = queue_.EnsureGroup();
    if (!created) {
      spdlog::warn("worker {}: cannot create the consumer group: {}", name_,
                   created.error().message);
      stop_.WaitFor(options_.block_ms);
      return {};
    }
    if (created.value()) spdlog::info("worker: created consumer group on the queue");
    group_ready_ = true;
  }
  const auto now = std::chrono::steady_clock::now();
  sdk::Result<std::vector<queue::StreamEntry>> batch = std::vector<queue::StreamEntry>{};
  if (now >= next_reclaim_) {
    next_reclaim_ =
        now + std::chrono::milliseconds(std::max<int64_t>(100, options_.visibility_timeout_ms / 4));
    batch = queue_.Reclaim(name_, options_.visibility_timeout_ms, options_.batch_size, &ack_first_);
    SettleAckFirst();
    if (batch && !batch.value().empty()) {
      stats_.reclaimed += static_cast<int64_t>(batch.value().size());
      spdlog::info("worker {}: reclaimed {} entries idle for over {} ms", name_,
                   batch.value().size(), options_.visibility_timeout_ms);
    }
  }
  if (batch && batch.value().empty()) {
    batch =
        queue_.Read(name_, options_.batch_size, options_.block_ms, options_.linger_ms, &ack_first_);
    SettleAckFirst();
  }
  if (!batch) {
    // The stream or group vanished (FLUSHALL, Redis restarted without its
    // AOF): recreate it on the next pass, after a pause — never a hot loop.
    if (batch.error().code == "no_group") group_ready_ = false;
    spdlog::warn("worker {}: cannot read the queue: {}", name_, batch.error().message);
    stop_.WaitFor(options_.block_ms);
    return {};
  }
  return std::move(batch.value());
}

void Consumer::Events::Add(std::size_t from, std::string_view line, store::EventRow event) {
  events.push_back(std::move(event));
  entry.push_back(from);
  text.push_back(line);
}

Consumer::Read Consumer::Decode(std::vector<queue::StreamEntry> entries) {
  Read read;
  read.entries = std::move(entries);  // not resized again: the views below stay valid
  read.events_in.resize(read.entries.size());
  for (std::size_t e = 0; e < read.entries.size(); ++e) {
    const queue::StreamEntry& entry = read.entries[e];
    const std::vector<std::string_view> lines = queue::SplitEvents(entry.events);
    read.events_in[e] = lines.size();
    if (lines.empty()) read.decode.push_back({.entry = e, .stage = "decode", .error = "no event"});
    // Lines are decoded in place: the entry's text has kDecodePadding spare.
    const char* readable_end = entry.events.data() + entry.events.capacity();
    for (std::string_view line : lines) {
      auto decoded = queue::DecodeRow(line, static_cast<std::size_t>(readable_end - line.data()));
      if (!decoded) {
        // Retrying cannot fix a text that is not an event: dead-letter now.
        read.decode.push_back(
            {.entry = e, .text = line, .stage = "decode", .error = decoded.error().message});
      } else {
        (entry.simulate_failure ? read.simulated : read.to_store)
            .Add(e, line, std::move(decoded.value()));
      }
    }
  }
  return read;
}

void Consumer::Process(std::vector<queue::StreamEntry> entries) {
  Read read = Decode(std::move(entries));
  if (!StoreBatch(read)) return;  // stopped: everything stays pending
  for (std::size_t i = 0; i < read.simulated.events.size(); ++i) {
    read.persist.push_back({.entry = read.simulated.entry[i],
                            .text = read.simulated.text[i],
                            .event = &read.simulated.events[i],
                            .stage = "persist",
                            .error = kSimulatedError});
  }
  std::vector<std::vector<const Rejected*>> refused(read.entries.size());
  for (const Rejected& r : read.decode) refused[r.entry].push_back(&r);
  for (const Rejected& r : read.persist) refused[r.entry].push_back(&r);
  // Entries all of whose events are stored are done before any retry.
  std::vector<queue::SettledEntry> done;
  for (std::size_t e = 0; e < read.entries.size(); ++e) {
    if (refused[e].empty()) done.push_back({read.entries[e].id, read.events_in[e]});
  }
  if (read.decode.empty() && read.persist.empty()) {
    // The common case, all stored: the ack rides on the next read.
    std::move(done.begin(), done.end(), std::back_inserter(ack_first_.entries));
    return;
  }
  Ack(done);
  for (Rejected& r : read.persist) {
    bool stopped = false;
    r.stored = Retry(read, r, stopped);
    if (stopped) return;  // left pending: reclaimed after a restart
  }
  for (std::size_t e = 0; e < read.entries.size(); ++e) {
    if (!refused[e].empty()) Settle(read, e, refused[e]);
    if (stop_.stopped()) return;
  }
}

bool Consumer::StoreBatch(Read& read) {
  const std::vector<store::EventRow>& events = read.to_store.events;
  if (events.empty()) return true;
  for (int attempt = 1;; ++attempt) {
    const auto started = std::chrono::steady_clock::now();
    sdk::Result<std::size_t> stored = store_.InsertBatch(events);
    if (stored) {
      stats_.stored += static_cast<int64_t>(stored.value());
      stats_.already_stored += static_cast<int64_t>(events.size() - stored.value());
      if (stats_.observer != nullptr) {
        stats_.observer->OnBatchStored(
            events.size(),
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
      }
      return true;
    }
    if (stored.error().code == "db_rejected") return StoreOneByOne(read);
    spdlog::warn("worker {}: batch of {} not stored, retry {}: {}", name_, events.size(), attempt,
                 stored.error().message);
    if (Backoff(attempt, IdsOf(read))) return false;
  }
}

bool Consumer::StoreOneByOne(Read& read) {
  const Events& batch = read.to_store;
  for (std::size_t i = 0; i < batch.events.size(); ++i) {
    for (int attempt = 1;; ++attempt) {
      sdk::Result<std::size_t> stored = store_.InsertBatch({batch.events[i]});
      if (stored) {
        stats_.stored += static_cast<int64_t>(stored.value());
        stats_.already_stored += 1 - static_cast<int64_t>(stored.value());
        break;
      }
      if (stored.error().code == "db_rejected") {
        read.persist.push_back({.entry = batch.entry[i],
                                .text = batch.text[i],
                                .event = &batch.events[i],
                                .stage = "persist",
                                .error = stored.error().message});
        break;
      }
      if (Backoff(attempt, {read.entries[batch.entry[i]].id})) return false;
    }
  }
  return true;
}

bool Consumer::Retry(const Read& read, Rejected& rejected, bool& stopped) {
  const std::vector<std::string> entry = {read.entries[rejected.entry].id};
  const bool simulated = read.entries[rejected.entry].simulate_failure;
  spdlog::warn("worker {}: event {} ({}) rejected: {}", name_, rejected.event->event_id,
               rejected.event->provider_message_id, rejected.error);
  for (int retry = 1; retry <= options_.max_retries;) {
    if (Backoff(retry, entry)) {
      stopped = true;
      return false;
    }
    if (simulated) {
      ++retry;
      continue;
    }
    sdk::Result<std::size_t> stored = store_.InsertBatch({*rejected.event});
    if (stored) {
      stats_.stored += static_cast<int64_t>(stored.value());
      return true;
    }
    // An unreachable database says nothing about this row: not a retry.
    if (stored.error().code == "db_rejected") {
      rejected.error = stored.error().message;
      ++retry;
    }
  }
  rejected.attempts = 1 + options_.max_retries;
  return false;
}

void Consumer::Settle(const Read& read, std::size_t e,
                      const std::vector<const Rejected*>& refused) {
  const queue::SettledEntry entry{read.entries[e].id, read.events_in[e]};
  std::vector<queue::FailedEvent> failed;
  for (const Rejected* r : refused) {
    if (r->stored) continue;
    // The durable record first: a dead letter must survive a Redis flush.
    if (!RecordFailure(read, *r)) return;
    failed.push_back(
        {.event = r->text, .error = r->error, .stage = r->stage, .attempts = r->attempts});
  }
  if (failed.empty()) return Ack({entry});
  auto moved = queue_.MoveToDeadLetters(entry, failed);
  if (!moved) {
    spdlog::error("worker {}: cannot dead-letter from {}: {} (stays pending)", name_, entry.id,
                  moved.error().message);
    return;
  }
  stats_.dead_lettered += static_cast<int64_t>(moved.value().size());
  for (std::size_t i = 0; i < moved.value().size() && i < failed.size(); ++i) {
    spdlog::error(
        "worker {}: an event of entry {} moved to the dead-letter queue as {} after {} "
        "attempt(s), stage {}: {}",
        name_, entry.id, moved.value()[i], failed[i].attempts, failed[i].stage, failed[i].error);
  }
}

bool Consumer::RecordFailure(const Read& read, const Rejected& failed) {
  const store::EventRow* event = failed.event;
  const std::string& entry_id = read.entries[failed.entry].id;
  const store::FailureRecord record{
      .event_id = event ? event->event_id : entry_id,
      .tenant_id = event ? event->tenant_id : "",
      .channel = event ? std::string(sdk::ChannelName(event->channel)) : "",
      .provider_message_id = event ? event->provider_message_id : "",
      .stage = failed.stage,
      .error = failed.error,
      .payload = std::string(failed.text),
      .attempts = failed.attempts};
  for (int attempt = 1;; ++attempt) {
    auto recorded = store_.RecordFailure(record);
    if (recorded) return true;
    if (recorded.error().code == "db_rejected") {
      spdlog::error("cannot record failure: {}", recorded.error().message);
      return true;
    }
    if (Backoff(attempt, {entry_id})) return false;
  }
}

void Consumer::Ack(const std::vector<queue::SettledEntry>& entries) {
  if (entries.empty()) return;
  auto acked = queue_.Ack(entries);
  // Stored but not acked: the entries are re-delivered later and their
  // insert is a no-op (ON CONFLICT DO NOTHING). Nothing is lost.
  if (!acked) spdlog::warn("worker {}: ack failed: {}", name_, acked.error().message);
}

void Consumer::SettleAckFirst() {
  if (!ack_first_.outcome) return;  // not sent: it goes with the next call
  // As for Ack: not acked means re-delivered later, a no-op then.
  if (!*ack_first_.outcome) {
    spdlog::warn("worker {}: ack failed: {}", name_, ack_first_.outcome->error().message);
  }
  ack_first_ = {};
}

bool Consumer::Backoff(int attempt, const std::vector<std::string>& ids) {
  stats_.retries++;
  if (stop_.WaitFor(BackoffMs(attempt, options_.base_backoff_ms, options_.max_backoff_ms))) {
    return true;
  }
  (void)queue_.Touch(name_, ids);
  return false;
}

std::vector<std::string> Consumer::IdsOf(const Read& read) const {
  std::vector<std::string> ids;
  ids.reserve(read.entries.size());
  for (const queue::StreamEntry& e : read.entries) ids.push_back(e.id);
  return ids;
}

}  // namespace mccig::worker
