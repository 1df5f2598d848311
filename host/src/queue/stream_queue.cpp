// stream_queue.cpp — see stream_queue.h.
#include "queue/stream_queue.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <iterator>
#include <thread>

#include "queue/event_codec.h"
#include "resources/resources.h"

namespace mccig::queue {
namespace {

std::string_view View(const redisReply* r) {
  return r != nullptr && (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS)
             ? std::string_view(r->str, r->len)
             : std::string_view();
}

std::string Str(const redisReply* r) {
  return std::string(View(r));
}

int64_t ToInt(std::string_view text) {
  int64_t v = 0;
  std::from_chars(text.data(), text.data() + text.size(), v);
  return v;
}

sdk::Error Unexpected(const char* what) {
  return sdk::Error{"unavailable", std::string("unexpected reply to ") + what, {}};
}

// One stream entry, [id, [field, value, ...]]: its id (empty when the reply
// has another shape) and each field handed to `on_field(name, value)`.
template <typename OnField>
std::string ForEachField(const redisReply* entry, OnField&& on_field) {
  if (entry == nullptr || entry->type != REDIS_REPLY_ARRAY || entry->elements < 2) return {};
  const redisReply* fields = entry->element[1];
  if (fields != nullptr && fields->type == REDIS_REPLY_ARRAY) {
    for (std::size_t i = 0; i + 1 < fields->elements; i += 2) {
      on_field(View(fields->element[i]), View(fields->element[i + 1]));
    }
  }
  return Str(entry->element[0]);
}

StreamEntry ParseEntry(const redisReply* entry) {
  StreamEntry out;
  out.id = ForEachField(entry, [&](std::string_view name, std::string_view value) {
    // "event": an entry of one event, queued by an earlier version.
    if (name == kEventsField || name == kEventField) {
      out.events.reserve(value.size() + kDecodePadding);  // decoded in place (DecodeRow)
      out.events.assign(value);
    }
    if (name == "simulate") out.simulate_failure = value == "failure";
    if (name == "n") out.size = std::max<int64_t>(1, ToInt(value));
  });
  return out;
}

std::vector<StreamEntry> ParseEntries(const redisReply* list) {
  std::vector<StreamEntry> out;
  if (list == nullptr || list->type != REDIS_REPLY_ARRAY) return out;
  for (std::size_t i = 0; i < list->elements; ++i) {
    StreamEntry e = ParseEntry(list->element[i]);
    if (!e.id.empty()) out.push_back(std::move(e));
  }
  return out;
}

DeadLetter ParseDeadLetter(const redisReply* entry) {
  DeadLetter d;
  d.id = ForEachField(entry, [&](std::string_view name, std::string_view value) {
    if (name == kEventField) d.event = value;
    if (name == "error") d.error = value;
    if (name == "stage") d.stage = value;
    if (name == "attempts") d.attempts = static_cast<int>(ToInt(value));
    if (name == "source_id") d.source_id = value;
    if (name == "failed_at_ms") d.failed_at_ms = ToInt(value);
  });
  return d;
}

std::string NowMs() {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count());
}

}  // namespace

StreamQueue::StreamQueue(redis::Pool& pool)
    : pool_(pool),
      read_(std::string(resources::Get("lua/read.lua"))),
      ack_(std::string(resources::Get("lua/ack.lua"))),
      dead_letter_(std::string(resources::Get("lua/dead_letter.lua"))),
      replay_(std::string(resources::Get("lua/replay.lua"))) {}

sdk::Result<bool> StreamQueue::EnsureGroup() {
  auto lease = pool_.Acquire();
  if (!lease) return lease.error();
  auto reply =
      lease.value().Command({"XGROUP", "CREATE", kStreamKey, kConsumerGroup, "0", "MKSTREAM"});
  if (reply) return true;
  if (reply.error().message.starts_with("BUSYGROUP")) return false;  // already there
  return reply.error();
}

namespace {

// "no_group" when the stream or group vanished, whether Redis said so to a
// command or to a script's call.
sdk::Error ReadError(sdk::Error error) {
  if (error.message.find("NOGROUP") != std::string::npos) error.code = "no_group";
  return error;
}

}  // namespace

