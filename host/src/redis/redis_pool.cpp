// redis_pool.cpp — see redis_pool.h.
#include "redis/redis_pool.h"

#include "redis/resp_command.h"

namespace mccig::redis {
namespace {

// Past this, a thread's command buffer is given back after use rather than
// kept: a batch admission's command can be a megabyte, most are a few KB.
constexpr std::size_t kKeptBufferBytes = 1 << 20;

// The calling thread's command buffer, empty: grown once, then reused.
std::string& CommandBuffer() {
  thread_local std::string buffer;
  buffer.clear();
  return buffer;
}

void TrimCommandBuffer(std::string& buffer) {
  if (buffer.capacity() > kKeptBufferBytes) std::string().swap(buffer);
}

int64_t NowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

timeval ToTimeval(std::chrono::milliseconds ms) {
  return timeval{static_cast<time_t>(ms.count() / 1000),
                 static_cast<suseconds_t>((ms.count() % 1000) * 1000)};
}

sdk::Error Unavailable(std::string why) {
  return sdk::Error{"unavailable", std::move(why), {}};
}

// Sends a setup command on a fresh connection; false (with `why`) on failure.
bool Setup(redisContext* c, std::initializer_list<std::string> args, std::string& why) {
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  auto* reply = static_cast<redisReply*>(
      redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data()));
  if (reply == nullptr) {
    why = c->errstr;
    return false;
  }
  const bool ok = reply->type != REDIS_REPLY_ERROR;
  if (!ok) why = std::string(*args.begin()) + " failed: " + std::string(reply->str, reply->len);
  freeReplyObject(reply);
  return ok;
}

}  // namespace

Lease::Lease(Pool* pool, redisContext* context) : pool_(pool), context_(context) {}

Lease::Lease(Lease&& other) noexcept : pool_(other.pool_), context_(other.context_) {
  other.pool_ = nullptr;
  other.context_ = nullptr;
}

Lease::~Lease() {
  if (pool_ != nullptr) pool_->Release(context_);
}

void Lease::Drop() {
  if (context_ != nullptr) redisFree(context_);
  context_ = nullptr;
}

sdk::Result<Reply> Lease::Finish(redisReply* raw) {
  if (raw == nullptr) {
    std::string why = context_ != nullptr && context_->err != 0 ? context_->errstr : "no reply";
    Drop();
    return Unavailable("redis I/O error: " + why);
  }
  return ReplyOrError(Reply(raw));
}

sdk::Result<Reply> ReplyOrError(Reply reply) {
  if (reply->type == REDIS_REPLY_ERROR) {
    return sdk::Error{"redis_error", std::string(reply->str, reply->len), {}};
  }
  return reply;
}

sdk::Result<Reply> Lease::Command(const std::vector<std::string_view>& args) {
  return Run(args);
}

sdk::Result<Reply> Lease::Command(std::initializer_list<std::string_view> args) {
  return Run(std::span(args.begin(), args.size()));
}

sdk::Result<Reply> Lease::Run(std::span<const std::string_view> args) {
  if (context_ == nullptr) return Unavailable("connection dropped");
  std::string& buffer = CommandBuffer();
  AppendRespCommand(buffer, args);
  const int appended = redisAppendFormattedCommand(context_, buffer.data(), buffer.size());
  TrimCommandBuffer(buffer);
  void* raw = nullptr;
  // As redisCommandArgv: no reply (null) when sending or reading failed.
  if (appended != REDIS_OK || redisGetReply(context_, &raw) != REDIS_OK) raw = nullptr;
  return Finish(static_cast<redisReply*>(raw));
}

sdk::Result<std::vector<Reply>> Lease::Pipeline(
    const std::vector<std::vector<std::string_view>>& commands) {
  if (context_ == nullptr) return Unavailable("connection dropped");
  std::string& buffer = CommandBuffer();
  for (const auto& args : commands) AppendRespCommand(buffer, args);
  const int appended = redisAppendFormattedCommand(context_, buffer.data(), buffer.size());
  TrimCommandBuffer(buffer);
  if (appended != REDIS_OK) {
    Drop();
    return Unavailable("redis: cannot buffer a pipelined command");
  }
  std::vector<Reply> replies;
  replies.reserve(commands.size());
  for (std::size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr) {
      std::string why = context_->errstr;
      Drop();
      return Unavailable("redis I/O error: " + why);
    }
    replies.emplace_back(static_cast<redisReply*>(raw));
  }
  return replies;
}

Pool::Pool(Endpoint endpoint, PoolOptions options)
    : endpoint_(std::move(endpoint)), options_(options), free_slots_(options.size) {}

Pool::~Pool() {
  for (redisContext* c : idle_) redisFree(c);
}

sdk::Result<redisContext*> Pool::Connect() {
  {
    std::lock_guard lock(mutex_);
    if (NowMs() < next_connect_ms_) {
      return Unavailable("redis at " + endpoint_.Describe() + " is unreachable; retrying shortly");
    }
  }
  const timeval connect_timeout = ToTimeval(options_.connect_timeout);
  redisContext* c =
      endpoint_.unix_socket.empty()
          ? redisConnectWithTimeout(endpoint_.host.c_str(), endpoint_.port, connect_timeout)
          : redisConnectUnixWithTimeout(endpoint_.unix_socket.c_str(), connect_timeout);
  std::string why;
  bool ok = c != nullptr && c->err == 0;
  if (!ok) why = c != nullptr ? c->errstr : "out of memory";
  if (ok) ok = redisSetTimeout(c, ToTimeval(options_.command_timeout)) == REDIS_OK;
  if (ok && !endpoint_.password.empty()) {
    ok = endpoint_.username.empty()
             ? Setup(c, {"AUTH", endpoint_.password}, why)
             : Setup(c, {"AUTH", endpoint_.username, endpoint_.password}, why);
  }
  if (ok && endpoint_.db != 0) ok = Setup(c, {"SELECT", std::to_string(endpoint_.db)}, why);
  if (!ok) {
    if (c != nullptr) redisFree(c);
    std::lock_guard lock(mutex_);
    next_connect_ms_ = NowMs() + kReconnectIntervalMs;
    return Unavailable("cannot connect to redis at " + endpoint_.Describe() + ": " + why);
  }
  return c;
}

sdk::Result<Lease> Pool::Acquire() {
  redisContext* context = nullptr;
  {
    std::unique_lock lock(mutex_);
    if (!released_.wait_for(lock, options_.lease_timeout, [&] { return free_slots_ > 0; })) {
      return Unavailable("all redis connections are busy");
    }
    --free_slots_;
    if (!idle_.empty()) {
      context = idle_.back();
      idle_.pop_back();
      return Lease(this, context);
    }
  }
  sdk::Result<redisContext*> connected = Connect();
  if (!connected) {
    Release(nullptr);
    return connected.error();
  }
  return Lease(this, connected.value());
}

void Pool::Release(redisContext* context) {
  {
    std::lock_guard lock(mutex_);
    if (context != nullptr) idle_.push_back(context);
    ++free_slots_;
  }
  released_.notify_one();
}

}  // namespace mccig::redis
