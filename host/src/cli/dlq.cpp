// dlq.cpp — `mccig dlq list [--limit N] [--json]` and
// `mccig dlq replay --id ID [--id ID...] | --all`: the dead-letter queue from
// the shell, through the same queue code the worker and the API use.
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "queue/stream_queue.h"
#include "redis/redis_url.h"

namespace mccig::cli {
namespace {

constexpr const char* kDlqUsage =
    "usage: mccig dlq list [--limit N] [--json] | mccig dlq replay --id ID [--id ID ...] | --all";

int ListCommand(queue::StreamQueue& queue, const std::vector<std::string>& args) {
  int limit = 50;
  bool json = false;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--json") {
      json = true;
    } else if (args[i] == "--limit" && i + 1 < args.size()) {
      try {
        limit = std::stoi(args[++i]);
      } catch (const std::exception&) {
        limit = 0;
      }
      if (limit < 1) {
        std::cerr << "mccig dlq list: --limit must be a number >= 1\n";
        return kExitUsage;
      }
    } else {
      std::cerr << kDlqUsage << "\n";
      return kExitUsage;
    }
  }
  auto letters = queue.ListDeadLetters(limit);
  if (!letters) {
    std::cerr << "mccig dlq list: " << letters.error().message << "\n";
    return kExitFailure;
  }
  for (const auto& d : letters.value()) {
    if (json) {
      std::cout << nlohmann::json{{"id", d.id},       {"stage", d.stage},
                                  {"error", d.error}, {"attempts", d.attempts},
                                  {"event", d.event}, {"source_id", d.source_id}}
                       .dump()
                << "\n";
    } else {
      std::cout << d.id << "  stage=" << d.stage << "  attempts=" << d.attempts << "  " << d.error
                << "\n";
    }
  }
  if (!json) std::cerr << letters.value().size() << " dead letter(s) shown\n";
  return kExitOk;
}

int ReplayCommand(queue::StreamQueue& queue, const std::vector<std::string>& args) {
  std::vector<std::string> ids;
  bool all = false;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--all") {
      all = true;
    } else if (args[i] == "--id" && i + 1 < args.size()) {
      ids.push_back(args[++i]);
    } else {
      std::cerr << kDlqUsage << "\n";
      return kExitUsage;
    }
  }
  if (all == !ids.empty()) {
    std::cerr << "mccig dlq replay: give --id ID (one or more) or --all\n";
    return kExitUsage;
  }
  auto moved = queue.Replay(ids);
  if (!moved) {
    std::cerr << "mccig dlq replay: " << moved.error().message << "\n";
    return kExitFailure;
  }
  for (const auto& id : moved.value()) std::cout << "replayed " << id << "\n";
  if (!all && moved.value().size() != ids.size()) {
    std::cerr << "mccig dlq replay: " << ids.size() - moved.value().size()
              << " id(s) not found in the dead-letter queue\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

int DeadLetterCommand(const std::string& config_path, const std::vector<std::string>& args) {
  if (args.empty() || (args[0] != "list" && args[0] != "replay")) {
    std::cerr << kDlqUsage << "\n";
    return kExitUsage;
  }
  std::optional<config::Config> config = LoadConfigOnly(config_path);
  if (!config) return kExitUsage;
  auto endpoint = redis::ParseRedisUrl(config->redis_url);
  if (!endpoint) {
    std::cerr << config_path << ": redis.url: " << endpoint.error().message << "\n";
    return kExitUsage;
  }
  redis::Pool pool(endpoint.value(), redis::PoolOptions{.size = 1});
  queue::StreamQueue queue(pool);
  return args[0] == "list" ? ListCommand(queue, args) : ReplayCommand(queue, args);
}

}  // namespace mccig::cli
