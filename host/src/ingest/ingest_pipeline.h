// ingest_pipeline.h — one provider request → one ConversationEvent.
//
// Steps, in order: match the Content-Type against what the plugin accepts;
// decode the body; run the plugin's request verifier, if it has one; validate
// against the plugin's declared fields (every problem at once); let the plugin
// normalize; complete the event (id, channel, receive-time fallback, the
// original payload). HTTP-free, so it is unit-tested and benchmarked directly.
// Stateless; safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <mccig/sdk/event.h>
#include <mccig/sdk/plugin.h>
#include <mccig/sdk/result.h>

namespace mccig::ingest {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct IngestRequest {
  std::string_view content_type{};
  std::string_view body{};
  std::string_view method = "POST";
  std::string_view public_url{};
  const Headers* headers = nullptr;
  int64_t received_ms = 0;  // receive time, the fallback event timestamp
};

// Error codes: unsupported_media_type, invalid_json, invalid_body,
// validation_failed, unauthorized, plugin_error.
sdk::Result<sdk::ConversationEvent> PrepareEvent(const sdk::ChannelPlugin& plugin,
                                                 const IngestRequest& request);

int64_t NowMs();

}  // namespace mccig::ingest
