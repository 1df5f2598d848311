// redis_admission.cpp — see redis_admission.h.
#include "admission/redis_admission.h"

#include <algorithm>
#include <charconv>

#include <spdlog/spdlog.h>

#include "admission/admission_keys.h"
#include "queue/event_codec.h"
#include "resources/resources.h"

namespace mccig::admission {
namespace {

constexpr int64_t kUnavailableRetryMs = 1000;

AdmissionResult Unavailable(std::string detail) {
  return AdmissionResult{.status = AdmissionStatus::kUnavailable,
                         .retry_after_ms = kUnavailableRetryMs,
                         .detail = std::move(detail)};
}

std::string FormatRate(double rate) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, rate);
  return std::string(buf, end);
}

}  // namespace

AdmissionSettings AdmissionSettings::FromConfig(const config::Config& config) {
  AdmissionSettings s;
  s.idempotency_ttl_seconds = config.idempotency_ttl_seconds;
  s.default_limit = config.rate_limit;
  for (const auto& t : config.tenants) s.tenant_limits[t.id] = t.rate_limit;
  return s;
}

const config::RateLimit& AdmissionSettings::LimitFor(const std::string& tenant) const {
  const auto it = tenant_limits.find(tenant);
  return it == tenant_limits.end() ? default_limit : it->second;
}

RedisAdmission::RedisAdmission(redis::Pool& pool, AdmissionSettings settings)
    : pool_(pool),
      settings_(std::make_shared<const AdmissionSettings>(std::move(settings))),
      script_(std::string(resources::Get("lua/admission.lua"))) {}

void RedisAdmission::UpdateSettings(AdmissionSettings settings) {
  settings_.store(std::make_shared<const AdmissionSettings>(std::move(settings)));
}

namespace {

// The script's arguments for `items` (see admission.lua for the layout).
struct ScriptCall {
  std::vector<std::string> keys;
  std::vector<std::string> args;
  std::vector<int64_t> capacities;          // per bucket
  std::vector<std::size_t> bucket_of_item;  // the script's 1-based bucket number

  int64_t CapacityOf(std::size_t item) const { return capacities[bucket_of_item[item] - 1]; }

  ScriptCall(const AdmissionSettings& settings, std::span<const AdmissionItem> items) {
    // Bucket b + 1 belongs to tenants[b]; a batch names few tenants.
    std::vector<std::string_view> tenants;
    std::vector<std::string> bucket_args;
    for (const AdmissionItem& item : items) {
      const std::string& tenant = item.event->tenant_id;
      auto it = std::find(tenants.begin(), tenants.end(), tenant);
      if (it == tenants.end()) {
        const config::RateLimit& limit = settings.LimitFor(tenant);
        bucket_args.push_back(std::to_string(limit.capacity));
        bucket_args.push_back(FormatRate(limit.refill_per_second));
        capacities.push_back(limit.capacity);
        it = tenants.insert(tenants.end(), tenant);
      }
      bucket_of_item.push_back(static_cast<std::size_t>(it - tenants.begin()) + 1);
    }
    keys.reserve(2 + 3 * tenants.size());
    keys.emplace_back(queue::kStreamKey);
    keys.emplace_back(queue::kQueuedEventsKey);
    for (std::string_view t : tenants) {
      keys.push_back(BucketKey(t));
      keys.push_back(IdempotencyGenerationKey(t, 0));
      keys.push_back(IdempotencyGenerationKey(t, 1));
    }
    args.reserve(3 + bucket_args.size() + 5 * items.size());
    args.push_back(std::to_string(tenants.size()));
    args.push_back(std::to_string(settings.idempotency_ttl_seconds));
    for (auto& a : bucket_args) args.push_back(std::move(a));
    const std::size_t joined_at = args.size();  // an index: args grows below
    args.emplace_back().reserve(items.size() * 640);
    for (std::size_t i = 0; i < items.size(); ++i) {
      const sdk::ConversationEvent& e = *items[i].event;
      std::string& joined = args[joined_at];
      if (i > 0) joined += '\n';
      const std::size_t start = joined.size();
      queue::AppendEncodedEvent(e, joined);
      const std::size_t length = joined.size() - start;
      args.push_back(std::to_string(bucket_of_item[i]));
      args.push_back(e.event_id);
      args.push_back(IdempotencyField(sdk::ChannelName(e.channel), e.provider_message_id));
      args.push_back(std::to_string(length));
      args.push_back(items[i].options.simulate_worker_failure ? "1" : "0");
    }
  }
};

std::vector<std::string_view> Views(const std::vector<std::string>& strings) {
  return {strings.begin(), strings.end()};
}

std::string_view Text(const redisReply* r) {
  return r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS
             ? std::string_view(r->str, r->len)
             : std::string_view();
}

// One event's result from its three reply values.
AdmissionResult ResultOf(const redisReply* status, const redisReply* detail,
                         const redisReply* remaining, int64_t capacity) {
  if (status->type != REDIS_REPLY_INTEGER || remaining->type != REDIS_REPLY_INTEGER) {
    return Unavailable("unexpected reply from the admission script");
  }
  AdmissionResult result{.limit = capacity, .remaining = remaining->integer};
  switch (status->integer) {
    case 0:
      result.status = AdmissionStatus::kAccepted;
      return result;
    case 1:
      result.status = AdmissionStatus::kDuplicate;
      result.original_event_id = Text(detail);
      return result;
    case 2:
      result.status = AdmissionStatus::kRateLimited;
      result.retry_after_ms = detail->type == REDIS_REPLY_INTEGER ? detail->integer : 1000;
      return result;
    case 3:
      return Unavailable("the queue refused the event: " + std::string(Text(detail)));
    default:
      return Unavailable("unknown admission status " + std::to_string(status->integer));
  }
}

}  // namespace

