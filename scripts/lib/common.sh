# scripts/lib/common.sh — shared by scripts/run and scripts/test.
#
# mccig_install_deps     apt-get installs whatever Debian package is missing
#                        (MCCIG_PACKAGES, plus any named as arguments)
# mccig_console_packages the browser tests' packages: chromium, fonts, and
#                        node/npm unless the machine already has them
# mccig_install_console_tests  npm ci in tests/e2e (playwright-core; no browser
#                        download: the tests drive Debian's chromium)
# mccig_build            configures and builds into build/ (Ninja)
# mccig_start_services   starts throwaway Redis and PostgreSQL on loopback,
#                        on free ports, under a scratch folder, unless
#                        REDIS_URL / DATABASE_URL are already set; exports both.
#                        A trap stops them and removes the folder on exit.
set -euo pipefail

MCCIG_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MCCIG_BUILD=${MCCIG_BUILD:-$MCCIG_ROOT/build}

MCCIG_PACKAGES=(
  cmake g++ ninja-build pkg-config
  libboost-dev libboost-filesystem-dev libpoco-dev libhiredis-dev libpqxx-dev libpq-dev libjemalloc-dev
  libyaml-cpp-dev libspdlog-dev libgtest-dev libgmock-dev nlohmann-json3-dev libbenchmark-dev
  libsimdjson-dev
  libssl-dev prometheus-cpp-dev redis-server postgresql prometheus
  wrk jq curl postgresql-client
)

log() { printf '\033[1m[mccig]\033[0m %s\n' "$*" >&2; }
die() { printf '[mccig] error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root to run: $*"; fi
}

mccig_install_deps() {
  local missing=() pkg
  for pkg in "${MCCIG_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing: ${missing[*]}"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
}

mccig_console_packages() {
  local packages=(chromium fonts-dejavu-core)
  # A Node.js the machine already has (say, a newer one from elsewhere) is
  # kept: Debian's npm package would replace it.
  command -v node >/dev/null || packages+=(nodejs)
  command -v npm >/dev/null || packages+=(npm)
  echo "${packages[@]}"
}

mccig_install_console_tests() {
  log "installing the browser tests' node modules (npm ci in tests/e2e)"
  (cd "$MCCIG_ROOT/tests/e2e" &&
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error) ||
    die "npm ci failed in tests/e2e"
}

mccig_build() {
  log "building into $MCCIG_BUILD"
  cmake -S "$MCCIG_ROOT" -B "$MCCIG_BUILD" -G Ninja -DCMAKE_BUILD_TYPE="${MCCIG_BUILD_TYPE:-RelWithDebInfo}" >/dev/null
  cmake --build "$MCCIG_BUILD" -- -j"$(nproc)"
}

