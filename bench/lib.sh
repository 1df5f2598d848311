# bench/lib.sh — shared by the bench/ scripts: a gateway on a generated
# config, the rows it stored, wrk runs and medians. Source it after
# scripts/lib/common.sh has started the services (REDIS_URL, DATABASE_URL).
#
# bench_write_config FILE PORT [TENANT_YAML...]  the gateway's config: all
#                        three plugins, warn-level logs, the given tenants;
#                        the server's defaults otherwise
# bench_tenant ID KEY CAPACITY REFILL   one tenant entry for the above
# bench_start_gateway COMMAND CONFIG PORT   `mccig COMMAND` in the background
#                        (BENCH_GATEWAY: its pid), ready once /healthz answers
# bench_stop_gateway     SIGTERM and wait (a graceful drain)
# bench_rows TENANT      its stored rows
# bench_wait_rows TENANT AT_LEAST  waits until the tenant has that many rows
#                        and the count has stopped moving; prints the count
# bench_wait_drained     waits until the queue stream is empty: the worker
#                        has committed and acknowledged every entry
# bench_wrk SCRIPT URL THREADS CONNECTIONS SECONDS  runs a bench/wrk script;
#                        prints its result line (JSON)
# bench_wrk_paced URL KEY TENANT RATE SECONDS  good_citizen.lua's 100
#                        connections paced to RATE requests/s; its result line
# bench_field JSON JQ_FILTER  one value of a result line
# bench_row_latency TENANT…  request to stored row, "p50 / p95 / p99" in ms,
#                        over the rows of the tenants named (the event's send
#                        time, its timestamp, to the start of the transaction
#                        that stored it)
# bench_gbench_median FILE NAME_PREFIX NAME_PART  items/s of a Google
#                        Benchmark JSON output: its median aggregate, or the
#                        median of its runs
# bench_median [N…]      the median of the numbers given, or of those on stdin
# bench_rss_kib PID      resident memory
# bench_cpu_ticks PID [THREAD_NAME]  CPU time used so far (user + system,
#                        clock ticks) by the process, or by its threads of
#                        that name (the gateway names them: http-loop,
#                        admission, worker-N, stream-loop)
# bench_us_per TICKS_BEFORE TICKS_AFTER COUNT  the CPU between two of the
#                        above, in µs per one of COUNT
# bench_redis_pid        the pid of the Redis at REDIS_URL
# bench_start_nginx      nginx answering every request with a constant 201
#                        (the ceiling), one worker per core, on
#                        BENCH_NGINX_PORT; bench_stop_nginx stops it
# bench_steal_mark       a reading of the machine's steal time and the clock:
#                        time this virtual machine was ready to run and its
#                        host ran something else. On a shared host it is what
#                        makes one hour slower than the next
# bench_steal_pct MARK   the steal time since that reading, in % of one core
# bench_child_cpu_ticks PID  CPU time of the children it has waited for
#                        (Redis's AOF rewrites, once each has ended)
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_GATEWAY=""
BENCH_NGINX="" BENCH_NGINX_PORT=""

bench_tenant() {
  printf '  - id: %s\n    rate_limit: {capacity: %s, refill_per_second: %s}\n    api_keys_sha256: [%s]\n' \
    "$1" "$3" "$4" "$(printf '%s' "$2" | sha256sum | cut -d' ' -f1)"
}

bench_write_config() {
  local file=$1 port=$2
  shift 2
  {
    cat <<YAML
server: {listen: "127.0.0.1:$port"}
redis: {url: "$REDIS_URL"}
postgres: {url: "$DATABASE_URL"}
log: {level: warn}
plugin_dir: $MCCIG_BUILD/plugins
plugins:
  - {name: sms, path: libmccig_sms.so}
  - {name: chat, path: libmccig_chat.so}
  - {name: voice, path: libmccig_voice.so}
tenants:
YAML
    printf '%s\n' "$@"
  } > "$file"
}

bench_start_gateway() {
  "$MCCIG_BUILD/bin/mccig" "$1" --config "$2" &
  BENCH_GATEWAY=$!
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$3/healthz" >/dev/null && return
    kill -0 "$BENCH_GATEWAY" 2>/dev/null || die "mccig $1 exited; see its log above"
    sleep 0.1
  done
  die "mccig $1 did not answer /healthz on port $3"
}

bench_stop_gateway() {
  [ -n "$BENCH_GATEWAY" ] || return 0
  kill -TERM "$BENCH_GATEWAY" 2>/dev/null || true
  wait "$BENCH_GATEWAY" 2>/dev/null || true
  BENCH_GATEWAY=""
}

bench_sql() { psql "$DATABASE_URL" -tAc "$1"; }
bench_rows() { bench_sql "SELECT COUNT(*) FROM conversation_events WHERE tenant_id = '$1'"; }

