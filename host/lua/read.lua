-- read.lua — deliver entries to a consumer until they hold about the
-- events wanted, without blocking: new entries (XREADGROUP '>') or, with
-- 'reclaim', entries pending longer than min idle (XAUTOCLAIM), one at a
-- time. An entry holds one event or thousands (one per admission call), so
-- a count of entries alone would bound nothing: 200 entries can be 200
-- events or 200,000. Here a read stops once its entries hold `wanted`
-- events, so what a consumer reads, holds in memory and stores in one
-- transaction stays near worker.batch_size whatever the entries' sizes.
-- The number of events is the entry's "n" field (admission.lua writes it);
-- an entry without one counts as one event.
-- KEYS[1] the stream
-- ARGV[1] group  ARGV[2] consumer  ARGV[3] events wanted  ARGV[4] 'new' or
-- 'reclaim'  ARGV[5] min idle ms (reclaim)
-- Returns the entries, as XREADGROUP does: {id, {field, value, ...}} each.
local group, consumer, wanted = ARGV[1], ARGV[2], tonumber(ARGV[3])
local reclaim = ARGV[4] == 'reclaim'

local function events_in(fields)
  for i = 1, #fields, 2 do
    if fields[i] == 'n' then return tonumber(fields[i + 1]) or 1 end
  end
  return 1
end

local out, events, cursor = {}, 0, '0-0'
-- At most `wanted` entries: each holds at least one event.
for _ = 1, wanted do
  local entry
  if reclaim then
    local r = redis.call('XAUTOCLAIM', KEYS[1], group, consumer, ARGV[5], cursor, 'COUNT', 1)
    cursor, entry = r[1], r[2][1]
    if not entry and cursor == '0-0' then break end
  else
    local r = redis.call('XREADGROUP', 'GROUP', group, consumer, 'COUNT', 1, 'STREAMS', KEYS[1], '>')
    if not r then break end
    entry = r[1][2][1]
  end
  if entry then
    out[#out + 1] = entry
    events = events + events_in(entry[2])
    if events >= wanted then break end
  end
end
return out
