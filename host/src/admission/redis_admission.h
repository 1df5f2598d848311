// redis_admission.h — Admission backed by one Lua script on Redis.
//
// Each AdmitBatch is one EVALSHA of host/lua/admission.lua (one round trip,
// whatever the batch size): the duplicate check, the tenant's token bucket
// and the claim happen atomically with one XADD of every accepted event, as
// one stream entry, so "201" means "in the stream" and a refused event
// claims nothing. When Redis cannot be reached the answer is kUnavailable
// and nothing is accepted; the connection pool reconnects by itself.
// Thread-safe: the pool hands each caller its own connection.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <unordered_map>

#include "admission/admission.h"
#include "config/config.h"
#include "redis/redis_pool.h"
#include "redis/redis_script.h"

namespace mccig::admission {

struct AdmissionSettings {
  int64_t idempotency_ttl_seconds = 86400;
  config::RateLimit default_limit{};
  std::unordered_map<std::string, config::RateLimit> tenant_limits{};

  static AdmissionSettings FromConfig(const config::Config& config);
  const config::RateLimit& LimitFor(const std::string& tenant) const;
};

// The tokens in a bucket stored as "<tokens> <last refill ms>" (absent:
// empty text, a full bucket) at `now_ms`; admission.lua's formula.
double TokensAt(std::string_view stored, int64_t now_ms, int64_t capacity,
                double refill_per_second);

class RedisAdmission final : public Admission {
 public:
  RedisAdmission(redis::Pool& pool, AdmissionSettings settings);
  std::vector<AdmissionResult> AdmitBatch(std::span<const AdmissionItem> items) override;
  // TIME and one GET per bucket, pipelined; the refill is computed exactly
  // as admission.lua does it.
  sdk::Result<std::vector<BucketState>> Buckets(const std::vector<std::string>& tenants) override;

  // New tenant limits and TTL (SIGHUP); admissions in flight keep the old.
  void UpdateSettings(AdmissionSettings settings);

 private:
  redis::Pool& pool_;
  std::atomic<std::shared_ptr<const AdmissionSettings>> settings_;
  redis::Script script_;
};

}  // namespace mccig::admission