std::vector<AdmissionResult> RedisAdmission::AdmitBatch(std::span<const AdmissionItem> items) {
  if (items.empty()) return {};
  const std::shared_ptr<const AdmissionSettings> settings = settings_.load();
  const ScriptCall call(*settings, items);
  // Logged here, once per call, whichever API the events came through.
  const auto all = [&](AdmissionResult r) {
    spdlog::warn("admission unavailable: {}", r.detail);
    return std::vector<AdmissionResult>(items.size(), r);
  };

  sdk::Result<redis::Lease> lease = pool_.Acquire();
  if (!lease) return all(Unavailable(lease.error().message));
  sdk::Result<redis::Reply> reply = script_.Run(lease.value(), Views(call.keys), Views(call.args));
  if (!reply) return all(Unavailable(reply.error().message));

  const redisReply* r = reply.value().get();
  if (r->type != REDIS_REPLY_ARRAY || r->elements != 3 * items.size()) {
    return all(Unavailable("unexpected reply from the admission script"));
  }
  std::vector<AdmissionResult> results;
  results.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    results.push_back(ResultOf(r->element[3 * i], r->element[3 * i + 1], r->element[3 * i + 2],
                               call.CapacityOf(i)));
  }
  const auto failed = std::find_if(results.begin(), results.end(), [](const AdmissionResult& x) {
    return x.status == AdmissionStatus::kUnavailable;
  });
  if (failed != results.end()) spdlog::warn("admission unavailable: {}", failed->detail);
  return results;
}

}  // namespace mccig::admission

namespace mccig::admission {

double TokensAt(std::string_view stored, int64_t now_ms, int64_t capacity,
                double refill_per_second) {
  const auto full = static_cast<double>(capacity);
  const std::size_t space = stored.find(' ');
  if (stored.empty() || space == std::string_view::npos) return full;
  double tokens = 0;
  int64_t last_ms = 0;
  const char* begin = stored.data();
  const char* end = begin + stored.size();
  if (std::from_chars(begin, begin + space, tokens).ec != std::errc() ||
      std::from_chars(begin + space + 1, end, last_ms).ec != std::errc()) {
    return full;  // not a bucket this version wrote: the next admission resets it
  }
  const double refilled =
      static_cast<double>(std::max<int64_t>(0, now_ms - last_ms)) * refill_per_second / 1000.0;
  return std::min(full, tokens + refilled);
}

sdk::Result<std::vector<BucketState>> RedisAdmission::Buckets(
    const std::vector<std::string>& tenants) {
  const std::shared_ptr<const AdmissionSettings> settings = settings_.load();
  std::vector<std::string> keys;
  for (const auto& t : tenants) keys.push_back(BucketKey(t));
  std::vector<std::vector<std::string_view>> commands = {{"TIME"}};
  for (const auto& k : keys) commands.push_back({"GET", k});

  sdk::Result<redis::Lease> lease = pool_.Acquire();
  if (!lease) return lease.error();
  auto replies = lease.value().Pipeline(commands);
  if (!replies) return replies.error();
  const redisReply* time = replies.value()[0].get();
  if (time->type != REDIS_REPLY_ARRAY || time->elements != 2) {
    return sdk::Error{"unavailable", "unexpected reply to TIME", {}};
  }
  const int64_t now_ms =
      std::stoll(time->element[0]->str) * 1000 + std::stoll(time->element[1]->str) / 1000;
  std::vector<BucketState> buckets;
  for (std::size_t i = 0; i < tenants.size(); ++i) {
    const redisReply* r = replies.value()[i + 1].get();
    const std::string_view stored =
        r->type == REDIS_REPLY_STRING ? std::string_view(r->str, r->len) : std::string_view();
    const config::RateLimit& limit = settings->LimitFor(tenants[i]);
    buckets.push_back(
        BucketState{.tenant = tenants[i],
                    .capacity = limit.capacity,
                    .refill_per_second = limit.refill_per_second,
                    .tokens = TokensAt(stored, now_ms, limit.capacity, limit.refill_per_second)});
  }
  return buckets;
}

}  // namespace mccig::admission
