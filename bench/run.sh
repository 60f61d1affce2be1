#!/usr/bin/env bash
# bench/run.sh - the benchmarks of issues 7 and 13 in one run: intake throughput against a bare MailKit download (the
# limit), mbsync and getmail6+ripmime; how intake grows with the registry and the backlog; IDLE latency; peak memory of
# a large mail; the daily digest over 50,000 open notices.
#
#   bench/run.sh [--mails 1000] [--runs 3] [--only intake,peer,bare,mbsync,registry,mails,idle,memory,digest] …   (--help)
#
# Needs the .NET 10 SDK and root (apt-get for getmail6, ripmime, isync and time; the mail stack's daemons). Uses the
# loopback mail stack if it runs, else starts it (tools/mailstack/start.sh, never --reset: others may be using it); works
# in IMAP folders of its own (bench-<id>…) and deletes them afterwards. Not part of ./test.sh. One run at a time on a
# shared machine: flock /work/bench.lock bench/run.sh …
#   MAILSTACK_ENV   the mail stack's env file (default $MAILSTACK_DIR/mailstack.env)
#   MAILSTACK_DIR   where the mail stack lives (default /tmp/mailstack; its folder is started if it is not running)
#   BENCH_*         every flag as an environment variable, e.g. BENCH_MAILS=400
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "bench/run.sh: 'dotnet' not found: install the .NET 10 SDK first" >&2
  exit 1
fi

if [ "$(id -u)" -ne 0 ]; then
  pass=()
  for v in PATH DOTNET_ROOT MAILSTACK_DIR MAILSTACK_ENV $(compgen -e | grep '^BENCH_' || true); do
    if [ -n "${!v:-}" ]; then pass+=("$v=${!v}"); fi
  done
  exec sudo env "${pass[@]}" bash "$ROOT/bench/run.sh" "$@"
fi

if [ -n "${MAILSTACK_ENV:-}" ]; then
  export MAILSTACK_DIR="${MAILSTACK_DIR:-$(dirname "$MAILSTACK_ENV")}"
else
  export MAILSTACK_ENV="${MAILSTACK_DIR:-/tmp/mailstack}/mailstack.env"
fi

missing=()
command -v getmail >/dev/null 2>&1 || missing+=(getmail6)
command -v ripmime >/dev/null 2>&1 || missing+=(ripmime)
command -v mbsync >/dev/null 2>&1 || missing+=(isync)
[ -x /usr/bin/time ] || missing+=(time)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "bench/run.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends "${missing[@]}" ||
    { apt-get update -q && apt-get install -y -q --no-install-recommends "${missing[@]}"; }
fi

imap_up() {
  [ -f "$MAILSTACK_ENV" ] || return 1
  # shellcheck disable=SC1090
  ( . "$MAILSTACK_ENV" && exec 3<>"/dev/tcp/$MAILSTACK_HOST/$MAILSTACK_IMAP_PORT" ) 2>/dev/null
}
if imap_up; then
  echo "bench/run.sh: using the running mail stack ($MAILSTACK_ENV)"
else
  echo "bench/run.sh: starting the mail stack in $MAILSTACK_DIR"
  # A stack that ran before comes back on its own ports (its env file names them).
  # shellcheck disable=SC1090
  if [ -f "$MAILSTACK_ENV" ]; then (. "$MAILSTACK_ENV" && export MAILSTACK_IMAP_PORT MAILSTACK_IMAPS_PORT MAILSTACK_SMTP_PORT && bash tools/mailstack/start.sh); else bash tools/mailstack/start.sh; fi
fi

dotnet build Worker/MailIntake.Worker.csproj -c Release -v quiet -nologo
dotnet build bench/MailIntake.Bench.csproj -c Release -v quiet -nologo
exec dotnet bench/bin/Release/net10.0/mailintake-bench.dll --program Worker/bin/Release/net10.0 "$@"
