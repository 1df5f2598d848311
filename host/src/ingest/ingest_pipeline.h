// ingest_pipeline.h — one provider request → one ConversationEvent.
//
// Steps, in order: match the Content-Type against what the plugin accepts;
// decode the body; settle the tenant and authenticate (Caller below); validate
// against the plugin's declared fields (every problem at once); let the plugin
// normalize; complete the event (id, channel, receive-time fallback, the
// original payload). HTTP-free, so it is unit-tested and benchmarked directly.
// Stateless; safe from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <mccig/sdk/event.h>
#include <mccig/sdk/plugin.h>
#include <mccig/sdk/result.h>

namespace mccig::ingest {

using Headers = std::vector<std::pair<std::string, std::string>>;

// Who is calling, as far as the host knows before the body is decoded.
// The tenant may come from the API key, the URL (?tenant_id=, for providers
// that cannot add a field to their payload) or the body; all that are given
// must agree (else "forbidden"). When the body has no tenant field the
// settled tenant fills it for validation (not in raw_metadata). If the
// tenant has a signing secret for the plugin, the plugin's verifier must
// accept the request; otherwise, when authentication is required, an API
// key must have been given (else "unauthorized").
struct Caller {
  bool auth_required = false;
  std::string key_tenant{};  // tenant of the valid API key presented; empty: none
  std::string url_tenant{};  // ?tenant_id=; empty: none
  // The tenant's signing secret for this plugin; empty when it has none.
  std::function<std::string(const std::string& tenant)> signing_secret{};
};

struct IngestRequest {
  std::string_view content_type{};
  std::string_view body{};
  std::string_view method = "POST";
  std::string_view public_url{};
  const Headers* headers = nullptr;
  int64_t received_ms = 0;         // receive time, the fallback event timestamp
  const Caller* caller = nullptr;  // null: no authentication (tests, benchmarks)
  // False for events that arrive inside a batch or a stream message: there
  // is no provider request to check a signature on, so a tenant that
  // verifies the plugin by signature is refused ("unauthorized").
  bool signed_request = true;
};

// Error codes: unsupported_media_type, invalid_json, invalid_body,
// validation_failed, unauthorized, forbidden, plugin_error.
sdk::Result<sdk::ConversationEvent> PrepareEvent(const sdk::ChannelPlugin& plugin,
                                                 const IngestRequest& request);

// An event, and the text the queue can carry for its raw_metadata (see
// queue::AppendEncodedEvent) so the payload is not written out again from
// its value: a JSON body as it came, made compact (simdjson::minify; a
// leading byte-order mark dropped), hence on one line. raw_metadata is that
// body exactly (the tenant is filled in only where the body has no field
// for it, and taken out again), so the two say the same. Empty for a form
// body, whose raw_metadata is written from the value.
struct PreparedEvent {
  sdk::ConversationEvent event;
  std::string raw_metadata_text;
};
sdk::Result<PreparedEvent> PrepareEventAndText(const sdk::ChannelPlugin& plugin,
                                               const IngestRequest& request);

// The steps after decoding, for a payload decoded elsewhere (one event of a
// batch or a stream message); `request.body` and `content_type` are only
// used by a signature check.
sdk::Result<sdk::ConversationEvent> PreparePayload(const sdk::ChannelPlugin& plugin,
                                                   nlohmann::json payload,
                                                   const IngestRequest& request);

int64_t NowMs();

}  // namespace mccig::ingest
