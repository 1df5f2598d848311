// outcome_record.cpp — see outcome_record.h.
#include "http/outcome_record.h"

#include <algorithm>
#include <map>

#include "ingest/ingest_pipeline.h"

namespace mccig::http {

void RecordOutcomes(ServerContext& context, const std::string& channel,
                    const std::string& caller_tenant,
                    std::span<const ingest::EventOutcome> outcomes, double admission_seconds) {
  struct Group {
    int64_t count = 0;
    int64_t retry_after_ms = 0;
  };
  std::map<std::pair<std::string_view, ops::Outcome>, Group> groups;
  for (const auto& o : outcomes) {
    Group& g = groups[{o.tenant.empty() ? std::string_view(caller_tenant) : o.tenant, o.kind}];
    ++g.count;
    g.retry_after_ms = std::max(g.retry_after_ms, o.retry_after_ms);
  }
  const int64_t now = ingest::NowMs();
  for (const auto& [key, g] : groups) {
    const auto& [tenant_view, kind] = key;
    const std::string tenant(tenant_view);
    if (context.traffic != nullptr) {
      const int64_t retry_after =
          kind == ops::Outcome::kRateLimited ? ingest::RetryAfterSeconds(g.retry_after_ms) : 0;
      context.traffic->Record(tenant, channel, kind, now, retry_after, g.count);
    }
    if (context.metrics != nullptr && kind != ops::Outcome::kRejected) {
      context.metrics->ObserveAdmission(tenant, ops::OutcomeName(kind), admission_seconds, g.count);
    }
  }
}

}  // namespace mccig::http
