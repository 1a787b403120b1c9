#!/usr/bin/env bash
# The migration tool for operators: no .NET knowledge needed. Runs from the repository root, so it reads the same
# appsettings.json as the server (environment variables such as Storage__ConnectionString apply on top), and builds
# the tool in Release first whenever its sources changed. Relative paths in flags are relative to the repository root.
#
#   scripts/migrate.sh status
#   scripts/migrate.sh import [--dry-run] [--no-backup] [--batch-size N] [--conflicts report|keep-database|take-file]
#   scripts/migrate.sh verify [--json] [--show N]
#   scripts/migrate.sh archive [--keep-files]
#   scripts/migrate.sh --help          (every command and flag; exit codes in MIGRATION.md)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "migrate.sh: the .NET SDK is needed (version in global.json): https://dot.net" >&2
  exit 1
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dll="src/SafeStream.Migrate/bin/Release/net10.0/safestream-migrate.dll"
changed() {
  find src/SafeStream.Migrate src/SafeStream.Storage Directory.Build.props Directory.Packages.props \
    -newer "$dll" \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' \) \
    -not -path '*/bin/*' -not -path '*/obj/*' -print -quit
}
if [ ! -f "$dll" ] || [ -n "$(changed)" ]; then
  echo "migrate.sh: building the migration tool (Release)..." >&2
  log="$(mktemp)"
  if ! dotnet build src/SafeStream.Migrate -c Release --nologo -v quiet -tl:off >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
  touch "$dll" # an up-to-date build leaves the file as it was; this run's check is done
fi

exec dotnet "$dll" "$@"
