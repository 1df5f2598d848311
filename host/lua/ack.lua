-- ack.lua — acknowledge stored entries and delete them from the stream, in
-- one step, so the stream holds only what is not yet stored, and take their
-- events off the count of events queued.
-- KEYS[1] the stream   KEYS[2] the count of events queued
-- ARGV[1] the consumer group   then per entry: its id, the events it holds
-- Returns the number of entries acknowledged. An entry already acked (by a
-- consumer that reclaimed it) is not counted twice. The count resets when
-- the stream is empty, so a count left wrong (an entry added by hand, a
-- stream deleted alone) heals itself.
local acked = 0
for i = 2, #ARGV, 2 do
  if redis.call('XACK', KEYS[1], ARGV[1], ARGV[i]) == 1 then
    acked = acked + 1
    if redis.call('XDEL', KEYS[1], ARGV[i]) == 1 then
      redis.call('DECRBY', KEYS[2], ARGV[i + 1])
    end
  end
end
if redis.call('XLEN', KEYS[1]) == 0 then redis.call('DEL', KEYS[2]) end
return acked
