// event_queries.cpp — see event_queries.h.
#include "store/event_queries.h"

#include <pqxx/nontransaction>

#include "store/migrations.h"

namespace mccig::store {

sdk::Result<int64_t> EventQueries::CountEvents(const std::string& provider_message_id,
                                               const std::optional<std::string>& tenant_id,
                                               const std::optional<std::string>& channel) {
  std::lock_guard lock(mutex_);
  return WithConnection<int64_t>(connection_, [&](pqxx::connection& conn) {
    pqxx::nontransaction tx(conn);
    // NULL parameters match every tenant / channel.
    const pqxx::result r = tx.exec_params(
        "SELECT COUNT(*) FROM conversation_events WHERE provider_message_id = $1"
        " AND ($2::text IS NULL OR tenant_id = $2) AND ($3::text IS NULL OR channel = $3)",
        provider_message_id, tenant_id ? tenant_id->c_str() : nullptr,
        channel ? channel->c_str() : nullptr);
    return r[0][0].as<int64_t>();
  });
}

sdk::Result<int> EventQueries::SchemaVersion() {
  std::lock_guard lock(mutex_);
  return WithConnection<int>(connection_, [](pqxx::connection& conn) {
    auto version = AppliedVersion(conn);
    if (!version) throw std::runtime_error(version.error().message);
    return version.value();
  });
}

}  // namespace mccig::store
