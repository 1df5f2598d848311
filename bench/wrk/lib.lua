-- lib.lua — shared by the wrk load scenarios (bench/scenario runs them).
--
-- Each scenario sets `scenario` with its own request and response rules;
-- this file gives them per-channel payloads, unique provider ids, the
-- per-thread status counts that wrk's done() gathers, and one JSON line of
-- results on stdout for the runner to verify against the database.
--
-- wrk runs one Lua state per thread: globals here are per thread, and
-- done() reads them back through thread:get().
local lib = {}

local threads = {}
local thread_counter = 0

-- Same body shapes as the bundled plugins' fixtures, one per channel.
local templates = {
  sms = '{"tenant_id":"%s","From":"+15551230001","To":"+15559870002",' ..
        '"Body":"Hi, is my order #4471 on its way? It has not moved since Friday.",' ..
        '"MessageSid":"%s","Timestamp":"%s"}',
  chat = '{"tenant_id":"%s","userId":"user-42","chatId":"chat-7",' ..
         '"message":"Hi, is my order #4471 on its way? It has not moved since Friday.",' ..
         '"messageId":"%s","timestamp":"%s","metadata":{"locale":"en-US"}}',
  voice = '{"tenant_id":"%s","callId":"call-7","segmentId":"%s",' ..
          '"transcript_text":"Hi, is my order on its way? It has not moved since Friday.",' ..
          '"confidence":0.93,"duration":4.5,"timestamp":"%s","metadata":{"language":"en"}}',
}
lib.channels = {"sms", "chat", "voice"}

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } timespec;
  int clock_gettime(int clock_id, timespec* tp);
]]
local ts = ffi.new("timespec")

-- The wall clock as an RFC 3339 UTC time with milliseconds. Events carry
-- their send time as the provider's timestamp, so the database can tell
-- how long each took from request to stored row (occurred_at → created_at).
function lib.now_rfc3339()
  ffi.C.clock_gettime(0, ts)
  local ms = math.floor(tonumber(ts.tv_nsec) / 1e6)
  return os.date("!%Y-%m-%dT%H:%M:%S", tonumber(ts.tv_sec)) .. string.format(".%03dZ", ms)
end

-- `timestamp` defaults to now (see now_rfc3339).
function lib.body(channel, tenant, provider_id, timestamp)
  return string.format(templates[channel], tenant, provider_id, timestamp or lib.now_rfc3339())
end

function lib.post(channel, key, body)
  return wrk.format("POST", "/v1/ingest/" .. channel,
                    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key},
                    body)
end

-- A prefix for provider ids that reruns never repeat: the wall clock in
-- microseconds (os.time alone repeats within a second).
function lib.run_prefix()
  ffi.C.clock_gettime(0, ts)
  return string.format("%d%06d", tonumber(ts.tv_sec) % 100000, math.floor(tonumber(ts.tv_nsec) / 1000))
end

function lib.now_ms()
  ffi.C.clock_gettime(1, ts)  -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

-- A pacer for wrk's delay(): `rate` requests per second from this thread,
-- whatever its connections' latency (wrk sends a connection's next request
-- `delay()` ms after its answer). Each call books the next slot; a thread
-- behind schedule sends at once. wrk's timers have millisecond resolution,
-- so requests may leave up to 1 ms early, never more than the rate allows.
function lib.pacer(rate)
  local interval, next_slot = 1000 / rate, nil
  return function()
    local now = lib.now_ms()
    next_slot = math.max(next_slot or now, now - interval) + interval
    return math.max(0, math.floor(next_slot - now))
  end
end

-- Per-thread counters: status -> count, plus named tallies.
function lib.count(name)
  counts[name] = (counts[name] or 0) + 1
end

-- Remembers the event_id an answer carries, for done()'s count of
-- distinct ids.
function lib.note_event_id(body)
  local id = body:match('"event_id":"([^"]+)"')
  if id then event_ids[id] = true end
end

function lib.setup(thread)
  thread:set("thread_index", thread_counter)
  thread:set("counts", {})
  thread:set("event_ids", {})
  thread_counter = thread_counter + 1
  table.insert(threads, thread)
end

-- Sums every thread's counts and prints them, the number of distinct
-- event ids and wrk's own figures as one JSON line prefixed "result:" for the runner.
function lib.done(summary, latency)
  local total, ids, distinct = {}, {}, 0
  for _, thread in ipairs(threads) do
    for name, n in pairs(thread:get("counts")) do
      total[name] = (total[name] or 0) + n
    end
    for id in pairs(thread:get("event_ids")) do
      if not ids[id] then ids[id], distinct = true, distinct + 1 end
    end
  end
  local parts = {}
  for name, n in pairs(total) do
    table.insert(parts, string.format('"%s":%d', name, n))
  end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'result: {"requests":%d,"seconds":%.3f,"requests_per_second":%.1f,' ..
    '"socket_errors":%d,"latency_ms":{"p50":%.3f,"p99":%.3f,"max":%.3f},' ..
    '"distinct_event_ids":%d,"counts":{%s}}\n',
    summary.requests, seconds, summary.requests / seconds,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000, distinct,
    table.concat(parts, ",")))
end

return lib
