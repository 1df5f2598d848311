-- ack.lua — acknowledge stored entries and delete them from the stream, in
-- one step, so the stream holds only what is not yet stored, and take their
-- events off the count of events queued.
-- KEYS[1] the stream   KEYS[2] the count of events queued
-- ARGV[1] the consumer group   then per entry: its id, the events it holds
-- Returns the number of entries acknowledged. An entry already acked (by a
-- consumer that reclaimed it) is not counted twice. The count resets when
-- the stream is empty, so a count left wrong (an entry added by hand, a
-- stream deleted alone) heals itself.
--
-- The entries go by chunks of up to `chunk`, each with one XACK, one XDEL
-- and one DECRBY for all its entries: a read of single requests holds a
-- dozen entries or more, and each command a script makes is propagated to
-- the AOF on its own. Every script that acks an entry deletes it in the
-- same step, so when XACK acks the whole chunk, no entry of it was settled
-- before and all of them are this call's to delete and uncount. When it
-- acks fewer (another consumer reclaimed and settled some), the entries are
-- deleted one by one, and only those still in the stream are uncounted.
local chunk = 1000  -- unpack() spreads at most a few thousand values
local acked = 0
for from = 2, #ARGV, 2 * chunk do
  local to = math.min(from + 2 * chunk - 1, #ARGV)
  local ids, events = {}, 0
  for i = from, to, 2 do
    ids[#ids + 1] = ARGV[i]
    events = events + tonumber(ARGV[i + 1])
  end
  local now = redis.call('XACK', KEYS[1], ARGV[1], unpack(ids))
  acked = acked + now
  if now == #ids then
    redis.call('XDEL', KEYS[1], unpack(ids))
    redis.call('DECRBY', KEYS[2], events)
  elseif now > 0 then
    local ours = 0
    for i = from, to, 2 do
      if redis.call('XDEL', KEYS[1], ARGV[i]) == 1 then ours = ours + tonumber(ARGV[i + 1]) end
    end
    if ours > 0 then redis.call('DECRBY', KEYS[2], ours) end
  end
end
if redis.call('XLEN', KEYS[1]) == 0 then redis.call('DEL', KEYS[2]) end
return acked