sdk::Result<std::vector<StreamEntry>> StreamQueue::Read(const std::string& consumer, int events,
                                                        int64_t block_ms, int64_t linger_ms,
                                                        AckFirst* ack_first) {
  auto lease = pool_.Acquire();
  if (!lease) return lease.error();
  // The first command made carries ack_first's ack (RunAfterAck).
  const auto ready = [&](int64_t wanted) -> sdk::Result<std::vector<StreamEntry>> {
    const std::string n = std::to_string(wanted);
    std::string numkeys;
    auto reply =
        RunAfterAck(lease.value(), ack_first, &read_,
                    read_.EvalArgs({kStreamKey}, {kConsumerGroup, consumer, n, "new"}, numkeys));
    if (!reply) return ReadError(reply.error());
    return ParseEntries(reply.value().get());
  };
  // One entry, waiting up to block_ms for it; bounded whatever it holds
  // (an entry holds at most one admission call's events).
  const auto one = [&]() -> sdk::Result<std::vector<StreamEntry>> {
    const std::string block = std::to_string(block_ms);
    auto reply = RunAfterAck(lease.value(), ack_first, nullptr,
                             {"XREADGROUP", "GROUP", kConsumerGroup, consumer, "COUNT", "1",
                              "BLOCK", block, "STREAMS", kStreamKey, ">"});
    if (!reply) return ReadError(reply.error());
    const redisReply* r = reply.value().get();
    if (r->type == REDIS_REPLY_NIL) return std::vector<StreamEntry>{};
    if (r->type != REDIS_REPLY_ARRAY || r->elements < 1 || r->element[0]->elements < 2) {
      return Unexpected("XREADGROUP");
    }
    return ParseEntries(r->element[0]->element[1]);
  };
  // While entries are about a read's size (batches), the read starts with
  // the plain command: read.lua would carry each entry through Lua, which
  // hashes every byte of it (about 0.8 ms of Redis for a 1000-event entry,
  // against 28 µs for the command alone). Small entries (single requests
  // admitted together) go to read.lua, which takes as many as `events`
  // needs in one round trip.
  const bool large = large_entries_.load(std::memory_order_relaxed);
  std::vector<StreamEntry> got;
  if (!large) {
    auto entries = ready(std::max(1, events));
    if (!entries) return entries;
    got = std::move(entries.value());
  }
  // Large entries, or nothing waiting: one entry, blocking for it.
  const bool took_one = got.empty();
  if (took_one) {
    auto entries = one();
    if (!entries) return entries;
    got = std::move(entries.value());
  }
  int64_t held = 0;
  for (const StreamEntry& e : got) held += e.size;
  if (!got.empty()) {
    const bool large_now = std::any_of(got.begin(), got.end(),
                                       [&](const StreamEntry& e) { return 2 * e.size >= events; });
    large_entries_.store(large_now, std::memory_order_relaxed);
  }
  // Short of `events` after one entry (after a wait, or a large entry):
  // take what else is there, so a burst after a quiet spell is read as one
  // batch. With linger_ms, first let more gather, so a steady trickle is
  // one read and one transaction every linger_ms rather than one every few
  // events.
  if (got.empty() || held >= events || (!took_one && linger_ms <= 0)) return got;
  if (linger_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(linger_ms));
  auto rest = ready(events - held);
  // Delivered either way: an error here leaves those pending, reclaimed later.
  if (rest) std::move(rest.value().begin(), rest.value().end(), std::back_inserter(got));
  return got;
}

sdk::Result<std::vector<StreamEntry>> StreamQueue::Reclaim(const std::string& consumer,
                                                           int64_t min_idle_ms, int events,
                                                           AckFirst* ack_first) {
  auto lease = pool_.Acquire();
  if (!lease) return lease.error();
  const std::string wanted = std::to_string(std::max(1, events));
  const std::string idle = std::to_string(min_idle_ms);
  std::string numkeys;
  auto reply = RunAfterAck(
      lease.value(), ack_first, &read_,
      read_.EvalArgs({kStreamKey}, {kConsumerGroup, consumer, wanted, "reclaim", idle}, numkeys));
  if (!reply) return ReadError(reply.error());
  return ParseEntries(reply.value().get());
}

sdk::Result<int64_t> StreamQueue::Touch(const std::string& consumer,
                                        const std::vector<std::string>& ids) {
  if (ids.empty()) return int64_t{0};
  auto lease = pool_.Acquire();
  if (!lease) return lease.error();
  std::vector<std::string_view> args = {"XCLAIM", kStreamKey, kConsumerGroup, consumer, "0"};
  args.insert(args.end(), ids.begin(), ids.end());
  args.push_back("JUSTID");
  auto reply = lease.value().Command(args);
  if (!reply) return reply.error();
  return static_cast<int64_t>(reply.value()->elements);
}

