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

// The script's arguments for `items` (see admission.lua for the layout):
// the events grouped by tenant, each tenant's in their order; `order`
// says which item each of the script's events is.
struct ScriptCall {
  std::vector<std::string> keys;
  std::vector<std::string> args;
  std::vector<std::size_t> order;      // the script's k-th event is items[order[k]]
  std::vector<int64_t> capacity_of;    // per item
  std::vector<std::size_t> events_of;  // per tenant, in the script's order

  ScriptCall(const AdmissionSettings& settings, std::span<const AdmissionItem> items) {
    // A call names few tenants: a linear search beats a map.
    std::vector<std::string_view> tenants;
    std::vector<std::vector<std::size_t>> items_of;  // per tenant
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string& tenant = items[i].event->tenant_id;
      const auto it = std::find(tenants.begin(), tenants.end(), tenant);
      const auto t = static_cast<std::size_t>(it - tenants.begin());
      if (it == tenants.end()) {
        tenants.push_back(tenant);
        items_of.emplace_back();
      }
      items_of[t].push_back(i);
    }
    for (const auto& of : items_of) events_of.push_back(of.size());
    keys.reserve(2 + 3 * tenants.size());
    keys.emplace_back(queue::kStreamKey);
    keys.emplace_back(queue::kQueuedEventsKey);
    args.reserve(4 + 3 * tenants.size() + 2 * items.size());
    args.push_back(std::to_string(tenants.size()));
    args.push_back(std::to_string(settings.idempotency_ttl_seconds));
    capacity_of.resize(items.size());
    for (std::size_t t = 0; t < tenants.size(); ++t) {
      keys.push_back(BucketKey(tenants[t]));
      keys.push_back(IdempotencyGenerationKey(tenants[t], 0));
      keys.push_back(IdempotencyGenerationKey(tenants[t], 1));
      const config::RateLimit& limit =
          settings.LimitFor(items[items_of[t].front()].event->tenant_id);
      args.push_back(std::to_string(limit.capacity));
      args.push_back(FormatRate(limit.refill_per_second));
      args.push_back(std::to_string(items_of[t].size()));
      for (std::size_t i : items_of[t]) {
        order.push_back(i);
        capacity_of[i] = limit.capacity;
      }
    }
    std::string joined, simulated;
    joined.reserve(items.size() * 640);
    for (std::size_t k = 0; k < order.size(); ++k) {
      if (k > 0) joined += '\n';
      queue::AppendEncodedEvent(*items[order[k]].event, joined, items[order[k]].raw_metadata_text);
      if (items[order[k]].options.simulate_worker_failure) {
        simulated.append(std::to_string(k + 1)).append(" ");  // the script counts from 1
      }
    }
    args.push_back(std::move(joined));
    args.push_back(std::move(simulated));
    for (std::size_t i : order) {
      const sdk::ConversationEvent& e = *items[i].event;
      args.push_back(e.event_id);
      args.push_back(IdempotencyField(sdk::ChannelName(e.channel), e.provider_message_id));
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

// The results of a call whose every event was accepted, from the script's
// short reply: "accepted", then each tenant's tokens before the call; the
// k-th event of a tenant leaves that many less k.
std::vector<AdmissionResult> AllAccepted(const ScriptCall& call, const redisReply* r) {
  std::vector<AdmissionResult> results(call.order.size());
  std::size_t k = 0;
  for (std::size_t t = 0; t < call.events_of.size(); ++t) {
    const redisReply* before = r->element[t + 1];
    int64_t remaining = before->type == REDIS_REPLY_INTEGER ? before->integer : 0;
    for (std::size_t n = 0; n < call.events_of[t]; ++n, ++k) {
      const std::size_t i = call.order[k];
      results[i] = AdmissionResult{.status = AdmissionStatus::kAccepted,
                                   .limit = call.capacity_of[i],
                                   .remaining = std::max<int64_t>(0, --remaining)};
    }
  }
  return results;
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
  if (r->type != REDIS_REPLY_ARRAY) {
    return all(Unavailable("unexpected reply from the admission script"));
  }
  if (r->elements == call.events_of.size() + 1 && Text(r->element[0]) == "accepted") {
    return AllAccepted(call, r);
  }
  if (r->elements != 3 * items.size()) {
    return all(Unavailable("unexpected reply from the admission script"));
  }
  std::vector<AdmissionResult> results(items.size());
  for (std::size_t k = 0; k < items.size(); ++k) {
    const std::size_t i = call.order[k];
    results[i] = ResultOf(r->element[3 * k], r->element[3 * k + 1], r->element[3 * k + 2],
                          call.capacity_of[i]);
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
