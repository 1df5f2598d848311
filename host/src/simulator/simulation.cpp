// simulation.cpp — see simulation.h.
#include "simulator/simulation.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <thread>

#include <mccig/sdk/normalize.h>

#include "simulator/gateway_client.h"

namespace mccig::simulator {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// One plugin's route and how to make a fresh event for it.
struct Channel {
  std::string route{};
  json example{};
  std::string tenant_field{};
  std::vector<std::string> id_fields{};  // joined with ':' into the provider message id
  bool verified = false;                 // has a signature verifier: some tenants need a signature
};

struct Run {
  const SimulationConfig& config;
  GatewayClient client;
  std::string run_id;
  std::vector<Channel> channels{};
  std::atomic<int> serial{0};

  // A new event for `channel` from `tenant`, with its provider message id.
  std::pair<json, std::string> Event(const Channel& channel, const std::string& tenant) {
    json payload = channel.example;
    payload[channel.tenant_field] = tenant;
    payload[channel.id_fields.front()] = "sim-" + run_id + "-" + std::to_string(serial++);
    std::string id = sdk::DeriveMessageId(payload, {.join = channel.id_fields});
    return {std::move(payload), std::move(id)};
  }
  // The first channel neither tenant needs a provider signature for.
  const Channel& Unsigned() const {
    for (const auto& c : channels) {
      if (!c.verified) return c;
    }
    return channels.front();
  }
  // Sends like a well-behaved provider: after a 429 it waits Retry-After
  // and sends again (a refusal claims nothing, so the retry is judged
  // afresh). `waits` counts the 429s it waited out.
  Response SendPolitely(const std::string& route, const json& payload, const std::string& key,
                        int& waits, const std::map<std::string, std::string>& headers = {}) const {
    for (int attempt = 0;; ++attempt) {
      Response r = client.Ingest(route, payload, key, headers);
      if (r.status != 429 || attempt == 5) return r;
      ++waits;
      const int seconds = std::max(1, std::atoi(r.Header("Retry-After").c_str()));
      std::this_thread::sleep_for(std::chrono::seconds(seconds));
    }
  }
  int Count(const std::string& id) const {
    const Response r = client.Internal("events/count?provider_message_id=" + QueryValue(id));
    return r.status == 200 ? r.body.value("count", -1) : -1;
  }
  // Waits until `done` holds or the timeout passes.
  template <typename Done>
  bool WaitFor(Done done) const {
    const auto deadline = Clock::now() + config.timeout;
    while (!done()) {
      if (Clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return true;
  }
};

std::string RunId() {
  std::random_device random;
  char text[17];
  snprintf(text, sizeof text, "%08x%08x", random(), random());
  return text;
}

std::string Describe(const Response& r) {
  return r.status == 0 ? r.error : std::to_string(r.status) + " " + r.body.dump();
}

// Reads the loaded plugins; a failed "setup" result when it cannot.
std::optional<ScenarioResult> DiscoverChannels(Run& run) {
  const Response r = run.client.Internal("plugins");
  if (r.status != 200 || !r.body.contains("plugins")) {
    return ScenarioResult{
        .name = "setup",
        .summary = "cannot read /v1/internal/plugins: " + Describe(r),
        .detail = {"the simulator needs internal_endpoints.enabled and, with auth.mode api_key, "
                   "--admin-token"}};
  }
  for (const json& p : r.body["plugins"]) {
    // A message id that is only ever hashed cannot be looked up by the
    // count endpoint, so such plugins are left out.
    const json& join = p["mapping"]["message_id"]["join"];
    if (join.empty()) continue;
    run.channels.push_back(Channel{.route = p["routes"][0],
                                   .example = p["example"],
                                   .tenant_field = p["mapping"]["tenant_field"],
                                   .id_fields = join,
                                   .verified = p.value("has_verifier", false)});
  }
  if (run.channels.empty()) {
    return ScenarioResult{.name = "setup",
                          .summary = "no loaded plugin derives its message id from fields"};
  }
  return std::nullopt;
}

ScenarioResult MixedChannels(Run& run) {
  ScenarioResult result{.name = "mixed channels"};
  std::vector<std::string> ids;
  std::string routes;
  int waits = 0;
  for (int i = 0; i < run.config.events_per_channel; ++i) {
    for (const Channel& channel : run.channels) {
      auto [payload, id] = run.Event(channel, run.config.tenant);
      const Response r = run.SendPolitely(channel.route, payload, run.config.api_key, waits);
      if (r.status != 201) result.detail.push_back(channel.route + " " + id + ": " + Describe(r));
      ids.push_back(id);
    }
  }
  for (const Channel& c : run.channels) routes += (routes.empty() ? "" : ", ") + c.route;
  const bool stored = result.detail.empty() && run.WaitFor([&] {
    for (const auto& id : ids) {
      if (run.Count(id) != 1) return false;
    }
    return true;
  });
  result.verdict = stored ? Verdict::kPass : Verdict::kFail;
  result.summary = std::to_string(ids.size()) + " events over " + routes +
                   (waits > 0 ? " (" + std::to_string(waits) + " waits after a 429)" : "") +
                   (stored                  ? ": all 201, each stored exactly once"
                    : result.detail.empty() ? ": not all stored exactly once in time"
                                            : ": not all accepted");
  return result;
}

ScenarioResult DuplicateReplay(Run& run) {
  ScenarioResult result{.name = "duplicate replay"};
  const Channel& channel = run.Unsigned();
  const auto [payload, id] = run.Event(channel, run.config.tenant);
  std::vector<Response> answers(static_cast<std::size_t>(run.config.replays));
  std::vector<std::thread> senders;
  for (auto& answer : answers) {
    senders.emplace_back([&, p = payload] {
      int waits = 0;  // each sender waits out its own 429s
      answer = run.SendPolitely(channel.route, p, run.config.api_key, waits);
    });
  }
  for (auto& t : senders) t.join();
  int accepted = 0, duplicates = 0;
  std::set<std::string> event_ids;
  for (const Response& r : answers) {
    if (r.status == 201) ++accepted;
    if (r.status == 200 && r.body.value("status", "") == "duplicate") ++duplicates;
    if (r.status != 201 && r.status != 200) result.detail.push_back(Describe(r));
    if (r.body.is_object()) event_ids.insert(r.body.value("event_id", ""));
  }
  const bool answered =
      accepted == 1 && duplicates == run.config.replays - 1 && event_ids.size() == 1;
  const bool one_row = answered && run.WaitFor([&] { return run.Count(id) == 1; });
  result.verdict = one_row ? Verdict::kPass : Verdict::kFail;
  result.summary = std::to_string(run.config.replays) + " concurrent sends of " + id + " on " +
                   channel.route + ": " + std::to_string(accepted) + " accepted, " +
                   std::to_string(duplicates) + " duplicate, " + std::to_string(event_ids.size()) +
                   " distinct event_id" +
                   (one_row    ? ", 1 row"
                    : answered ? ", but not exactly 1 row"
                               : "");
  return result;
}

ScenarioResult NoisyNeighbour(Run& run) {
  ScenarioResult result{.name = "noisy neighbour"};
  const Channel& channel = run.Unsigned();
  std::atomic<bool> throttled{false}, stop{false};
  std::atomic<int> flood_sent{0}, refused{0}, refused_with_retry_after{0};
  std::thread flood([&] {
    while (!stop && flood_sent < run.config.flood_limit) {
      const Response r = run.client.Ingest(
          channel.route, run.Event(channel, run.config.neighbour).first, run.config.neighbour_key);
      ++flood_sent;
      if (r.status == 429) {
        ++refused;
        if (!r.Header("Retry-After").empty()) ++refused_with_retry_after;
        throttled = true;
      }
    }
  });
  run.WaitFor([&] { return throttled.load() || flood_sent >= run.config.flood_limit; });
  int quiet_accepted = 0;
  const int quiet = 20;
  for (int i = 0; i < quiet && throttled; ++i) {  // paced: well inside any sane limit
    const Response r = run.client.Ingest(channel.route, run.Event(channel, run.config.tenant).first,
                                         run.config.api_key);
    if (r.status == 201) ++quiet_accepted;
    if (r.status != 201) result.detail.push_back(run.config.tenant + ": " + Describe(r));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  stop = true;
  flood.join();
  const bool pass = refused > 0 && refused == refused_with_retry_after && quiet_accepted == quiet;
  result.verdict = pass ? Verdict::kPass : Verdict::kFail;
  result.summary = run.config.neighbour + " sent " + std::to_string(flood_sent) + " on " +
                   channel.route + ", " + std::to_string(refused) + " got 429 (" +
                   std::to_string(refused_with_retry_after) + " with Retry-After); " +
                   run.config.tenant + " meanwhile " + std::to_string(quiet_accepted) + "/" +
                   std::to_string(quiet) + " accepted";
  return result;
}

bool InDeadLetters(const Run& run, const std::string& id, json& entry) {
  const Response r = run.client.Internal("dlq?limit=1000");
  if (r.status != 200) return false;
  for (const json& e : r.body["entries"]) {
    if (e.value("provider_message_id", "") == id) {
      entry = e;
      return true;
    }
  }
  return false;
}

ScenarioResult ForcedFailure(Run& run) {
  ScenarioResult result{.name = "forced failure"};
  const Channel& channel = run.Unsigned();
  const auto [payload, id] = run.Event(channel, run.config.tenant);
  int waits = 0;
  const Response r = run.SendPolitely(channel.route, payload, run.config.api_key, waits,
                                      {{"X-Simulate-Failure", "worker"}});
  if (r.status != 201) {
    result.summary = "the event was not accepted: " + Describe(r);
    return result;
  }
  json entry;
  bool stored = false;
  const bool settled = run.WaitFor([&] {
    stored = run.Count(id) == 1;
    return stored || InDeadLetters(run, id, entry);
  });
  if (stored) {
    result.verdict = Verdict::kSkip;
    result.summary = "the gateway is not in simulation mode: " + id + " was stored";
  } else if (settled) {
    result.verdict = Verdict::kPass;
    result.summary = id + " reached the dead-letter queue after " +
                     std::to_string(entry.value("attempts", 0)) + " attempts (stage " +
                     entry.value("stage", "") + "): " + entry.value("error", "");
  } else {
    result.summary = id + " neither stored nor dead-lettered within the timeout";
  }
  return result;
}

}  // namespace

std::vector<ScenarioResult> RunSimulation(const SimulationConfig& config) {
  Run run{
      .config = config, .client = GatewayClient(config.url, config.admin_token), .run_id = RunId()};
  if (auto failed = DiscoverChannels(run)) return {std::move(*failed)};
  std::vector<ScenarioResult> results;
  results.push_back(MixedChannels(run));
  results.push_back(DuplicateReplay(run));
  results.push_back(NoisyNeighbour(run));
  results.push_back(ForcedFailure(run));
  return results;
}

}  // namespace mccig::simulator
