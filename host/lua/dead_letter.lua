-- dead_letter.lua — settle an entry some of whose events could not be
-- stored: add each of those to the dead-letter stream with why it failed,
-- then ack and delete the entry (its other events are already stored), and
-- take its events off the count of events queued, atomically, so each
-- failed event is in exactly one of the two streams.
-- KEYS[1] the stream   KEYS[2] the dead-letter stream   KEYS[3] the count
-- ARGV[1] group  ARGV[2] entry id  ARGV[3] events in the entry
-- ARGV[4] failed at (ms), then per failed event: the event as queued,
-- error, stage, attempts
-- Returns the dead-letter entries' ids; none when the entry was already
-- settled (another consumer reclaimed it), so nothing is dead-lettered twice.
if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then return {} end
local ids = {}
for i = 5, #ARGV, 4 do
  ids[#ids + 1] = redis.call('XADD', KEYS[2], '*', 'event', ARGV[i], 'error', ARGV[i + 1],
                             'stage', ARGV[i + 2], 'attempts', ARGV[i + 3],
                             'source_id', ARGV[2], 'failed_at_ms', ARGV[4])
end
if redis.call('XDEL', KEYS[1], ARGV[2]) == 1 then redis.call('DECRBY', KEYS[3], ARGV[3]) end
if redis.call('XLEN', KEYS[1]) == 0 then redis.call('DEL', KEYS[3]) end
return ids
