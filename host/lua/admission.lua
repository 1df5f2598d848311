-- admission.lua — the admission decision for one event or a batch of them,
-- atomically, in one round trip.
--
-- KEYS[1]              the queue stream      queue:conversations
-- KEYS[2]              the count of events queued
--                                            queued:{queue:conversations}
-- then three keys per tenant t in the call (t = 1 .. B):
--   KEYS[3t]           its token bucket      bucket:{queue:conversations}:<tenant>
--   KEYS[3t+1], KEYS[3t+2]
--                      its two idempotency generations (hashes)
--                                            idem:{queue:conversations}:<tenant>:0 and :1
-- ARGV[1] B (tenants)   ARGV[2] idempotency TTL (s)
-- then per tenant t:    capacity, refill per second, how many events it has
-- then                  every encoded event of the call, in the order
--                       below, one per line (the entry's text when all
--                       are accepted)
-- then                  the numbers of the events marked for a simulated
--                       worker failure, space-separated (usually empty)
-- then per event:       its event id and its idempotency field
--                       "<channel>:<provider id>"
-- The events come grouped by tenant, tenant 1's first, each tenant's in
-- the order they arrived: tenants share nothing here, so only the order
-- within a tenant matters (the caller puts results back in its order).
--
-- Returns, when every event is accepted (the common case), "accepted" and
-- then each tenant's tokens before the call, floored: its k-th event
-- leaves that many less k. Otherwise three values per event, in the order
-- given: status, detail, remaining tokens.
--   status 0 accepted: the event is in the stream and its key is claimed;
--          1 duplicate: nothing changed, no token spent; detail is the id of
--            the event first accepted under this key (earlier in the same
--            batch included);
--          2 rate limited: nothing claimed, so a later retry is judged afresh;
--            detail is the wait in ms until a token is back;
--          3 not stored (an XADD failed, e.g. out of memory): detail is
--            Redis's error. Then every event of the call gets it, and the
--            call changes nothing: claims are written only after the XADD,
--            its entries are deleted, no token is spent.
-- Events are judged in order against their tenant's bucket, so a batch over
-- the limit accepts its first events and refuses the rest.
--
-- Idempotency keys are fields of two hashes per tenant rather than a key
-- each, so a batch costs two HMGETs and one HSET, not one SET per event
-- (a redis.call, and a command in the AOF, each). A hash has no per-field
-- TTL in Redis 7.0, so the hashes take turns: new claims go into the
-- current generation (the one whose "created" field is newest); once it is
-- TTL old, the other generation is unlinked and becomes current. A claim
-- made at t therefore lives until the second turn after it: at least TTL,
-- and at most twice TTL while the tenant keeps sending (a field is never
-- taken for a claim: fields hold a ':').
-- The "created" fields come with the same HMGETs that look the claims up.
-- A hash is set to expire 3 * TTL after it became current, so a tenant
-- that falls silent leaves nothing behind: it took claims for at most one
-- TTL after that, so each of them still lives at least a TTL.
--
-- The accepted events of a call go into ONE stream entry, field "events",
-- one encoded event per line (encoded events hold no raw newline): one XADD
-- per call rather than per event, and one entry for the worker to read and
-- acknowledge; its field "n" is how many (read.lua sizes reads by it).
-- The events come joined already: when all of them are accepted, the
-- common case, that text is the entry as it is. Every string a script
-- makes is hashed byte by byte (Redis's Lua), so cutting a kilobyte-sized
-- event out of it, or joining pieces, costs as much as the rest of its
-- admission: that is done only when some event is refused.
-- Events marked for a simulated failure get an entry of their own, marked
-- "simulate" "failure". KEYS[2] counts the events in the stream
-- (the stream's own length counts entries); the worker's ack.lua and
-- dead_letter.lua take them off again.
-- A refusal never leaves a claim behind. Every key shares the slot of the
-- stream ({queue:conversations} hashes like the stream's own name), so the
-- script runs unchanged on Redis Cluster.
local tenants = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local t = redis.call('TIME')
local now_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
-- unpack() spreads at most a few thousand values: commands go in chunks.
local chunk = 1000

local function bucket_key(b) return KEYS[3 * b] end

-- Which of tenant b's generations takes claims (current) and which is only
-- read (older), from their "created" times; turns them over, unlinking the
-- older one, when the current one is a TTL old. Returns the current one and
-- whether the values just read from it still hold.
local function generations(b, c0, c1)
  local g0, g1 = KEYS[3 * b + 1], KEYS[3 * b + 2]
  c0, c1 = tonumber(c0), tonumber(c1)
  local current, older, created, current_holds = g0, g1, c0, true
  if c1 and (not c0 or c1 > c0) then current, older, created = g1, g0, c1 end
  if not created or now_ms - created >= ttl * 1000 then
    if created then current, older = older, current end
    redis.call('UNLINK', current)
    redis.call('HSET', current, 'created', string.format('%d', now_ms))
    redis.call('EXPIRE', current, string.format('%d', 3 * ttl))
    current_holds = false  -- what it held was just unlinked
  end
  return current, current_holds
end

-- A bucket is one string "<tokens> <last refill ms>"; missing means full.
local capacity, rate, tokens, current = {}, {}, {}, {}
local first_of, last_of = {}, {}  -- each tenant's events: first_of[b] .. last_of[b]
local events = 0
for b = 1, tenants do
  capacity[b] = tonumber(ARGV[3 * b])
  rate[b] = tonumber(ARGV[3 * b + 1])
  first_of[b] = events + 1
  events = events + tonumber(ARGV[3 * b + 2])
  last_of[b] = events
  tokens[b] = capacity[b]
  local stored = redis.call('GET', bucket_key(b))
  if stored then
    local b_tokens, b_ts = string.match(stored, '^(%S+) (%S+)$')
    if b_tokens then
      tokens[b] = math.min(capacity[b],
                           tonumber(b_tokens) + math.max(0, now_ms - tonumber(b_ts)) * rate[b] / 1000)
    end
  end
end

local joined = ARGV[3 * tenants + 3]
local simulated = {}  -- event number -> true
for n in string.gmatch(ARGV[3 * tenants + 4], '%d+') do simulated[tonumber(n)] = true end
local first = 3 * tenants + 5

-- What each event's field holds already, from either generation. The
-- first lookup of a tenant also reads both "created" fields, which say
-- which generation is which.
local known = {}
for b = 1, tenants do
  local g0, g1 = KEYS[3 * b + 1], KEYS[3 * b + 2]
  for from = first_of[b], last_of[b], chunk do
    local to = math.min(from + chunk - 1, last_of[b])
    local fields, skip = {}, 0  -- skip: values before the events' own
    if from == first_of[b] then fields[1], skip = 'created', 1 end
    for i = from, to do fields[skip + i - from + 1] = ARGV[first + 2 * i - 1] end
    local in0 = redis.call('HMGET', g0, unpack(fields))
    local in1 = redis.call('HMGET', g1, unpack(fields))
    if skip == 1 then
      local holds
      current[b], holds = generations(b, in0[1], in1[1])
      -- Values from a generation just unlinked no longer count.
      if not holds then
        if current[b] == g0 then in0 = {} else in1 = {} end
      end
    end
    for k = 1, to - from + 1 do known[from + k - 1] = in0[k + skip] or in1[k + skip] end
  end
end

local floor, max = math.floor, math.max
local out, n_out = {}, 0
local claims = {}    -- per tenant: field, event id, ... set by this call
local accepted = {}  -- event number -> true; kept only once not everyone is
local everyone = next(simulated) == nil  -- every event accepted, none marked
local before = {}    -- per tenant: its tokens before the call, floored
local added = {}     -- ids of the entries this call added
local failure = nil

local function xadd(...)
  local id = redis.pcall('XADD', KEYS[1], '*', ...)
  if type(id) == 'table' and id.err then
    failure = id.err
  else
    added[#added + 1] = id
  end
end

-- While every event is accepted, the per-event results (out, accepted)
-- are not written: they follow from each tenant's tokens before. The
-- first refusal writes those of the events before it, tenant by tenant.
local function fill_accepted(upto_b, upto_i)
  for b = 1, upto_b do
    local left = before[b]  -- whole, and never short of a token here
    local last = b == upto_b and upto_i or last_of[b]
    for i = first_of[b], last do
      left = left - 1
      accepted[i] = true
      out[n_out + 1], out[n_out + 2], out[n_out + 3] = 0, '', left
      n_out = n_out + 3
    end
  end
end

-- The hot loop of a batch: a Lua table's length (#) is a search, so
-- appends keep their own counts.
for b = 1, tenants do
  local c, n_c, seen = {}, 0, {}  -- seen: field -> event id claimed in this call
  local left, refill = tokens[b], rate[b]
  claims[b] = c
  before[b] = floor(max(0, left))
  for i = first_of[b], last_of[b] do
    local at = first + 2 * (i - 1)
    local id, field = ARGV[at], ARGV[at + 1]
    local status, detail = 0, ''
    local previous = seen[field] or known[i]
    if previous then
      status, detail = 1, previous
    elseif left < 1 then
      status, detail = 2, math.ceil((1 - left) * 1000 / refill)
    else
      seen[field] = id
      c[n_c + 1], c[n_c + 2], n_c = field, id, n_c + 2
      left = left - 1
    end
    if status ~= 0 and everyone then
      everyone = false
      fill_accepted(b, i - 1)
    end
    if not everyone then
      if status == 0 then accepted[i] = true end
      out[n_out + 1], out[n_out + 2], out[n_out + 3] = status, detail, floor(max(0, left))
      n_out = n_out + 3
    end
  end
  tokens[b] = left
end

if everyone then
  xadd('events', joined, 'n', events)
else
  local queued, offset = {}, 1
  for i = 1, events do
    local stop = string.find(joined, '\n', offset, true) or #joined + 1
    if accepted[i] then
      local text = string.sub(joined, offset, stop - 1)
      if simulated[i] then
        xadd('events', text, 'n', 1, 'simulate', 'failure')
      else
        queued[#queued + 1] = text
      end
    end
    offset = stop + 1
  end
  if #queued > 0 then xadd('events', table.concat(queued, '\n'), 'n', #queued) end
end

if failure then
  -- Undo the whole call: the caller answers every event "try again". No
  -- claim has been written yet; only the entries added are taken back.
  for _, id in ipairs(added) do redis.call('XDEL', KEYS[1], id) end
  out = {}
  for _ = 1, events do
    out[#out + 1] = 3
    out[#out + 1] = failure
    out[#out + 1] = 0
  end
  return out
end

local claimed = 0
for b = 1, tenants do
  local c = claims[b]
  for from = 1, #c, 2 * chunk do
    redis.call('HSET', current[b], unpack(c, from, math.min(from + 2 * chunk - 1, #c)))
  end
  claimed = claimed + #c / 2
end
if claimed > 0 then redis.call('INCRBY', KEYS[2], claimed) end

-- An idle bucket refills to capacity; past that its key carries no state.
-- A tenant spent tokens exactly when it claimed something.
for b = 1, tenants do
  if #claims[b] > 0 then
    redis.call('SET', bucket_key(b), string.format('%.17g %d', tokens[b], now_ms),
               'PX', math.ceil(capacity[b] * 1000 / rate[b]) + 1000)
  end
end
if everyone then
  -- Every status is 0 and every remaining count follows from the tenant's
  -- count before: a reply of B + 1 values instead of 3 per event.
  local compact = {'accepted'}
  for b = 1, tenants do compact[b + 1] = before[b] end
  return compact
end
return out
