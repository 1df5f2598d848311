// ingest_handler.h — POST /v1/ingest/{route} (and the alias /ingest/{route});
// /v1/ingest/{route}/batch goes on to batch_handler.h.
//
// Reads the body within the limit (413 before reading when Content-Length is
// over it), runs the ingest pipeline with the route's plugin, hands the event
// to admission and turns the outcome into the documented status codes.
#pragma once

#include <string>
#include <string_view>

#include "http/reply.h"
#include "http/server_context.h"

namespace Poco::Net {
class HTTPServerRequest;
}

namespace mccig::http {

// Where plugin routes are served: /v1/ingest/{route} (and the alias /ingest/{route}).
inline constexpr std::string_view kIngestPrefix = "/v1/ingest/";

// What a batch route adds to a plugin's route: /v1/ingest/{route}/batch.
inline constexpr std::string_view kBatchSuffix = "/batch";

// `channel` is set to the served plugin's channel ("sms"), for the caller's
// request metric; left alone when no plugin serves `route`.
Reply HandleIngest(ServerContext& context, std::string_view route,
                   Poco::Net::HTTPServerRequest& request, std::string& channel);

// The reply for an admitted (or refused) event; exposed for tests.
Reply AdmissionReply(const admission::AdmissionResult& result, const sdk::ConversationEvent& event);

}  // namespace mccig::http
