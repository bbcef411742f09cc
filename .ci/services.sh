# Sourced by .ci/run: installs and starts the services integration tests need, on loopback only.
# Each block exports the variable its tests read; without it those tests skip with a printed reason.
:
