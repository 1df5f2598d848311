// ingest_pipeline.cpp — see ingest_pipeline.h for the steps.
#include "ingest/ingest_pipeline.h"

#include <chrono>

#include <mccig/sdk/normalize.h>
#include <mccig/sdk/validator.h>

#include "ingest/body_decoder.h"
#include "ingest/event_id.h"

namespace mccig::ingest {
namespace {

sdk::Result<nlohmann::json> Decode(const sdk::PluginInfo& info, const IngestRequest& request) {
  sdk::Result<sdk::BodyFormat> format = MatchMediaType(request.content_type, info.accepts);
  if (!format) return format.error();
  if (format.value() == sdk::BodyFormat::kJson) return DecodeJson(request.body);
  sdk::Result<nlohmann::json> form = DecodeForm(request.body);
  if (form) sdk::CoerceFormValues(form.value(), info.fields);
  return form;
}

}  // namespace

int64_t NowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

sdk::Result<sdk::ConversationEvent> PrepareEvent(const sdk::ChannelPlugin& plugin,
                                                 const IngestRequest& request) {
  const sdk::PluginInfo& info = plugin.Info();
  sdk::Result<nlohmann::json> payload = Decode(info, request);
  if (!payload) return payload.error();

  if (plugin.HasVerifier()) {
    const sdk::RequestView view{.method = request.method,
                                .public_url = request.public_url,
                                .content_type = request.content_type,
                                .body = request.body,
                                .headers = request.headers,
                                .payload = &payload.value()};
    if (sdk::Status verdict = plugin.Verify(view); !verdict) return verdict.error();
  }

  sdk::FieldErrors errors = sdk::ValidateFields(payload.value(), info.fields);
  if (!errors.empty()) return sdk::Error::Validation(std::move(errors));

  sdk::Result<sdk::NormalizedEvent> normalized = plugin.Normalize(payload.value());
  if (!normalized) return normalized.error();
  sdk::NormalizedEvent& n = normalized.value();
  // A plugin's result is input too: hold it to the same rules as a payload.
  if (n.provider_message_id.empty()) {
    n.provider_message_id = sdk::DeriveMessageId(payload.value(), info.mapping.message_id);
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
  event.raw_metadata = std::move(payload.value());
  return event;
}

}  // namespace mccig::ingest
