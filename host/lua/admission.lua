-- admission.lua — the whole admission decision, atomically, in one round trip.
--
-- KEYS[1] the queue stream            queue:conversations
-- KEYS[2] the idempotency key         idem:{queue:conversations}:<tenant>:<channel>:<provider id>
-- KEYS[3] the tenant's token bucket   bucket:{queue:conversations}:<tenant>
-- ARGV[1] bucket capacity   ARGV[2] refill per second   ARGV[3] idempotency TTL (s)
-- ARGV[4] the encoded event ARGV[5] the event id
-- ARGV[6] '1' to mark the entry for a simulated worker failure (simulation mode)
--
-- Returns {status, retry_after_ms, remaining, event_id}:
--   status 0 accepted (the event is in the stream and the key is claimed),
--          1 duplicate (nothing changed, no token spent; event_id is the
--            id of the event first accepted under this key),
--          2 rate limited (nothing claimed: a later retry is judged afresh).
-- Every path leaves Redis as it found it unless it accepts: the key is
-- claimed first (SET NX GET: one call is both the duplicate check and the
-- claim) and released again before any refusal or failed enqueue. The
-- script is atomic, so no other client ever sees that claim.
-- Every key shares the slot of the stream ({queue:conversations} hashes like
-- the stream's own name), so the script runs unchanged on Redis Cluster.
-- Five redis.call per acceptance: each one costs about a microsecond.
local previous = redis.call('SET', KEYS[2], ARGV[5], 'NX', 'GET', 'EX', ARGV[3])
if previous then
  return {1, 0, 0, previous}
end

local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local t = redis.call('TIME')
local now_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

-- The bucket is one string "<tokens> <last refill ms>"; missing means full.
local tokens, ts = capacity, now_ms
local bucket = redis.call('GET', KEYS[3])
if bucket then
  local b_tokens, b_ts = string.match(bucket, '^(%S+) (%S+)$')
  tokens = math.min(capacity, tonumber(b_tokens) + math.max(0, now_ms - tonumber(b_ts)) * rate / 1000)
end

if tokens < 1 then
  redis.call('DEL', KEYS[2])
  return {2, math.ceil((1 - tokens) * 1000 / rate), 0, ''}
end

local added
if ARGV[6] == '1' then
  added = redis.pcall('XADD', KEYS[1], '*', 'event', ARGV[4], 'simulate', 'failure')
else
  added = redis.pcall('XADD', KEYS[1], '*', 'event', ARGV[4])
end
if type(added) == 'table' and added.err then
  redis.call('DEL', KEYS[2])
  return added
end

tokens = tokens - 1
-- An idle bucket refills to capacity; past that its key carries no state.
redis.call('SET', KEYS[3], string.format('%.17g %d', tokens, now_ms),
           'PX', math.ceil(capacity * 1000 / rate) + 1000)
return {0, 0, math.floor(tokens), ARGV[5]}
