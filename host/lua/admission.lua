-- admission.lua — the whole admission decision, atomically, in one round trip.
--
-- KEYS[1] the queue stream            queue:conversations
-- KEYS[2] the idempotency key         idem:{queue:conversations}:<tenant>:<channel>:<provider id>
-- KEYS[3] the tenant's token bucket   bucket:{queue:conversations}:<tenant>
-- ARGV[1] bucket capacity   ARGV[2] refill per second   ARGV[3] idempotency TTL (s)
-- ARGV[4] the encoded event
--
-- Returns {status, retry_after_ms, remaining, stream_id}:
--   status 0 accepted (the event is in the stream and the key is claimed),
--          1 duplicate (nothing changed: no token spent),
--          2 rate limited (nothing claimed: a later retry is judged afresh).
-- Order matters: duplicate check, then the token, then claim + enqueue. Any
-- other order can turn a refused request's retry into a false duplicate.
-- Every key shares the slot of the stream ({queue:conversations} hashes like
-- the stream's own name), so the script runs unchanged on Redis Cluster.
if redis.call('EXISTS', KEYS[2]) == 1 then
  return {1, 0, 0, ''}
end

local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local t = redis.call('TIME')
local now_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

local bucket = redis.call('HMGET', KEYS[3], 'tokens', 'ts')
local tokens = tonumber(bucket[1])
local ts = tonumber(bucket[2])
if tokens == nil or ts == nil then
  tokens = capacity
  ts = now_ms
end
tokens = math.min(capacity, tokens + math.max(0, now_ms - ts) * rate / 1000)

if tokens < 1 then
  return {2, math.ceil((1 - tokens) * 1000 / rate), 0, ''}
end

tokens = tokens - 1
redis.call('HSET', KEYS[3], 'tokens', tokens, 'ts', now_ms)
-- An idle bucket refills to capacity; past that its key carries no state.
redis.call('PEXPIRE', KEYS[3], math.ceil(capacity * 1000 / rate) + 1000)

local id = redis.call('XADD', KEYS[1], '*', 'event', ARGV[4])
redis.call('SET', KEYS[2], id, 'EX', tonumber(ARGV[3]))
return {0, 0, math.floor(tokens), id}
