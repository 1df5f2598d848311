// console_handler.h — GET /console: the operations console, static files
// compiled into the binary from host/console (resources.h).
//
// The console is a single page that drives the gateway through the same
// /v1/internal/* endpoints operators script against, with the admin token
// the operator types in; the files themselves hold no data and no secret.
// It is served only where those endpoints are (ENABLE_INTERNAL_ENDPOINTS),
// with a Content-Security-Policy that allows nothing but this origin: it
// loads no CDN and works offline. ETags let a browser revalidate cheaply.
#pragma once

#include <optional>
#include <string_view>

#include "http/reply.h"
#include "http/server_context.h"

namespace mccig::http {

inline constexpr std::string_view kConsolePath = "/console";

// The reply for a path under /console, or nullopt for any other path.
std::optional<Reply> HandleConsole(const ServerContext& context, std::string_view path,
                                   std::string_view if_none_match);

}  // namespace mccig::http
