// redis_admission.cpp — see redis_admission.h.
#include "admission/redis_admission.h"

#include <charconv>

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

AdmissionResult RedisAdmission::Admit(const sdk::ConversationEvent& event,
                                      const AdmitOptions& options) {
  const std::shared_ptr<const AdmissionSettings> settings = settings_.load();
  const config::RateLimit& limit = settings->LimitFor(event.tenant_id);
  const std::string idem =
      IdempotencyKey(event.tenant_id, sdk::ChannelName(event.channel), event.provider_message_id);
  const std::string bucket = BucketKey(event.tenant_id);
  const std::string capacity = std::to_string(limit.capacity);
  const std::string rate = FormatRate(limit.refill_per_second);
  const std::string ttl = std::to_string(settings->idempotency_ttl_seconds);
  const std::string encoded = queue::EncodeEvent(event);

  sdk::Result<redis::Lease> lease = pool_.Acquire();
  if (!lease) return Unavailable(lease.error().message);
  sdk::Result<redis::Reply> reply = script_.Run(
      lease.value(), {queue::kStreamKey, idem, bucket},
      {capacity, rate, ttl, encoded, event.event_id, options.simulate_worker_failure ? "1" : "0"});
  if (!reply) return Unavailable(reply.error().message);

  const redisReply* r = reply.value().get();
  if (r->type != REDIS_REPLY_ARRAY || r->elements < 4 ||
      r->element[0]->type != REDIS_REPLY_INTEGER) {
    return Unavailable("unexpected reply from the admission script");
  }
  const int64_t status = r->element[0]->integer;
  AdmissionResult result{.limit = limit.capacity};
  result.retry_after_ms = r->element[1]->integer;
  result.remaining = r->element[2]->integer;
  switch (status) {
    case 0:
      result.status = AdmissionStatus::kAccepted;
      break;
    case 1:
      result.status = AdmissionStatus::kDuplicate;
      if (r->element[3]->type == REDIS_REPLY_STRING) {
        result.original_event_id.assign(r->element[3]->str, r->element[3]->len);
      }
      break;
    case 2:
      result.status = AdmissionStatus::kRateLimited;
      break;
    default:
      return Unavailable("unknown admission status " + std::to_string(status));
  }
  return result;
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
