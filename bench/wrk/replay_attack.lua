-- replay_attack.lua — every connection sends the same event (one provider
-- id, one body) over and over, as a provider retrying in a loop would.
-- Expected: one 201, every other answer 200 "duplicate" carrying the same
-- event_id, and exactly one row (bench/scenario checks it).
-- Environment: MCCIG_KEY, MCCIG_TENANT, MCCIG_REPLAY_ID (the provider id).
local lib = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "lib.lua")
local req

function setup(thread) lib.setup(thread) end

-- Built here, not at load: wrk sets the Host header only before init().
function init(args)
  req = lib.post("sms", os.getenv("MCCIG_KEY"),
                 lib.body("sms", os.getenv("MCCIG_TENANT"), os.getenv("MCCIG_REPLAY_ID"),
                          "2024-05-01T12:00:00.000Z"))
end

function request() return req end

function response(status, headers, body)
  lib.count(tostring(status))
  lib.note_event_id(body)
end

function done(summary, latency, requests) lib.done(summary, latency) end
