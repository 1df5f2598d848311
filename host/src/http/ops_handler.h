// ops_handler.h — the endpoints operators and orchestrators poll.
//
//   GET /healthz  the process is alive (200, no dependency checked)
//   GET /readyz   ready to take traffic: Redis answers, PostgreSQL answers
//                 with the schema migrated, plugins loaded; a JSON body per
//                 dependency, 503 when any is not
//   GET /health   /readyz's checks plus a short summary of the counters
//   GET /metrics  Prometheus text format (ops/metrics.h)
//   GET /openapi.json  the API as configured now, OpenAPI 3.0 (openapi.h)
#pragma once

#include <string_view>

#include "http/reply.h"
#include "http/server_context.h"

namespace mccig::http {

// The reply for an ops path, or nullopt when `path` is not one.
std::optional<Reply> HandleOps(ServerContext& context, std::string_view path);

}  // namespace mccig::http
