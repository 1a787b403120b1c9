#!/usr/bin/env bash
# End-to-end load test (DESIGN.md "Performance targets"): builds the server and the benchmarks in Release, then
# measures a bare WebSocket broadcaster and the SafeStream server in DatabaseFirst and DatabaseOnly, with 20 and 200
# chat clients on loopback, and prints one table with the ratio to the bare broadcaster. Takes about 3 minutes.
#
#   scripts/loadtest.sh                         the full run
#   scripts/loadtest.sh --bare-only             only the bare broadcaster (checks the machine and the generator)
#   scripts/loadtest.sh --duration 10           a longer window per row (seconds; default 6, warm-up 2)
#   scripts/loadtest.sh --clients 20 --rates 12000 --modes DatabaseFirst
#   scripts/loadtest.sh --server-arg --Limits:SendQueueFrames=4096   pass a setting to the server (repeatable)
#   scripts/loadtest.sh --providers Sqlite,PostgreSQL   each mode on SQLite and on PostgreSQL, side by side (a throwaway
#                                               cluster from scripts/postgres-dev.sh, or --connection "Host=…;Username=…")
#
# Run it on an otherwise idle machine: the servers and the generator share its cores, and the "other" column shows
# how much CPU anything else took during each measurement.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
echo "building (Release)..." >&2
dotnet build -c Release -v q -nologo bench/SafeStream.Bench >&2
exec dotnet bench/SafeStream.Bench/bin/Release/net10.0/SafeStream.Bench.dll load "$@"
