-- admission.lua — the admission decision for one event or a batch of them,
-- atomically, in one round trip.
--
-- KEYS[1]              the queue stream      queue:conversations
-- KEYS[2 .. 1+B]       one token bucket per tenant in the call
--                                            bucket:{queue:conversations}:<tenant>
-- KEYS[2+B .. 1+B+N]   one idempotency key per event, in event order
--                      idem:{queue:conversations}:<tenant>:<channel>:<provider id>
-- ARGV[1] B (buckets)   ARGV[2] idempotency TTL (s)
-- then per bucket b:    capacity, refill per second
-- then per event:       bucket number (1-based), event id, the encoded event,
--                       '1' to mark the entry for a simulated worker failure
--
-- Returns three values per event, in order: status, detail, remaining tokens.
--   status 0 accepted: the event is in the stream and its key is claimed;
--          1 duplicate: nothing changed, no token spent; detail is the id of
--            the event first accepted under this key (earlier in the same
--            batch included);
--          2 rate limited: nothing claimed, so a later retry is judged afresh;
--            detail is the wait in ms until a token is back;
--          3 not stored (the XADD failed, e.g. out of memory): nothing claimed;
--            detail is Redis's error. Every later event of the call gets it too.
-- Events are judged in order against their tenant's bucket, so a batch over
-- the limit accepts its first events and refuses the rest.
-- A refusal never leaves a claim behind: out of tokens, the key is only read
-- (GET), never set; a failed XADD releases the claim it just made. Every key
-- shares the slot of the stream ({queue:conversations} hashes like the
-- stream's own name), so the script runs unchanged on Redis Cluster.
-- Two redis.call per accepted event (SET NX GET, XADD), plus a GET and a SET
-- per bucket per call.
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
  local stored = redis.call('GET', KEYS[1 + b])
  if stored then
    local b_tokens, b_ts = string.match(stored, '^(%S+) (%S+)$')
    if b_tokens then
      tokens[b] = math.min(capacity[b],
                           tonumber(b_tokens) + math.max(0, now_ms - tonumber(b_ts)) * rate[b] / 1000)
    end
  end
end

local out = {}
local failure = nil
local first = 3 + 2 * buckets
for i = 1, #KEYS - 1 - buckets do
  local a = first + 4 * (i - 1)
  local b = tonumber(ARGV[a])
  local idem = KEYS[1 + buckets + i]
  local status, detail = 0, ''
  if failure then
    status, detail = 3, failure
  elseif tokens[b] < 1 then
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
      local added
      if ARGV[a + 3] == '1' then
        added = redis.pcall('XADD', KEYS[1], '*', 'event', ARGV[a + 2], 'simulate', 'failure')
      else
        added = redis.pcall('XADD', KEYS[1], '*', 'event', ARGV[a + 2])
      end
      if type(added) == 'table' and added.err then
        redis.call('DEL', idem)
        failure = added.err
        status, detail = 3, failure
      else
        tokens[b] = tokens[b] - 1
        spent[b] = true
      end
    end
  end
  out[#out + 1] = status
  out[#out + 1] = detail
  out[#out + 1] = math.floor(math.max(0, tokens[b]))
end

-- An idle bucket refills to capacity; past that its key carries no state.
for b = 1, buckets do
  if spent[b] then
    redis.call('SET', KEYS[1 + b], string.format('%.17g %d', tokens[b], now_ms),
               'PX', math.ceil(capacity[b] * 1000 / rate[b]) + 1000)
  end
end
return out
