// internal_handler.h — /v1/internal/*: operator endpoints, served only when
// ENABLE_INTERNAL_ENDPOINTS is true (a 404 like any unknown path otherwise).
//
//   GET  /v1/internal/events/count?provider_message_id=…[&tenant_id=…][&channel=…]
//        → {"count": n}
//   GET  /v1/internal/dlq[?limit=50]  → {"entries": [...], "total": n}
//   POST /v1/internal/dlq/replay      body {"ids": [...]} | {"id": "…"} | {"all": true}
//        → {"replayed": [...]}; replayed events are stored at most once.
//   GET  /v1/internal/plugins | tenants | stats — the operator views of
//        internal_views.h, which the console is built on.
// Every route needs an admin token when authentication is on.
#pragma once

#include <string_view>

#include "http/reply.h"
#include "http/request.h"
#include "http/server_context.h"

namespace mccig::http {

inline constexpr std::string_view kInternalPrefix = "/v1/internal/";

Reply HandleInternal(ServerContext& context, std::string_view path, const Request& request);

}  // namespace mccig::http
