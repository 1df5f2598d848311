// ingest_handler.h — POST /v1/ingest/{route} (and the alias /ingest/{route});
// /v1/ingest/{route}/batch goes on to batch_handler.h.
//
// A single event is answered in two halves so that no thread waits for
// Redis (IngestAsync): the ingest pipeline runs with the route's plugin on
// the connection's thread, the event then joins the admission batcher's
// next round trip, and AdmissionReply turns the outcome into the documented
// status codes.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include <boost/asio/any_io_executor.hpp>

#include <boost/asio/any_io_executor.hpp>

#include "admission/admission_batcher.h"
#include "http/reply.h"
#include "http/request.h"
#include "http/server_context.h"

namespace mccig::http {

// Where plugin routes are served: /v1/ingest/{route} (and the alias /ingest/{route}).
inline constexpr std::string_view kIngestPrefix = "/v1/ingest/";

// What a batch route adds to a plugin's route: /v1/ingest/{route}/batch.
inline constexpr std::string_view kBatchSuffix = "/batch";

// The plugin an ingest route names. `registry` keeps it loaded while the
// request is in flight, even across a reload.
struct IngestTarget {
  std::shared_ptr<const plugins::PluginRegistry> registry{};
  const sdk::ChannelPlugin* plugin = nullptr;  // null: no plugin serves the route
  bool batch = false;                          // the route's /batch form
  std::string channel{};                       // "sms"; empty without a plugin
};
IngestTarget FindIngestTarget(const ServerContext& context, std::string_view route);

// Answers a single-event request for `target` (a plugin, not its batch):
// `done` gets the reply once, either at once (refused before admission) or,
// once admitted, on `executor`. The admission thread only posts: the reply,
// the metrics and the event's release all happen on `executor`, so the one
// thread every connection's admissions go through does no per-event work
// beyond the round trip.
void IngestAsync(ServerContext& context, admission::AdmissionBatcher& batcher,
                 boost::asio::any_io_executor executor, IngestTarget target, const Request& request,
                 std::function<void(Reply)> done);

// The batch route, or the 404 of a route no plugin serves; blocks on Redis.
Reply HandleIngestBatch(ServerContext& context, const IngestTarget& target, std::string_view route,
                        const Request& request);

// The reply for an admitted (or refused) event; exposed for tests.
Reply AdmissionReply(const admission::AdmissionResult& result, const sdk::ConversationEvent& event);

}  // namespace mccig::http
