// consumer.cpp — see consumer.h.
#include "worker/consumer.h"

#include <spdlog/spdlog.h>

#include "queue/event_codec.h"
#include "worker/backoff.h"

namespace mccig::worker {
namespace {

constexpr const char* kSimulatedError = "simulated failure (X-Simulate-Failure, simulation mode)";

}  // namespace

Consumer::Consumer(std::string name, queue::StreamQueue& queue, store::EventStore& store,
                   const WorkerOptions& options, WorkerStats& stats, StopSignal& stop)
    : name_(std::move(name)),
      queue_(queue),
      store_(store),
      options_(options),
      stats_(stats),
      stop_(stop) {}

void Consumer::Run() {
  int attempt = 0;
  while (!stop_.stopped() && !Prepare()) {
    if (stop_.WaitFor(BackoffMs(++attempt, options_.base_backoff_ms, options_.max_backoff_ms))) {
      return;
    }
  }
  while (!stop_.stopped()) RunOnce();
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
  std::vector<queue::StreamEntry> entries = NextBatch();
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
    batch = queue_.Reclaim(name_, options_.visibility_timeout_ms, options_.batch_size);
    if (batch && !batch.value().empty()) {
      stats_.reclaimed += static_cast<int64_t>(batch.value().size());
      spdlog::info("worker {}: reclaimed {} entries idle for over {} ms", name_,
                   batch.value().size(), options_.visibility_timeout_ms);
    }
  }
  if (batch && batch.value().empty()) {
    batch = queue_.Read(name_, options_.batch_size, options_.block_ms);
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

void Consumer::Process(std::vector<queue::StreamEntry> entries) {
  Batch batch;
  std::vector<Rejected> simulated;
  for (auto& entry : entries) {
    auto decoded = queue::DecodeEvent(entry.event);
    if (!decoded) {
      // Retrying cannot fix an entry that is not an event: dead-letter now.
      DeadLetter(entry, nullptr, "decode", decoded.error().message, 1);
      continue;
    }
    if (entry.simulate_failure) {
      simulated.push_back({Item{std::move(entry), std::move(decoded.value())}, kSimulatedError});
      continue;
    }
    batch.ids.push_back(entry.id);
    batch.entries.push_back(std::move(entry));
    batch.events.push_back(std::move(decoded.value()));
  }
  std::vector<Rejected> rejected = StoreBatch(batch);
  rejected.insert(rejected.end(), simulated.begin(), simulated.end());
  for (const Rejected& r : rejected) {
    if (stop_.stopped()) return;  // left pending: reclaimed after a restart
    RetryThenDeadLetter(r);
  }
}

std::vector<Consumer::Rejected> Consumer::StoreBatch(const Batch& batch) {
  if (batch.events.empty()) return {};
  for (int attempt = 1;; ++attempt) {
    const auto started = std::chrono::steady_clock::now();
    sdk::Result<std::size_t> stored = store_.InsertBatch(batch.events);
    if (stored) {
      stats_.stored += static_cast<int64_t>(stored.value());
      stats_.already_stored += static_cast<int64_t>(batch.events.size() - stored.value());
      if (stats_.observer != nullptr) {
        stats_.observer->OnBatchStored(
            batch.events.size(),
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
      }
      Ack(batch.ids);
      return {};
    }
    if (stored.error().code == "db_rejected") return StoreOneByOne(batch);
    spdlog::warn("worker {}: batch of {} not stored, retry {}: {}", name_, batch.events.size(),
                 attempt, stored.error().message);
    if (Backoff(attempt, batch.ids)) return {};
  }
}

std::vector<Consumer::Rejected> Consumer::StoreOneByOne(const Batch& batch) {
  std::vector<Rejected> rejected;
  std::vector<std::string> stored_ids;
  for (std::size_t i = 0; i < batch.events.size(); ++i) {
    const std::string& id = batch.ids[i];
    for (int attempt = 1;; ++attempt) {
      sdk::Result<std::size_t> stored = store_.InsertBatch({batch.events[i]});
      if (stored) {
        stats_.stored += static_cast<int64_t>(stored.value());
        stats_.already_stored += 1 - static_cast<int64_t>(stored.value());
        stored_ids.push_back(id);
        break;
      }
      if (stored.error().code == "db_rejected") {
        rejected.push_back({Item{batch.entries[i], batch.events[i]}, stored.error().message});
        break;
      }
      if (Backoff(attempt, {id})) {
        Ack(stored_ids);
        return {};
      }
    }
  }
  Ack(stored_ids);
  return rejected;
}

void Consumer::RetryThenDeadLetter(const Rejected& rejected) {
  const Item& item = rejected.item;
  std::string error = rejected.error;
  spdlog::warn("worker {}: event {} ({}) rejected: {}", name_, item.event.event_id,
               item.event.provider_message_id, error);
  for (int retry = 1; retry <= options_.max_retries;) {
    if (Backoff(retry, {item.entry.id})) return;
    if (item.entry.simulate_failure) {
      ++retry;
      continue;
    }
    sdk::Result<std::size_t> stored = store_.InsertBatch({item.event});
    if (stored) {
      stats_.stored += static_cast<int64_t>(stored.value());
      Ack({item.entry.id});
      return;
    }
    // An unreachable database says nothing about this row: not a retry.
    if (stored.error().code == "db_rejected") {
      error = stored.error().message;
      ++retry;
    }
  }
  DeadLetter(item.entry, &item.event, "persist", error, 1 + options_.max_retries);
}

void Consumer::DeadLetter(const queue::StreamEntry& entry, const sdk::ConversationEvent* event,
                          const std::string& stage, const std::string& error, int attempts) {
  store::FailureRecord record{.event_id = event ? event->event_id : entry.id,
                              .tenant_id = event ? event->tenant_id : "",
                              .channel = event ? std::string(sdk::ChannelName(event->channel)) : "",
                              .provider_message_id = event ? event->provider_message_id : "",
                              .stage = stage,
                              .error = error,
                              .payload = entry.event,
                              .attempts = attempts};
  // The durable record first: a dead letter must survive a Redis flush.
  for (int attempt = 1;; ++attempt) {
    auto recorded = store_.RecordFailure(record);
    if (recorded || recorded.error().code == "db_rejected") {
      if (!recorded) spdlog::error("cannot record failure: {}", recorded.error().message);
      break;
    }
    if (Backoff(attempt, {entry.id})) return;
  }
  auto moved = queue_.MoveToDeadLetters(entry, error, stage, attempts);
  if (!moved) {
    spdlog::error("worker {}: cannot dead-letter {}: {} (stays pending)", name_, entry.id,
                  moved.error().message);
    return;
  }
  stats_.dead_lettered++;
  spdlog::error(
      "worker {}: entry {} moved to the dead-letter queue as {} after {} attempt(s), "
      "stage {}: {}",
      name_, entry.id, moved.value(), attempts, stage, error);
}

void Consumer::Ack(const std::vector<std::string>& ids) {
  if (ids.empty()) return;
  auto acked = queue_.Ack(ids);
  // Stored but not acked: the entries are re-delivered later and their
  // insert is a no-op (ON CONFLICT DO NOTHING). Nothing is lost.
  if (!acked) spdlog::warn("worker {}: ack failed: {}", name_, acked.error().message);
}

bool Consumer::Backoff(int attempt, const std::vector<std::string>& ids) {
  stats_.retries++;
  if (stop_.WaitFor(BackoffMs(attempt, options_.base_backoff_ms, options_.max_backoff_ms))) {
    return true;
  }
  (void)queue_.Touch(name_, ids);
  return false;
}

}  // namespace mccig::worker
