# Sourced by .ci/run: installs and starts the services integration tests need, on loopback only.
# Each block exports the variable its tests read; without it those tests skip with a printed reason.
:
# Breach (issue 5): the independent `hibp` npm client that HibpClientTests runs against the range API.
if command -v npm >/dev/null 2>&1; then npm ci --prefix tests/hibp-client --no-audit --no-fund >/dev/null 2>&1 || echo "services: npm ci for tests/hibp-client failed; HibpClientTests will skip"; else echo "services: npm not found; HibpClientTests will skip"; fi
