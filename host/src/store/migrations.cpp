// migrations.cpp — see migrations.h.
#include "store/migrations.h"

#include <algorithm>

#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include "resources/resources.h"
#include "store/pg_connection.h"

namespace mccig::store {
namespace {

constexpr std::string_view kPrefix = "db/migrations/";
// pg_advisory_lock key: "mccig" in ASCII, so it is recognisable in pg_locks.
constexpr long long kLockKey = 0x6d63636967;

constexpr const char* kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
    " applied_at TIMESTAMPTZ NOT NULL DEFAULT NOW())";

std::vector<Migration> LoadMigrations() {
  std::vector<Migration> out;
  for (const resources::Resource& r : resources::All()) {
    if (!r.name.starts_with(kPrefix)) continue;
    Migration m;
    m.name = std::string(r.name.substr(kPrefix.size()));
    m.version = std::stoi(m.name.substr(0, m.name.find('_')));
    m.sql = std::string(r.text);
    out.push_back(std::move(m));
  }
  std::sort(out.begin(), out.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  return out;
}

int CurrentVersion(pqxx::connection& conn) {
  pqxx::nontransaction tx(conn);
  const pqxx::result r = tx.exec("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  return r[0][0].as<int>();
}

}  // namespace

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kAll = LoadMigrations();
  return kAll;
}

sdk::Result<std::vector<std::string>> Migrate(pqxx::connection& conn) {
  try {
    {
      pqxx::nontransaction tx(conn);
      tx.exec("SELECT pg_advisory_lock(" + std::to_string(kLockKey) + ")");
      tx.exec(kCreateTable);
    }
    std::vector<std::string> applied;
    const int current = CurrentVersion(conn);
    for (const Migration& m : Migrations()) {
      if (m.version <= current) continue;
      pqxx::work tx(conn);
      tx.exec(m.sql);
      tx.exec_params("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.version,
                     m.name);
      tx.commit();
      applied.push_back(m.name);
    }
    pqxx::nontransaction(conn).exec("SELECT pg_advisory_unlock(" + std::to_string(kLockKey) + ")");
    return applied;
  } catch (const std::exception& e) {
    sdk::Error error = ToError(e);
    try {  // on a broken session the lock went with it
      pqxx::nontransaction(conn).exec("SELECT pg_advisory_unlock_all()");
    } catch (const std::exception&) {
    }
    error.message = "migration failed: " + error.message;
    return error;
  }
}

sdk::Result<int> AppliedVersion(pqxx::connection& conn) {
  try {
    pqxx::nontransaction tx(conn);
    const pqxx::result exists = tx.exec("SELECT to_regclass('schema_migrations') IS NOT NULL");
    if (!exists[0][0].as<bool>()) return 0;
    tx.commit();
    return CurrentVersion(conn);
  } catch (const std::exception& e) {
    return ToError(e);
  }
}

}  // namespace mccig::store
