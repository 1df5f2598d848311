// openapi.h — GET /openapi.json: an OpenAPI 3.0 document of this gateway as
// it is configured right now.
//
// Built from the loaded plugins' declarations (one ingest and one batch path
// per route, a request schema per plugin whose properties, bounds, formats
// and examples are the plugin's FieldSpecs) and the host's own routes: the
// stream, the ops endpoints and, when enabled, the internal endpoints. So a
// plugin loaded by a SIGHUP appears in the next document with no change to
// the host, exactly like in the console. Pure: the document depends only on
// the arguments.
#pragma once

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include <vector>

#include "plugins/plugin_loader.h"

namespace mccig::http {

// What of the host's surface is on, and how callers authenticate.
struct ApiSurface {
  bool api_keys = true;   // auth.mode api_key: ingest needs X-API-Key or a bearer key
  bool stream = false;    // /v1/stream is served
  bool internal = false;  // /v1/internal/* is served (admin token when api_keys)
  int batch_max_events = 1000;
  std::string server_url{};  // server.public_base_url; empty: relative to the document
};

nlohmann::json OpenApiDocument(const std::vector<plugins::LoadedPlugin>& plugins,
                               const ApiSurface& surface);

// The JSON Schema (OpenAPI 3.0 dialect) of one declared field.
nlohmann::json FieldSchema(const sdk::FieldSpec& field);

}  // namespace mccig::http
