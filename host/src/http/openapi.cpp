// openapi.cpp — see openapi.h. The host's routes are written out here by
// hand, next to one another, so a new endpoint is one more entry; the
// plugins' paths are generated.
#include "http/openapi.h"

#include <algorithm>

#include "http/ingest_handler.h"
#include "http/internal_handler.h"
#include "http/stream_upgrade.h"

namespace mccig::http {
namespace {

using nlohmann::json;

json Ref(const std::string& name) {
  return {{"$ref", "#/components/schemas/" + name}};
}

json JsonContent(const json& schema) {
  return {{"application/json", {{"schema", schema}}}};
}

json Response(const std::string& description, const std::string& schema = "Error") {
  return {{"description", description}, {"content", JsonContent(Ref(schema))}};
}

json RetryAfter() {
  return {
      {"Retry-After",
       {{"description", "seconds to wait before retrying"}, {"schema", {{"type", "integer"}}}}}};
}

// Component names allow [A-Za-z0-9._-]; plugin names are identifiers already.
std::string PayloadSchemaName(const sdk::PluginInfo& info) {
  return "payload." + info.name;
}

std::string OperationSuffix(const std::string& route) {
  std::string out = route;
  std::ranges::replace(out, '/', '_');
  std::ranges::replace(out, '-', '_');
  return out;
}

json PayloadSchema(const sdk::PluginInfo& info) {
  json properties = json::object();
  json required = json::array();
  for (const sdk::FieldSpec& f : info.fields) {
    properties[f.name] = FieldSchema(f);
    if (f.required) required.push_back(f.name);
  }
  json schema = {{"type", "object"},
                 {"description", info.description + " (plugin " + info.name + " " + info.version +
                                     "). Fields not declared here are kept in raw_metadata."},
                 {"properties", std::move(properties)},
                 {"additionalProperties", true}};
  if (!required.empty()) schema["required"] = std::move(required);
  return schema;
}

json SharedSchemas() {
  const json text = {{"type", "string"}};
  const json error = {
      {"type", "object"},
      {"required", {"error"}},
      {"properties",
       {{"error", {{"type", "string"}, {"description", "a stable snake_case code"}}},
        {"message", text},
        {"retry_after_seconds", {{"type", "integer"}}},
        {"details",
         {{"type", "array"},
          {"items",
           {{"type", "object"},
            {"required", {"field", "message"}},
            {"properties", {{"field", text}, {"message", text}}}}}}}}}};
  const json accepted = {{"type", "object"},
                         {"required", {"status", "provider_message_id"}},
                         {"properties",
                          {{"status", {{"type", "string"}, {"enum", {"accepted", "duplicate"}}}},
                           {"event_id", {{"type", "string"}, {"format", "uuid"}}},
                           {"provider_message_id", text}}}};
  json result = {
      {"type", "object"},
      {"required", {"index", "status"}},
      {"description", "one event's outcome: the single-event answer's body plus its index"},
      {"properties",
       {{"index", {{"type", "integer"}, {"minimum", 0}}},
        {"status",
         {{"type", "string"},
          {"enum", {"accepted", "duplicate", "rate_limited", "rejected", "unavailable"}}}}}},
      {"additionalProperties", true}};
  json totals = {{"type", "object"}, {"properties", json::object()}};
  for (const char* key :
       {"events", "accepted", "duplicate", "rate_limited", "rejected", "unavailable"}) {
    totals["properties"][key] = {{"type", "integer"}, {"minimum", 0}};
  }
  const json batch_result = {{"type", "object"},
                             {"required", {"totals", "results"}},
                             {"properties",
                              {{"totals", std::move(totals)},
                               {"results", {{"type", "array"}, {"items", std::move(result)}}}}}};
  return {{"Error", error}, {"Accepted", accepted}, {"BatchResult", batch_result}};
}

json IngestOperation(const sdk::ChannelPlugin& plugin, const std::string& route, bool api_keys) {
  const sdk::PluginInfo& info = plugin.Info();
  json content = json::object();
  for (const sdk::BodyFormat f : info.accepts) {
    content[std::string(sdk::BodyFormatMediaType(f))] = {{"schema", Ref(PayloadSchemaName(info))}};
  }
  json responses = {
      {"201", Response("queued durably; it will be stored exactly once", "Accepted")},
      {"200", Response("a duplicate: event_id is the first event's", "Accepted")},
      {"400", Response("invalid JSON or body, or invalid fields (every problem in details)")},
      {"403", Response("the key, the URL and the body name different tenants")},
      {"413", Response("the body is over server.body_limit_bytes")},
      {"415", Response("a Content-Type this plugin does not accept")},
      {"429", Response("the tenant is over its rate limit; nothing was claimed")},
      {"503", Response("the queue is unavailable; nothing was accepted")}};
  responses["429"]["headers"] = RetryAfter();
  responses["503"]["headers"] = RetryAfter();
  if (api_keys || plugin.HasVerifier()) {
    responses["401"] = Response("no or unknown API key, or a missing or forged provider signature");
  }
  json operation = {
      {"tags", {"ingest"}},
      {"operationId", "ingest_" + OperationSuffix(route)},
      {"summary",
       "ingest one " + std::string(sdk::ChannelName(info.channel)) + " event (" + info.name + ")"},
      {"description", info.description + ". Also served at /ingest/" + route + "."},
      {"parameters",
       {{{"name", "tenant_id"},
         {"in", "query"},
         {"required", false},
         {"description", "the tenant, for providers that cannot add a field to their payload"},
         {"schema", {{"type", "string"}}}}}},
      {"requestBody", {{"required", true}, {"content", std::move(content)}}},
      {"responses", std::move(responses)}};
  return operation;
}

json BatchOperation(const sdk::PluginInfo& info, const std::string& route, int max_events) {
  const json request = {{"type", "object"},
                        {"required", {"events"}},
                        {"properties",
                         {{"events",
                           {{"type", "array"},
                            {"minItems", 1},
                            {"maxItems", max_events},
                            {"items", Ref(PayloadSchemaName(info))}}}}}};
  json responses = {
      {"200", Response("a result per event, in order, and totals", "BatchResult")},
      {"400", Response("the body is not {\"events\": [...]}")},
      {"413", Response("more events than batch.max_events, or a body over batch.max_body_bytes")},
      {"415", Response("the body is not JSON")},
      {"503", Response("the queue is unavailable; every event is unavailable", "BatchResult")}};
  responses["503"]["headers"] = RetryAfter();
  return {{"tags", {"ingest"}},
          {"operationId", "ingest_batch_" + OperationSuffix(route)},
          {"summary", "ingest up to " + std::to_string(max_events) + " events (" + info.name + ")"},
          {"description",
           "Each event is validated and admitted on its own; one invalid event never blocks "
           "the others. Batched events carry no provider signature."},
          {"requestBody", {{"required", true}, {"content", JsonContent(request)}}},
          {"responses", std::move(responses)}};
}

json Get(const std::string& tag, const std::string& id, const std::string& summary,
         json responses) {
  return {{"get",
           {{"tags", {tag}},
            {"operationId", id},
            {"summary", summary},
            {"responses", std::move(responses)}}}};
}

json OpsPaths() {
  const json object = {{"type", "object"}};
  const auto ok = [&](const char* what) {
    return json{{"description", what}, {"content", JsonContent(object)}};
  };
  json paths = {
      {"/healthz", Get("operations", "healthz", "the process is alive", {{"200", ok("alive")}})},
      {"/readyz", Get("operations", "readyz", "Redis, PostgreSQL and plugins are ready",
                      {{"200", ok("ready")}, {"503", ok("a dependency is not ready")}})},
      {"/health", Get("operations", "health", "readiness plus a summary of the counters",
                      {{"200", ok("ready")}, {"503", ok("degraded")}})},
      {"/openapi.json",
       Get("operations", "openapi", "this document", {{"200", ok("an OpenAPI 3.0 document")}})}};
  paths["/metrics"] = Get("operations", "metrics", "Prometheus metrics",
                          {{"200",
                            {{"description", "Prometheus text format"},
                             {"content", {{"text/plain", {{"schema", {{"type", "string"}}}}}}}}}});
  return paths;
}

json StreamPath() {
  return Get(
      "ingest", "stream",
      "WebSocket ingest: send {\"type\":\"event\",\"id\",\"channel\",\"payload\"} or "
      "{\"type\":\"heartbeat\"}; receive event_ack, event_error or heartbeat_ack with the same id",
      {{"101", {{"description", "switched to the WebSocket protocol"}}},
       {"401", Response("no or unknown API key")},
       {"426", Response("not a WebSocket upgrade")},
       {"503", Response("stream.max_connections connections are open")}});
}

json InternalPaths() {
  const json object = {{"type", "object"}};
  const auto ok = json{{"description", "the view, as JSON"}, {"content", JsonContent(object)}};
  const auto query = [](const char* name, bool required, const char* type) {
    return json{
        {"name", name}, {"in", "query"}, {"required", required}, {"schema", {{"type", type}}}};
  };
  json count = Get("internal", "count_events", "how many rows hold a provider message id",
                   {{"200", ok}, {"400", Response("provider_message_id is missing")}});
  count["get"]["parameters"] = {query("provider_message_id", true, "string"),
                                query("tenant_id", false, "string"),
                                query("channel", false, "string")};
  json dlq = Get("internal", "list_dead_letters", "the dead-letter queue, oldest first",
                 {{"200", ok}, {"503", Response("the queue is unavailable")}});
  dlq["get"]["parameters"] = {query("limit", false, "integer")};
  const json replay_body = {{"type", "object"},
                            {"properties",
                             {{"id", {{"type", "string"}}},
                              {"ids", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                              {"all", {{"type", "boolean"}}}}}};
  const json replay = {
      {"post",
       {{"tags", {"internal"}},
        {"operationId", "replay_dead_letters"},
        {"summary", "put dead letters back on the queue"},
        {"requestBody", {{"required", true}, {"content", JsonContent(replay_body)}}},
        {"responses", {{"200", ok}, {"400", Response("neither id, ids nor all")}}}}}};
  const auto path = [](const char* route) { return std::string(kInternalPrefix) + route; };
  return {{path("events/count"), std::move(count)},
          {path("dlq"), std::move(dlq)},
          {path("dlq/replay"), replay},
          {path("plugins"), Get("internal", "plugins", "the loaded plugins", {{"200", ok}})},
          {path("tenants"), Get("internal", "tenants", "tenants and limits", {{"200", ok}})},
          {path("stats"), Get("internal", "stats", "traffic counters", {{"200", ok}})}};
}

// Marks every operation under `paths` with `security`.
void Secure(json& paths, const json& security) {
  for (auto& [path, item] : paths.items()) {
    for (auto& [method, operation] : item.items()) operation["security"] = security;
  }
}

json SecuritySchemes(const ApiSurface& surface) {
  json schemes = json::object();
  if (!surface.api_keys) return schemes;
  schemes["ApiKey"] = {{"type", "apiKey"},
                       {"in", "header"},
                       {"name", "X-API-Key"},
                       {"description", "the tenant's API key"}};
  schemes["BearerKey"] = {{"type", "http"},
                          {"scheme", "bearer"},
                          {"description",
                           "the tenant's API key, or the admin token for "
                           "/v1/internal/*"}};
  return schemes;
}

}  // namespace

json FieldSchema(const sdk::FieldSpec& field) {
  json schema = {{"description", field.description}};
  switch (field.type) {
    case sdk::FieldType::kTimestamp:
      schema["type"] = "string";
      schema["format"] = "date-time";
      break;
    default:
      schema["type"] = sdk::FieldTypeName(field.type);
  }
  if (field.format == sdk::StringFormat::kIdentifier) schema["pattern"] = "^[A-Za-z0-9._-]+$";
  if (field.min_length) schema["minLength"] = *field.min_length;
  if (field.max_length) schema["maxLength"] = *field.max_length;
  if (field.minimum) schema["minimum"] = *field.minimum;
  if (field.maximum) schema["maximum"] = *field.maximum;
  if (!field.example.is_null()) schema["example"] = field.example;
  return schema;
}

json OpenApiDocument(const std::vector<plugins::LoadedPlugin>& plugins, const ApiSurface& surface) {
  json schemas = SharedSchemas();
  json ingest = json::object();
  for (const auto& loaded : plugins) {
    const sdk::PluginInfo& info = loaded.plugin->Info();
    schemas[PayloadSchemaName(info)] = PayloadSchema(info);
    for (const auto& route : info.routes) {
      const std::string path = std::string(kIngestPrefix) + route;
      ingest[path] = {{"post", IngestOperation(*loaded.plugin, route, surface.api_keys)}};
      ingest[path + std::string(kBatchSuffix)] = {
          {"post", BatchOperation(info, route, surface.batch_max_events)}};
    }
  }
  if (surface.stream) ingest[std::string(kStreamPath)] = StreamPath();
  json internal = surface.internal ? InternalPaths() : json::object();
  if (surface.api_keys) {
    Secure(ingest, json::array({{{"ApiKey", json::array()}}, {{"BearerKey", json::array()}}}));
    Secure(internal, json::array({{{"BearerKey", json::array()}}}));
  }
  json paths = OpsPaths();
  paths.update(ingest);
  paths.update(internal);
  json document = {
      {"openapi", "3.0.3"},
      {"info",
       {{"title", "MCC-IG ingestion gateway"},
        {"version", MCCIG_VERSION},
        {"description",
         "Providers POST SMS, chat and voice payloads; each is validated by its channel plugin, "
         "checked for duplicates, rate-limited per tenant, queued durably and stored exactly "
         "once. Generated from the loaded plugins."}}},
      {"tags",
       {{{"name", "ingest"}, {"description", "provider traffic"}},
        {{"name", "operations"}, {"description", "health, readiness, metrics"}},
        {{"name", "internal"}, {"description", "operator endpoints (admin token)"}}}},
      {"paths", std::move(paths)},
      {"components", {{"schemas", std::move(schemas)}}}};
  if (json schemes = SecuritySchemes(surface); !schemes.empty()) {
    document["components"]["securitySchemes"] = std::move(schemes);
  }
  if (!surface.server_url.empty()) document["servers"] = {{{"url", surface.server_url}}};
  return document;
}

}  // namespace mccig::http
