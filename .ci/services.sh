# Sourced by .ci/run: installs and starts the services integration tests need, on loopback only.
# Each block exports the variable its tests read; without it those tests skip with a printed reason.
:
# Dashboard browser test (tests/Mamori.Dashboard.Tests): Debian's Chromium, driven by Playwright; CJK fonts so the
# Japanese UI renders in screenshots. Skipped with a printed reason when /usr/bin/chromium is absent.
if [ ! -x /usr/bin/chromium ]; then apt-get update && apt-get install -y chromium; fi
if ! fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; then apt-get install -y --no-install-recommends fonts-noto-cjk || true; fi
