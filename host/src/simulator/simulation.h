// simulation.h — the scenarios `mccig simulate` plays against a live
// gateway, each verified through the gateway's own endpoints:
//
//   mixed channels     unique events on every loaded plugin's route → all
//                      201, then each counted exactly once in PostgreSQL
//                      (/v1/internal/events/count)
//   duplicate replay   one event sent concurrently N times → one 201, N-1
//                      duplicates naming the same event_id, one row
//   noisy neighbour    the neighbour tenant floods a route → 429s with
//                      Retry-After, while the main tenant's paced events
//                      during the flood are all 201
//   forced failure     an event sent with X-Simulate-Failure: worker → it
//                      reaches the dead-letter queue (/v1/internal/dlq).
//                      SKIP when the gateway is not in simulation mode (the
//                      event is then stored like any other)
//
// Payloads are made from each plugin's declared example
// (/v1/internal/plugins) with a fresh message id per run, so runs never
// collide with each other's idempotency keys.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace mccig::simulator {

struct SimulationConfig {
  std::string url{};                 // http://host:port
  std::string api_key{};             // the main tenant's key; empty without auth
  std::string neighbour_key{};       // the noisy neighbour's key
  std::string admin_token{};         // for /v1/internal/*
  std::string tenant = "acme";       // must be the main key's tenant
  std::string neighbour = "globex";  // must be the neighbour key's tenant
  int events_per_channel = 20;
  int replays = 10;
  int flood_limit = 2000;            // the neighbour's requests at most, waiting for its first 429
  std::chrono::seconds timeout{60};  // for rows and dead letters to appear
};

enum class Verdict { kPass, kFail, kSkip };

struct ScenarioResult {
  std::string name{};
  Verdict verdict = Verdict::kFail;
  std::string summary{};
  std::vector<std::string> detail{};
};

// Runs every scenario in the order above. A failure to reach the gateway
// or its internal endpoints is one failed "setup" result.
std::vector<ScenarioResult> RunSimulation(const SimulationConfig& config);

}  // namespace mccig::simulator
