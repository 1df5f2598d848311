-- replay.lua — put dead-lettered events back on the queue, atomically per
-- call: each is re-added to the stream (a new entry, the same event, so the
-- worker stores it at most once), counted as queued, and removed from the
-- dead-letter stream.
-- KEYS[1] the dead-letter stream   KEYS[2] the stream   KEYS[3] the count
-- ARGV[1..] dead-letter entry ids
-- Returns {dead-letter id, new stream id} for each id found.
local moved = {}
for _, dlq_id in ipairs(ARGV) do
  local entry = redis.call('XRANGE', KEYS[1], dlq_id, dlq_id)
  if #entry == 1 then
    local fields = entry[1][2]
    for i = 1, #fields, 2 do
      if fields[i] == 'event' then
        local new_id = redis.call('XADD', KEYS[2], '*', 'events', fields[i + 1], 'n', 1)
        redis.call('INCR', KEYS[3])
        redis.call('XDEL', KEYS[1], dlq_id)
        table.insert(moved, {dlq_id, new_id})
        break
      end
    end
  end
end
return moved
