// redis_pool.h — a fixed pool of blocking hiredis connections.
//
// Each caller (an admission batcher, a handler thread, a worker consumer)
// leases one connection for the duration of its commands, so the pool is
// sized to the callers and leasing rarely waits.
// Connections are made lazily with a connect timeout and carry a command
// timeout. A connection that fails an I/O operation is dropped, and the next
// lease reconnects: when Redis comes back the pool heals by itself. While
// Redis is down, connection attempts are spaced out (at most one every
// kReconnectIntervalMs per pool) so requests fail fast instead of each
// waiting for a connect timeout. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <hiredis/hiredis.h>
#include <mccig/sdk/result.h>

#include "redis/redis_url.h"

namespace mccig::redis {

struct ReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

// A reply as Lease::Command reports it: Redis's error reply becomes the
// error "redis_error" (its text the message). For Pipeline's replies.
sdk::Result<Reply> ReplyOrError(Reply reply);

struct PoolOptions {
  std::size_t size = 16;
  std::chrono::milliseconds connect_timeout{500};
  std::chrono::milliseconds command_timeout{2000};
  std::chrono::milliseconds lease_timeout{2000};
};

class Pool;

// One leased connection; returned to the pool when destroyed.
class Lease {
 public:
  Lease(Lease&& other) noexcept;
  Lease& operator=(Lease&&) = delete;
  ~Lease();

  // Runs one command. Errors: "unavailable" (I/O: the connection is dropped)
  // or "redis_error" (Redis answered with an error reply; kept in message).
  sdk::Result<Reply> Command(std::initializer_list<std::string_view> args);
  sdk::Result<Reply> Command(const std::vector<std::string_view>& args);

  // Pipelines several commands in one round trip; replies in order.
  sdk::Result<std::vector<Reply>> Pipeline(
      const std::vector<std::vector<std::string_view>>& commands);

 private:
  friend class Pool;
  Lease(Pool* pool, redisContext* context);
  sdk::Result<Reply> Run(std::span<const std::string_view> args);
  sdk::Result<Reply> Finish(redisReply* reply);
  void Drop();

  Pool* pool_;
  redisContext* context_;  // null once dropped
};

class Pool {
 public:
  Pool(Endpoint endpoint, PoolOptions options);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // A connected lease, or "unavailable" when Redis cannot be reached.
  sdk::Result<Lease> Acquire();

  const Endpoint& endpoint() const { return endpoint_; }

  static constexpr int64_t kReconnectIntervalMs = 250;

 private:
  friend class Lease;
  void Release(redisContext* context);
  sdk::Result<redisContext*> Connect();

  Endpoint endpoint_;
  PoolOptions options_;
  std::mutex mutex_;
  std::condition_variable released_;
  std::vector<redisContext*> idle_;  // connected, free
  std::size_t free_slots_;           // leases that may still be handed out
  int64_t next_connect_ms_ = 0;      // no connect attempt before this time
};

}  // namespace mccig::redis
