-- admission.lua — the admission decision for one event or a batch of them,
-- atomically, in one round trip.
--
-- KEYS[1]              the queue stream      queue:conversations
-- KEYS[2]              the count of events queued
--                                            queued:{queue:conversations}
-- KEYS[3 .. 2+B]       one token bucket per tenant in the call
--                                            bucket:{queue:conversations}:<tenant>
-- KEYS[3+B .. 2+B+N]   one idempotency key per event, in event order
--                      idem:{queue:conversations}:<tenant>:<channel>:<provider id>
-- ARGV[1] B (buckets)   ARGV[2] idempotency TTL (s)
-- then per bucket b:    capacity, refill per second
-- then per event:       bucket number (1-based), event id, the encoded event,
--                       '1' to mark the event for a simulated worker failure
--
-- Returns three values per event, in order: status, detail, remaining tokens.
--   status 0 accepted: the event is in the stream and its key is claimed;
--          1 duplicate: nothing changed, no token spent; detail is the id of
--            the event first accepted under this key (earlier in the same
--            batch included);
--          2 rate limited: nothing claimed, so a later retry is judged afresh;
--            detail is the wait in ms until a token is back;
--          3 not stored (an XADD failed, e.g. out of memory): detail is
--            Redis's error. Then every event of the call gets it, and the
--            call changes nothing: its claims are released, its entries
--            deleted, no token is spent.
-- Events are judged in order against their tenant's bucket, so a batch over
-- the limit accepts its first events and refuses the rest.
--
-- The accepted events of a call go into ONE stream entry, field "events",
-- one encoded event per line (encoded events hold no raw newline): one XADD
-- per call rather than per event, and one entry for the worker to read and
-- acknowledge; its field "n" is how many (read.lua sizes reads by it).
-- Events marked for a simulated failure get an entry of their own, marked
-- "simulate" "failure". KEYS[2] counts the events in the stream
-- (the stream's own length counts entries); the worker's ack.lua and
-- dead_letter.lua take them off again.
-- A refusal never leaves a claim behind: out of tokens, the key is only read
-- (GET), never set. Every key shares the slot of the stream
-- ({queue:conversations} hashes like the stream's own name), so the script
-- runs unchanged on Redis Cluster.
local buckets = tonumber(ARGV[1])
local ttl = ARGV[2]
local t = redis.call('TIME')
local now_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

-- A bucket is one string "<tokens> <last refill ms>"; missing means full.
local capacity, rate, tokens, spent = {}, {}, {}, {}
for b = 1, buckets do
  capacity[b] = tonumber(ARGV[1 + 2 * b])
  rate[b] = tonumber(ARGV[2 + 2 * b])
  tokens[b] = capacity[b]
  spent[b] = false
  local stored = redis.call('GET', KEYS[2 + b])
  if stored then
    local b_tokens, b_ts = string.match(stored, '^(%S+) (%S+)$')
    if b_tokens then
      tokens[b] = math.min(capacity[b],
                           tonumber(b_tokens) + math.max(0, now_ms - tonumber(b_ts)) * rate[b] / 1000)
    end
  end
end

local out = {}
local claimed = {}   -- idempotency keys set by this call
local queued = {}    -- encoded events for the shared entry
local added = {}     -- ids of the entries this call added
local failure = nil
local first = 3 + 2 * buckets
local events = #KEYS - 2 - buckets

local function xadd(...)
  local id = redis.pcall('XADD', KEYS[1], '*', ...)
  if type(id) == 'table' and id.err then
    failure = id.err
  else
    added[#added + 1] = id
  end
end

for i = 1, events do
  local a = first + 4 * (i - 1)
  local b = tonumber(ARGV[a])
  local idem = KEYS[2 + buckets + i]
  local status, detail = 0, ''
  if tokens[b] < 1 then
    local previous = redis.call('GET', idem)
    if previous then
      status, detail = 1, previous
    else
      status, detail = 2, math.ceil((1 - tokens[b]) * 1000 / rate[b])
    end
  else
    local previous = redis.call('SET', idem, ARGV[a + 1], 'NX', 'GET', 'EX', ttl)
    if previous then
      status, detail = 1, previous
    else
      claimed[#claimed + 1] = idem
      if ARGV[a + 3] == '1' then
        xadd('events', ARGV[a + 2], 'n', 1, 'simulate', 'failure')
      else
        queued[#queued + 1] = ARGV[a + 2]
      end
      tokens[b] = tokens[b] - 1
      spent[b] = true
    end
  end
  out[#out + 1] = status
  out[#out + 1] = detail
  out[#out + 1] = math.floor(math.max(0, tokens[b]))
end

if #queued > 0 then xadd('events', table.concat(queued, '\n'), 'n', #queued) end

if failure then
  -- Undo the whole call: the caller answers every event "try again".
  -- One key per call: unpack() cannot spread a batch of 100k.
  for _, key in ipairs(claimed) do redis.call('DEL', key) end
  for _, id in ipairs(added) do redis.call('XDEL', KEYS[1], id) end
  out = {}
  for i = 1, events do
    out[#out + 1] = 3
    out[#out + 1] = failure
    out[#out + 1] = 0
  end
  return out
end

if #claimed > 0 then redis.call('INCRBY', KEYS[2], #claimed) end

-- An idle bucket refills to capacity; past that its key carries no state.
for b = 1, buckets do
  if spent[b] then
    redis.call('SET', KEYS[2 + b], string.format('%.17g %d', tokens[b], now_ms),
               'PX', math.ceil(capacity[b] * 1000 / rate[b]) + 1000)
  end
end
return out
