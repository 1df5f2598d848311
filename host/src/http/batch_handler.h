// batch_handler.h — POST /v1/ingest/{route}/batch: up to batch_max_events
// events of one plugin in one request.
//
// The body is {"events":[ {…}, … ]}, each event what the plugin takes as a
// JSON body. Each event goes through the ingest pipeline on its own (a bad
// one never blocks the others); the valid ones are admitted together, in one
// round trip to Redis, in the order given. The answer is 200 with one result
// per event (ingest::OutcomeJson plus its "index") and the totals, or 503
// with the same body when the queue could not take them: every event marked
// accepted is queued even then, so retrying the whole batch is safe (those
// come back as duplicates). Whole-request errors keep their usual status:
// 405, 401, 413 (bytes or events over the limit), 415, 400 for a body that
// is not {"events":[…]}. Events in a batch carry no provider signature, so a
// tenant that verifies the plugin by signature gets "unauthorized" for each.
#pragma once

#include <string>

#include "http/reply.h"
#include "http/request.h"
#include "http/server_context.h"

namespace mccig::http {

Reply HandleBatch(ServerContext& context, const sdk::ChannelPlugin& plugin, const Request& request);

}  // namespace mccig::http
