// internal_views.cpp — see internal_views.h.
#include "http/internal_views.h"

#include <map>
#include <utility>

#include "ingest/ingest_pipeline.h"
#include "plugins/plugin_description.h"

namespace mccig::http {
namespace {

constexpr int kDeadLettersScanned = 1000;  // the DLQ breakdown reads at most this many

nlohmann::json QueueJson(const queue::QueueStats& q) {
  return {{"length", q.length},
          {"pending", q.pending},
          {"dead_letters", q.dead_letters},
          {"oldest_age_seconds", static_cast<double>(q.oldest_age_ms) / 1000.0}};
}

nlohmann::json WorkerJson(const worker::WorkerStats& w) {
  return {{"batches", w.batches.load()},
          {"stored", w.stored.load()},
          {"already_stored", w.already_stored.load()},
          {"retries", w.retries.load()},
          {"dead_lettered", w.dead_lettered.load()},
          {"reclaimed", w.reclaimed.load()}};
}

// Dead letters counted by the tenant and channel of their event.
nlohmann::json DeadLettersByTenantChannel(const std::vector<queue::DeadLetter>& letters) {
  std::map<std::pair<std::string, std::string>, int64_t> counts;
  for (const auto& d : letters) {
    const nlohmann::json event = nlohmann::json::parse(d.event, nullptr, false);
    const auto text = [&event](const char* key) {
      return event.is_object() && event.contains(key) && event[key].is_string()
                 ? event[key].get<std::string>()
                 : std::string("unidentified");
    };
    ++counts[{text("tenant_id"), text("channel_type")}];
  }
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& [key, n] : counts) {
    rows.push_back({{"tenant", key.first}, {"channel", key.second}, {"dead_letters", n}});
  }
  return rows;
}

nlohmann::json LimitJson(const config::RateLimit& limit) {
  return {{"capacity", limit.capacity}, {"refill_per_second", limit.refill_per_second}};
}

nlohmann::json TenantJson(const config::Tenant& t) {
  nlohmann::json signed_plugins = nlohmann::json::array();
  for (const auto& [plugin, secret] : t.signing_secrets) signed_plugins.push_back(plugin);
  return {{"id", t.id},
          {"configured", true},
          {"capacity", t.rate_limit.capacity},
          {"refill_per_second", t.rate_limit.refill_per_second},
          {"api_keys", t.api_key_sha256.size()},
          {"signed_plugins", std::move(signed_plugins)}};
}

}  // namespace

Reply PluginsView(const ServerContext& context) {
  nlohmann::json plugins = nlohmann::json::array();
  if (const auto registry = context.registry.load()) {
    for (const auto& p : registry->plugins()) plugins.push_back(plugins::DescribePlugin(*p.plugin));
  }
  return Reply{.status = 200, .body = {{"plugins", std::move(plugins)}}};
}

Reply TenantsView(const ServerContext& context, const Query& query) {
  const IntParam minutes = ReadIntParam(query, "minutes", 5, 1, ops::Traffic::kWindowSeconds / 60);
  if (minutes.error) return *minutes.error;
  const std::shared_ptr<const config::Config> config = context.config.load();
  nlohmann::json refusals = context.traffic != nullptr
                                ? context.traffic->RecentRefusals(ingest::NowMs(), minutes.value)
                                : nlohmann::json::object();
  nlohmann::json tenants = nlohmann::json::array();
  std::vector<std::string> ids;
  if (config) {
    for (const auto& t : config->tenants) {
      tenants.push_back(TenantJson(t));
      ids.push_back(t.id);
    }
  }
  Reply reply{.status = 200,
              .body = {{"minutes", minutes.value},
                       {"default_limit", config ? LimitJson(config->rate_limit) : nullptr}}};
  auto buckets = context.admission->Buckets(ids);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    nlohmann::json& t = tenants[i];
    t["tokens"] = buckets ? nlohmann::json(buckets.value()[i].tokens) : nlohmann::json(nullptr);
    const nlohmann::json none = {{"last_minutes", 0}, {"recent", nlohmann::json::array()}};
    t["rate_limited"] = refusals.contains(ids[i]) ? refusals[ids[i]] : none;
  }
  if (!buckets) reply.body["tokens_error"] = buckets.error().message;
  // 429s of tenants outside the config ("other", with auth off) still show.
  for (const auto& [label, r] : refusals.items()) {
    if (std::find(ids.begin(), ids.end(), label) == ids.end()) {
      tenants.push_back({{"id", label}, {"configured", false}, {"rate_limited", r}});
    }
  }
  reply.body["tenants"] = std::move(tenants);
  return reply;
}

Reply StatsView(const ServerContext& context, const Query& query) {
  const IntParam window =
      ReadIntParam(query, "window_seconds", 300, 10, ops::Traffic::kWindowSeconds);
  if (window.error) return *window.error;
  const IntParam step = ReadIntParam(query, "step_seconds", 5, 1, window.value);
  if (step.error) return *step.error;
  const int64_t now_ms = ingest::NowMs();
  nlohmann::json body = context.traffic != nullptr
                            ? context.traffic->Summary(now_ms, window.value, step.value)
                            : nlohmann::json::object();
  body["now_ms"] = now_ms;
  body["gateway"] = {{"version", MCCIG_VERSION},
                     {"auth_required", context.auth != nullptr && context.auth->required()},
                     {"simulation_mode", context.simulation_mode},
                     {"worker", context.worker_stats != nullptr}};
  body["worker"] = context.worker_stats ? WorkerJson(*context.worker_stats) : nullptr;
  body["queue"] = nullptr;
  body["dead_letters_by_tenant_channel"] = nlohmann::json::array();
  if (context.queue != nullptr) {
    auto stats = context.queue->Stats();
    auto letters = context.queue->ListDeadLetters(kDeadLettersScanned);
    if (stats && letters) {
      body["queue"] = QueueJson(stats.value());
      body["dead_letters_by_tenant_channel"] = DeadLettersByTenantChannel(letters.value());
    } else {
      body["queue_error"] = stats ? letters.error().message : stats.error().message;
    }
  }
  return Reply{.status = 200, .body = std::move(body)};
}

}  // namespace mccig::http