bench_wait_rows() {
  local last=-1 now stable=0 deadline=$((SECONDS + 120))
  while [ "$SECONDS" -lt "$deadline" ]; do
    now=$(bench_rows "$1")
    if [ "$now" -ge "$2" ] && [ "$now" -eq "$last" ]; then
      stable=$((stable + 1))
      [ "$stable" -ge 3 ] && { echo "$now"; return; }
    else
      stable=0
    fi
    last=$now
    sleep 0.2
  done
  echo "$now"
}

# Asks Redis, not PostgreSQL: a COUNT(*) over a growing table every few
# milliseconds would cost PostgreSQL a good part of a core itself, and be
# charged to the worker it is timing.
bench_wait_drained() {
  until [ "$(redis-cli -u "$REDIS_URL" XLEN queue:conversations)" -eq 0 ]; do sleep 0.02; done
}

bench_wrk() {
  local out
  out=$(wrk --latency -t "$3" -c "$4" -d "$5s" --timeout 10s -s "$BENCH_DIR/wrk/$1" "$2") ||
    die "wrk failed: $out"
  grep '^result: ' <<<"$out" | cut -d' ' -f2- | grep . || die "wrk printed no result: $out"
}

bench_wrk_paced() {
  MCCIG_KEY="$2" MCCIG_TENANT="$3" MCCIG_RATE="$4" MCCIG_WRK_THREADS=2 \
    bench_wrk good_citizen.lua "$1" 2 100 "$5"
}

bench_field() { jq -r "$2" <<<"$1"; }

bench_row_latency() {
  local tenants
  tenants=$(IFS=,; echo "$*")
  bench_sql "SELECT string_agg(round(p::numeric, 1)::text, ' / ') FROM unnest(
      (SELECT percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (
         ORDER BY EXTRACT(EPOCH FROM created_at - occurred_at) * 1000)
       FROM conversation_events WHERE tenant_id = ANY('{$tenants}'))) AS p"
}

bench_gbench_median() {  # the median aggregate, or the median of the runs when there is none
  jq -r --arg b "$2" --arg t "$3" '[.benchmarks[]
      | select((.name | startswith($b)) and (.name | contains($t)) and ((.aggregate_name // "median") == "median"))
      | .items_per_second] | sort | .[(length - 1) / 2 | floor]' "$1"
}

bench_median() {
  if [ $# -gt 0 ]; then printf '%s\n' "$@" | bench_median; return; fi
  sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'
}
bench_rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
bench_cpu_ticks() {
  local task ticks=0
  for task in /proc/"$1"/task/*; do
    if [ -z "${2:-}" ] || [[ "$(cat "$task/comm" 2>/dev/null)" == $2* ]]; then
      # utime and stime, counted from after the ")" that ends the name
      ticks=$((ticks + $(sed 's/.*) //' "$task/stat" 2>/dev/null | awk '{print $12 + $13}' || echo 0)))
    fi
  done
  echo "$ticks"
}
bench_us_per() {
  awk -v a="$1" -v b="$2" -v n="$3" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.0f", (b - a) * 1e6 / hz / n}'
}
bench_redis_pid() {
  redis-cli -u "$REDIS_URL" INFO server | awk -F: '/^process_id/ {print $2}' | tr -d '\r'
}
bench_steal_mark() { echo "$(awk '/^cpu / {print $9}' /proc/stat) $(date +%s.%N)"; }
bench_steal_pct() {
  local now
  now=$(bench_steal_mark)
  awk -v a="$1" -v b="$now" -v hz="$(getconf CLK_TCK)" 'BEGIN {
    split(a, x, " "); split(b, y, " "); printf "%.0f", (y[1] - x[1]) * 100 / hz / (y[2] - x[2]) }'
}
bench_child_cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $14 + $15}'; }

bench_start_nginx() {
  local dir="$MCCIG_SCRATCH/nginx"
  BENCH_NGINX_PORT=$(mccig_free_port)
  mkdir -p "$dir"
  cat > "$dir/nginx.conf" <<NGINX
worker_processes auto;
daemon off;
pid $dir/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/body;
  server {
    listen 127.0.0.1:$BENCH_NGINX_PORT;
    default_type application/json;
    location / { return 201 '{"status":"accepted","event_id":"0192f1a2-7c4e-7d9b-a1e2-3b4c5d6e7f80","provider_message_id":"SM1"}'; }
  }
}
NGINX
  /usr/sbin/nginx -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf" &
  BENCH_NGINX=$!
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$BENCH_NGINX_PORT/" && return; sleep 0.1; done
  die "nginx did not answer on port $BENCH_NGINX_PORT; see $dir/error.log"
}

bench_stop_nginx() {
  [ -n "$BENCH_NGINX" ] || return 0
  kill "$BENCH_NGINX" 2>/dev/null || true
  wait "$BENCH_NGINX" 2>/dev/null || true
  BENCH_NGINX=""
}