namespace {

// ack.lua's arguments for `entries`; `counts` holds the numbers' text.
std::vector<std::string_view> AckArgs(const std::vector<SettledEntry>& entries,
                                      std::vector<std::string>& counts) {
  counts.reserve(entries.size());
  for (const SettledEntry& e : entries) counts.push_back(std::to_string(e.events));
  std::vector<std::string_view> args = {kConsumerGroup};
  for (std::size_t i = 0; i < entries.size(); ++i) {
    args.push_back(entries[i].id);
    args.push_back(counts[i]);
  }
  return args;
}

const std::vector<std::string_view> kAckKeys = {kStreamKey, kQueuedEventsKey};

sdk::Result<int64_t> AckCount(sdk::Result<redis::Reply> reply) {
  if (!reply) return reply.error();
  return reply.value()->integer;
}

}  // namespace

sdk::Result<int64_t> StreamQueue::Ack(const std::vector<SettledEntry>& entries) {
  if (entries.empty()) return int64_t{0};
  auto lease = pool_.Acquire();
  if (!lease) return lease.error();
  std::vector<std::string> counts;
  return AckCount(ack_.Run(lease.value(), kAckKeys, AckArgs(entries, counts)));
}

sdk::Result<redis::Reply> StreamQueue::RunAfterAck(redis::Lease& lease, AckFirst* ack_first,
                                                   const redis::Script* script,
                                                   const std::vector<std::string_view>& command) {
  const auto reloaded = [&](sdk::Result<redis::Reply> reply) {
    if (script == nullptr) return reply;
    return script->Reloaded(lease, command, std::move(reply));
  };
  if (ack_first == nullptr || ack_first->outcome || ack_first->entries.empty()) {
    return reloaded(lease.Command(command));
  }
  std::vector<std::string> counts;
  std::string numkeys;
  const std::vector<std::string_view> ack =
      ack_.EvalArgs(kAckKeys, AckArgs(ack_first->entries, counts), numkeys);
  auto replies = lease.Pipeline({ack, command});
  if (!replies) {
    ack_first->outcome = replies.error();
    return replies.error();
  }
  // Redis runs the two in order, so a NOSCRIPT (it lost its scripts) is
  // answered by loading the script and sending that call again on its own.
  ack_first->outcome =
      AckCount(ack_.Reloaded(lease, ack, redis::ReplyOrError(std::move(replies.value()[0]))));
  return reloaded(redis::ReplyOrError(std::move(replies.value()[1])));
}

sdk::Result<std::vector<std::string>> StreamQueue::MoveToDeadLetters(
    const SettledEntry& entry, const std::vector<FailedEvent>& failed) {
  auto lease = pool_.Acquire();
  if (!lease) return lease.error();
  const std::string events = std::to_string(entry.events);
  const std::string now = NowMs();
  std::vector<std::string> attempts;
  attempts.reserve(failed.size());
  for (const FailedEvent& f : failed) attempts.push_back(std::to_string(f.attempts));
  std::vector<std::string_view> args = {kConsumerGroup, entry.id, events, now};
  for (std::size_t i = 0; i < failed.size(); ++i) {
    args.insert(args.end(), {failed[i].event, failed[i].error, failed[i].stage, attempts[i]});
  }
  auto reply =
      dead_letter_.Run(lease.value(), {kStreamKey, kDeadLetterKey, kQueuedEventsKey}, args);
  if (!reply) return reply.error();
  std::vector<std::string> ids;
  const redisReply* r = reply.value().get();
  for (std::size_t i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements; ++i) {
    ids.push_back(Str(r->element[i]));
  }
  return ids;
}

sdk::Result<std::string> StreamQueue::Enqueue(const std::vector<std::string>& events,
                                              bool simulate_failure) {
  std::string joined;
  for (const std::string& e : events) {
    if (!joined.empty()) joined += '\n';
    joined += e;
  }
  const std::string count = std::to_string(events.size());
  std::vector<std::string_view> add = {"XADD", kStreamKey, "*", kEventsField, joined, "n", count};
  if (simulate_failure) add.insert(add.end(), {"simulate", "failure"});
  auto lease = pool_.Acquire();
  if (!lease) return lease.error();
  auto replies =
      lease.value().Pipeline({{"MULTI"}, add, {"INCRBY", kQueuedEventsKey, count}, {"EXEC"}});
  if (!replies) return replies.error();
  const redisReply* exec = replies.value().back().get();
  if (exec->type != REDIS_REPLY_ARRAY || exec->elements != 2) return Unexpected("EXEC");
  if (exec->element[0]->type == REDIS_REPLY_ERROR) {
    return sdk::Error{"unavailable", Str(exec->element[0]), {}};
  }
  return Str(exec->element[0]);
}

