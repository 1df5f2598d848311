// ingest_pipeline.cpp — see ingest_pipeline.h for the steps.
#include "ingest/ingest_pipeline.h"

#include <chrono>

#include <mccig/sdk/normalize.h>
#include <mccig/sdk/validator.h>

#include "auth/crypto.h"
#include "ingest/body_decoder.h"
#include "ingest/event_id.h"
#include "ingest/json_body.h"

namespace mccig::ingest {
namespace {

sdk::Result<nlohmann::json> Decode(const sdk::PluginInfo& info, const IngestRequest& request,
                                   bool& is_json) {
  sdk::Result<sdk::BodyFormat> format = MatchMediaType(request.content_type, info.accepts);
  if (!format) return format.error();
  is_json = format.value() == sdk::BodyFormat::kJson;
  if (is_json) return DecodeJson(request.body);
  sdk::Result<nlohmann::json> form = DecodeForm(request.body);
  if (form) sdk::CoerceFormValues(form.value(), info.fields);
  return form;
}

// PrepareEvent's steps; sets `is_json` when the body was read as JSON.
sdk::Result<sdk::ConversationEvent> DecodeAndPrepare(const sdk::ChannelPlugin& plugin,
                                                     const IngestRequest& request, bool& is_json) {
  sdk::Result<nlohmann::json> payload = Decode(plugin.Info(), request, is_json);
  if (!payload) return payload.error();
  return PreparePayload(plugin, std::move(payload.value()), request);
}

sdk::Error Forbidden(const std::string& a_source, const std::string& a, const std::string& b_source,
                     const std::string& b) {
  return sdk::Error{
      "forbidden",
      "the " + a_source + " names tenant '" + a + "' but the " + b_source + " names '" + b + "'",
      {}};
}

// Settles the tenant (see Caller) and authenticates the request. Sets
// `filled` when it wrote the tenant into the payload.
sdk::Status Authenticate(const sdk::ChannelPlugin& plugin, const IngestRequest& request,
                         nlohmann::json& payload, bool& filled) {
  const Caller& caller = *request.caller;
  const std::string& field = plugin.Info().mapping.tenant_field;
  const auto it = payload.is_object() ? payload.find(field) : payload.end();
  const std::string body_tenant =
      it != payload.end() && it->is_string() ? it->get<std::string>() : std::string();
  std::string tenant = caller.key_tenant;
  std::string source = "API key";
  for (const auto& [other, other_source] :
       {std::pair<std::string, std::string>{caller.url_tenant, "URL's tenant_id"},
        std::pair{body_tenant, "body's " + field}}) {
    if (other.empty()) continue;
    if (tenant.empty()) {
      tenant = other;
      source = other_source;
    } else if (other != tenant) {
      return Forbidden(source, tenant, other_source, other);
    }
  }
  if (!tenant.empty() && body_tenant.empty() && it == payload.end() && payload.is_object()) {
    payload[field] = tenant;
    filled = true;
  }
  const std::string secret =
      tenant.empty() || !caller.signing_secret ? std::string() : caller.signing_secret(tenant);
  if (!secret.empty() && !request.signed_request) {
    return sdk::Error{"unauthorized",
                      "tenant '" + tenant + "' verifies " + plugin.Info().name +
                          " events by provider signature, which a batch or stream event "
                          "cannot carry; post them one by one, signed",
                      {}};
  }
  if (!secret.empty()) {
    const sdk::RequestView view{.method = request.method,
                                .public_url = request.public_url,
                                .content_type = request.content_type,
                                .body = request.body,
                                .headers = request.headers,
                                .payload = &payload,
                                .secret = secret,
                                .crypto = &auth::HostCryptoTable()};
    return plugin.Verify(view);
  }
  if (caller.auth_required && caller.key_tenant.empty()) {
    return sdk::Error{"unauthorized",
                      "an API key is required: send Authorization: Bearer <key> or X-API-Key",
                      {}};
  }
  return sdk::OkStatus();
}

}  // namespace

int64_t NowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

sdk::Result<sdk::ConversationEvent> PrepareEvent(const sdk::ChannelPlugin& plugin,
                                                 const IngestRequest& request) {
  bool is_json = false;
  return DecodeAndPrepare(plugin, request, is_json);
}

sdk::Result<PreparedEvent> PrepareEventAndText(const sdk::ChannelPlugin& plugin,
                                               const IngestRequest& request) {
  bool is_json = false;
  sdk::Result<sdk::ConversationEvent> event = DecodeAndPrepare(plugin, request, is_json);
  if (!event) return event.error();
  return PreparedEvent{.event = std::move(event.value()),
                       .raw_metadata_text = is_json ? CompactJson(request.body) : std::string()};
}

sdk::Result<sdk::ConversationEvent> PreparePayload(const sdk::ChannelPlugin& plugin,
                                                   nlohmann::json payload,
                                                   const IngestRequest& request) {
  const sdk::PluginInfo& info = plugin.Info();
  if (!payload.is_object()) return sdk::Error{"invalid_body", "an event must be a JSON object", {}};
  if (sdk::FieldErrors nul = NulCharacterErrors(payload); !nul.empty()) {
    return sdk::Error::Validation(std::move(nul));
  }

  bool filled_tenant = false;
  if (request.caller != nullptr) {
    sdk::Status verdict = Authenticate(plugin, request, payload, filled_tenant);
    if (!verdict) return verdict.error();
  }

  sdk::FieldErrors errors = sdk::ValidateFields(payload, info.fields);
  if (!errors.empty()) return sdk::Error::Validation(std::move(errors));

  sdk::Result<sdk::NormalizedEvent> normalized = plugin.Normalize(payload);
  if (!normalized) return normalized.error();
  sdk::NormalizedEvent& n = normalized.value();
  // A plugin's result is input too: hold it to the same rules as a payload.
  if (n.provider_message_id.empty()) {
    n.provider_message_id = sdk::DeriveMessageId(payload, info.mapping.message_id);
  }
  if (n.tenant_id.empty()) return sdk::Error::Validation({{info.mapping.tenant_field, "required"}});
  if (n.provider_message_id.empty()) {
    return sdk::Error::Plugin("the plugin produced no provider_message_id");
  }

  sdk::ConversationEvent event;
  event.event_id = NewEventId(request.received_ms);
  event.provider_message_id = std::move(n.provider_message_id);
  event.tenant_id = std::move(n.tenant_id);
  event.channel = info.channel;
  event.timestamp_from_provider = n.occurred_at_ms.has_value();
  event.timestamp_ms = n.occurred_at_ms.value_or(request.received_ms);
  event.content = std::move(n.content);
  event.metadata = std::move(n.metadata);
  event.raw_metadata = std::move(payload);
  if (filled_tenant) event.raw_metadata.erase(info.mapping.tenant_field);
  return event;
}

}  // namespace mccig::ingest