# A TCP port on 127.0.0.1 that nothing listens on (random, so parallel runs
# on one machine do not collide). Drawn below the kernel's ephemeral range
# (ip_local_port_range), where outgoing connections never hold a port that
# a server would then fail to bind.
mccig_free_port() {
  local port ephemeral low=20000 high=32767
  if [ -r /proc/sys/net/ipv4/ip_local_port_range ]; then
    read -r ephemeral _ < /proc/sys/net/ipv4/ip_local_port_range
    [ "$ephemeral" -gt 11000 ] && high=$((ephemeral - 1))
    [ "$high" -le "$low" ] && low=10000
  fi
  for _ in $(seq 1 100); do
    port=$(( (RANDOM << 15 | RANDOM) % (high - low) + low ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  die "no free port found"
}

MCCIG_SCRATCH=""
MCCIG_PG_DATA=""
MCCIG_REDIS_PIDFILE=""

mccig_stop_services() {
  set +e
  if [ -n "$MCCIG_REDIS_PIDFILE" ] && [ -f "$MCCIG_REDIS_PIDFILE" ]; then
    kill "$(cat "$MCCIG_REDIS_PIDFILE")" 2>/dev/null
  fi
  if [ -n "$MCCIG_PG_DATA" ] && [ -d "$MCCIG_PG_DATA" ]; then
    pg_as_owner "$PG_BIN/pg_ctl" -D "$MCCIG_PG_DATA" -m immediate -w stop >/dev/null 2>&1
  fi
  [ -n "$MCCIG_SCRATCH" ] && rm -rf "$MCCIG_SCRATCH"
}

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)

# PostgreSQL refuses to run as root: run it as the postgres user then.
pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Starts Redis on a free port; a port taken between the check and the bind
# (another run on the machine) just means trying the next one.
mccig_start_redis() {
  local port attempt
  mkdir -p "$MCCIG_SCRATCH/redis"
  MCCIG_REDIS_PIDFILE="$MCCIG_SCRATCH/redis/redis.pid"
  for attempt in 1 2 3; do
    port=$(mccig_free_port)
    redis-server --bind 127.0.0.1 --port "$port" --dir "$MCCIG_SCRATCH/redis" \
      --appendonly yes --appendfsync everysec --save '' --lazyfree-lazy-expire yes \
      --auto-aof-rewrite-percentage 400 --auto-aof-rewrite-min-size 256mb --rdbcompression no \
      --daemonize yes --pidfile "$MCCIG_REDIS_PIDFILE" --logfile "$MCCIG_SCRATCH/redis/redis.log" \
      || die "redis-server did not start"
    for _ in $(seq 1 100); do
      redis-cli -p "$port" ping >/dev/null 2>&1 && break
      sleep 0.1
    done
    if redis-cli -p "$port" ping >/dev/null 2>&1; then
      export REDIS_URL="redis://127.0.0.1:$port/0"
      export MCCIG_REDIS_PORT=$port
      log "redis      $REDIS_URL"
      return
    fi
    log "redis did not answer on port $port (attempt $attempt):"
    tail -n 5 "$MCCIG_SCRATCH/redis/redis.log" >&2 || true
    [ -f "$MCCIG_REDIS_PIDFILE" ] && kill "$(cat "$MCCIG_REDIS_PIDFILE")" 2>/dev/null
  done
  die "redis did not start; see the lines above"
}

mccig_start_postgres() {
  [ -n "$PG_BIN" ] || die "PostgreSQL binaries not found under /usr/lib/postgresql"
  local port attempt started=""
  MCCIG_PG_DATA="$MCCIG_SCRATCH/pg"
  mkdir -p "$MCCIG_PG_DATA"
  [ "$(id -u)" -eq 0 ] && chown postgres "$MCCIG_SCRATCH" "$MCCIG_PG_DATA"
  pg_as_owner "$PG_BIN/initdb" -D "$MCCIG_PG_DATA" -U postgres --auth=trust -E UTF8 >/dev/null \
    || die "initdb failed"
  # A port taken between the check and the bind means trying another one.
  for attempt in 1 2 3; do
    port=$(mccig_free_port)
    if pg_as_owner "$PG_BIN/pg_ctl" -D "$MCCIG_PG_DATA" -l "$MCCIG_PG_DATA/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $MCCIG_PG_DATA -c fsync=off" start >/dev/null; then
      started=1
      break
    fi
    log "postgres did not start on port $port (attempt $attempt):"
    tail -n 5 "$MCCIG_PG_DATA/server.log" >&2 || true
  done
  [ -n "$started" ] || die "postgres did not start; see the lines above"
  "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE ROLE mccig LOGIN SUPERUSER" >/dev/null
  "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres -O mccig mccig
  export DATABASE_URL="postgresql://mccig@127.0.0.1:$port/mccig"
  export MCCIG_PG_PORT=$port MCCIG_PG_BIN=$PG_BIN MCCIG_PG_DATA
  log "postgres   $DATABASE_URL"
}

mccig_start_services() {
  MCCIG_SCRATCH=$(mktemp -d /tmp/mccig-run.XXXXXX)
  chmod 755 "$MCCIG_SCRATCH"
  export MCCIG_SCRATCH
  trap mccig_stop_services EXIT
  trap 'exit 130' INT TERM
  if [ -z "${REDIS_URL:-}" ]; then mccig_start_redis; else log "redis      $REDIS_URL (given)"; fi
  if [ -z "${DATABASE_URL:-}" ]; then mccig_start_postgres; else log "postgres   $DATABASE_URL (given)"; fi
}
