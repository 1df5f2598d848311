// outcome_record.cpp — see outcome_record.h.
#include "http/outcome_record.h"

#include "ingest/ingest_pipeline.h"

namespace mccig::http {

void RecordOutcome(ServerContext& context, const std::string& channel,
                   const std::string& caller_tenant, const ingest::EventOutcome& outcome,
                   std::optional<double> admission_seconds) {
  const std::string& tenant = outcome.tenant.empty() ? caller_tenant : outcome.tenant;
  if (context.traffic != nullptr) {
    const int64_t retry_after = outcome.kind == ops::Outcome::kRateLimited
                                    ? ingest::RetryAfterSeconds(outcome.retry_after_ms)
                                    : 0;
    context.traffic->Record(tenant, channel, outcome.kind, ingest::NowMs(), retry_after);
  }
  if (context.metrics != nullptr && admission_seconds) {
    context.metrics->ObserveAdmission(
        tenant, ops::kOutcomeNames[static_cast<std::size_t>(outcome.kind)], *admission_seconds);
  }
}

}  // namespace mccig::http
