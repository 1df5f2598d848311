// migrate.cpp — `mccig migrate`: bring the database schema up to date.
#include <iostream>

#include "cli/commands.h"
#include "store/migrations.h"
#include "store/pg_connection.h"

namespace mccig::cli {

int MigrateCommand(const std::string& config_path) {
  std::optional<config::Config> config = LoadConfigOnly(config_path);
  if (!config) return kExitUsage;
  store::Connection connection(config->database_url);
  auto conn = connection.Get();
  if (!conn) {
    std::cerr << "mccig migrate: " << conn.error().message << "\n";
    return kExitFailure;
  }
  auto applied = store::Migrate(*conn.value());
  if (!applied) {
    std::cerr << "mccig migrate: " << applied.error().message << "\n";
    return kExitFailure;
  }
  for (const auto& name : applied.value()) std::cout << "applied " << name << "\n";
  std::cout << "schema is at version " << store::Migrations().back().version << " ("
            << store::RedactUrl(config->database_url) << ")\n";
  return kExitOk;
}

}  // namespace mccig::cli
