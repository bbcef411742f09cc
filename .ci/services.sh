# Sourced by .ci/run: installs and starts the services integration tests need, on loopback only.
# Each block exports the variable its tests read; without it those tests skip with a printed reason.
:

# --- Redis (signal store tests: tests/Mamori.State.Tests; MAMORI_TEST_REDIS=host:port) ---
# Debian's redis-server, on loopback, no persistence, as a daemon; reused if this script already started it.
mamori_redis_port=${MAMORI_REDIS_PORT:-46379}
if ! command -v redis-server >/dev/null 2>&1; then
  for attempt in 1 2 3; do
    (apt-get update -qq || true) >/dev/null 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null 2>&1 && break
    echo "services: apt-get install redis-server failed (attempt $attempt), retrying" >&2
    sleep 5
  done
fi
if command -v redis-server >/dev/null 2>&1; then
  if ! redis-cli -h 127.0.0.1 -p "$mamori_redis_port" ping >/dev/null 2>&1; then
    redis-server --bind 127.0.0.1 --port "$mamori_redis_port" --save "" --appendonly no \
      --daemonize yes --pidfile "/tmp/mamori-redis-$mamori_redis_port.pid" --logfile "/tmp/mamori-redis-$mamori_redis_port.log"
    for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p "$mamori_redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  if redis-cli -h 127.0.0.1 -p "$mamori_redis_port" ping >/dev/null 2>&1; then
    export MAMORI_TEST_REDIS="127.0.0.1:$mamori_redis_port"
    echo "services: redis-server $(redis-server --version | awk '{print $3}') on $MAMORI_TEST_REDIS"
  else
    echo "services: redis-server did not start; Redis tests will skip (see /tmp/mamori-redis-$mamori_redis_port.log)" >&2
  fi
else
  echo "services: redis-server not installed; Redis tests will skip" >&2
fi
