# Sourced by .ci/run: installs and starts the services integration tests need, on loopback only.
# Each block exports the variable its tests read; without it those tests skip with a printed reason.
:

# --- Chromium for the passkey browser test (tests/Mamori.Flows.Tests/WebAuthnBrowserTests.cs); skipped when absent ---
if [ ! -x /usr/bin/chromium ]; then
  (export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq chromium) || echo "services: chromium install failed; the browser test will skip"
fi
