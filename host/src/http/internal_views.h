// internal_views.h — the read-only operator views under /v1/internal/ that
// the operations console is built on (and that scripts may use as well):
//
//   GET /v1/internal/plugins  → {"plugins": [plugin_description.h's JSON]}
//   GET /v1/internal/tenants[?minutes=5]
//       → {"default_limit": {capacity, refill_per_second},
//          "tenants": [{id, configured, capacity, refill_per_second, tokens,
//                       api_keys, signed_plugins: [...],
//                       rate_limited: {last_minutes, recent: [...]}}],
//          "minutes", "tokens_error"?}
//   GET /v1/internal/stats[?window_seconds=300&step_seconds=5]
//       → {"gateway": {version, auth_required, simulation_mode, worker},
//          "now_ms", "started_at_ms", "by_tenant_channel": [...],
//          "series": {...}, "queue": {...} | null, "worker": {...} | null,
//          "dead_letters_by_tenant_channel": [...]}
//
// Traffic figures are this process's own since it started (ops/traffic.h).
// A part whose source is down (Redis) is null with an "<part>_error" beside
// it, so the rest of the view still answers.
#pragma once

#include "http/query_params.h"
#include "http/reply.h"
#include "http/server_context.h"

namespace mccig::http {

Reply PluginsView(const ServerContext& context);
Reply TenantsView(const ServerContext& context, const Query& query);
Reply StatsView(const ServerContext& context, const Query& query);

}  // namespace mccig::http