sdk::Result<std::vector<DeadLetter>> StreamQueue::ListDeadLetters(int limit) {
  auto lease = pool_.Acquire();
  if (!lease) return lease.error();
  const std::string n = std::to_string(limit);
  auto reply = lease.value().Command({"XRANGE", kDeadLetterKey, "-", "+", "COUNT", n});
  if (!reply) return reply.error();
  std::vector<DeadLetter> out;
  const redisReply* r = reply.value().get();
  for (std::size_t i = 0; i < r->elements; ++i) out.push_back(ParseDeadLetter(r->element[i]));
  return out;
}

sdk::Result<std::vector<std::string>> StreamQueue::Replay(std::vector<std::string> ids, int limit) {
  if (ids.empty()) {
    auto all = ListDeadLetters(limit);
    if (!all) return all.error();
    for (const auto& d : all.value()) ids.push_back(d.id);
    if (ids.empty()) return std::vector<std::string>{};
  }
  auto lease = pool_.Acquire();
  if (!lease) return lease.error();
  std::vector<std::string_view> args(ids.begin(), ids.end());
  auto reply = replay_.Run(lease.value(), {kDeadLetterKey, kStreamKey, kQueuedEventsKey}, args);
  if (!reply) return reply.error();
  std::vector<std::string> moved;
  const redisReply* r = reply.value().get();
  for (std::size_t i = 0; i < r->elements; ++i) moved.push_back(Str(r->element[i]->element[0]));
  return moved;
}

sdk::Result<bool> StreamQueue::RemoveConsumerIfIdle(const std::string& consumer) {
  auto lease = pool_.Acquire();
  if (!lease) return lease.error();
  auto pending =
      lease.value().Command({"XPENDING", kStreamKey, kConsumerGroup, "-", "+", "1", consumer});
  if (!pending) return pending.error();
  if (pending.value()->elements > 0) return false;
  auto removed =
      lease.value().Command({"XGROUP", "DELCONSUMER", kStreamKey, kConsumerGroup, consumer});
  if (!removed) return removed.error();
  return true;
}

sdk::Result<QueueStats> StreamQueue::Stats() {
  auto lease = pool_.Acquire();
  if (!lease) return lease.error();
  auto replies = lease.value().Pipeline({{"XLEN", kStreamKey},
                                         {"XPENDING", kStreamKey, kConsumerGroup},
                                         {"XLEN", kDeadLetterKey},
                                         {"XRANGE", kStreamKey, "-", "+", "COUNT", "1"},
                                         {"TIME"},
                                         {"GET", kQueuedEventsKey}});
  if (!replies) return replies.error();
  const auto& r = replies.value();
  QueueStats s;
  s.entries = r[0]->type == REDIS_REPLY_INTEGER ? r[0]->integer : 0;
  // An entry holds at least one event, whatever the count says (ack.lua).
  s.length = std::max(s.entries, ToInt(Str(r[5].get())));
  if (s.entries == 0) s.length = 0;
  // XPENDING answers NOGROUP before the first worker ran: nothing pending.
  if (r[1]->type == REDIS_REPLY_ARRAY && r[1]->elements >= 1 &&
      r[1]->element[0]->type == REDIS_REPLY_INTEGER) {
    s.pending = r[1]->element[0]->integer;
  }
  s.dead_letters = r[2]->type == REDIS_REPLY_INTEGER ? r[2]->integer : 0;
  if (r[3]->type == REDIS_REPLY_ARRAY && r[3]->elements == 1 && r[4]->elements == 2) {
    const std::string oldest = Str(r[3]->element[0]->element[0]);
    const int64_t now_ms =
        ToInt(Str(r[4]->element[0])) * 1000 + ToInt(Str(r[4]->element[1])) / 1000;
    s.oldest_age_ms = std::max<int64_t>(0, now_ms - ToInt(oldest.substr(0, oldest.find('-'))));
  }
  return s;
}

}  // namespace mccig::queue
