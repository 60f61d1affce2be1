#!/usr/bin/env bash
# cyrus-stop.sh - stop the private Cyrus IMAP started by cyrus-start.sh. Only the master process recorded in this
# instance's pid file is signalled (it stops its children); nothing is matched by name. Safe when nothing runs.
#
# Usage: sudo ./cyrus-stop.sh [--purge] [--quiet]
#   --purge  also delete $MAILSTACK_DIR (default /tmp/mailstack-cyrus)
set -euo pipefail

BASE=${MAILSTACK_DIR:-/tmp/mailstack-cyrus}
PURGE=0; QUIET=0
for arg in "$@"; do
  case "$arg" in
    --purge) PURGE=1 ;;
    --quiet) QUIET=1 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "cyrus-stop.sh: unknown argument: $arg" >&2; exit 2 ;;
  esac
done
log() { [ "$QUIET" = 1 ] || printf '[cyrus] %s\n' "$*"; }

[ "$(id -u)" -eq 0 ] || { echo "cyrus-stop.sh: must run as root" >&2; exit 1; }
case "$BASE" in /*) ;; *) echo "cyrus-stop.sh: MAILSTACK_DIR must be absolute" >&2; exit 1 ;; esac

alive() {
  local st
  st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
  [ -n "$st" ] && [ "$st" != Z ]
}

PIDFILE="$BASE/run/master.pid"
pid=""
if [ -s "$PIDFILE" ]; then
  pid=$(tr -dc '0-9' < "$PIDFILE")
  # a stale pid file, or a pid recycled by another program, is left alone
  if [ -z "$pid" ] || ! alive "$pid" || [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" != /usr/lib/cyrus/bin/master ]; then pid=""; fi
fi

if [ -n "$pid" ]; then
  # SIGTERM asks the master for a clean shutdown: it signals its children and waits for them. A child busy with a
  # client that just connected (a TLS handshake, a login) can keep it waiting for minutes while the listening sockets
  # stay open and stop answering; after 5 s the master and every child it ever had are killed.
  kids=""
  kill -TERM "$pid" 2>/dev/null || true
  stopped=0
  deadline=$((SECONDS + 5))
  while [ "$SECONDS" -lt "$deadline" ]; do
    kids=$(printf '%s\n' $kids $(ps -o pid= --ppid "$pid" 2>/dev/null || true) | sort -un | tr '\n' ' ')
    left=""
    for p in $pid $kids; do alive "$p" && left="$left $p"; done
    if [ -z "$left" ]; then stopped=1; break; fi
    sleep 0.1
  done
  if [ "$stopped" = 1 ]; then
    log "cyrus master (pid $pid) stopped"
  else
    log "cyrus: pid(s)$left still alive 5 s after SIGTERM, sending SIGKILL"
    # shellcheck disable=SC2086  # a list of pids
    kill -KILL $left 2>/dev/null || true
    deadline=$((SECONDS + 5))
    while [ "$SECONDS" -lt "$deadline" ]; do
      still=""
      for p in $left; do alive "$p" && still="$still $p"; done
      [ -z "$still" ] && break
      sleep 0.05
    done
  fi
  rm -f "$PIDFILE"
else
  log "cyrus: not running"
fi

if [ "$PURGE" = 1 ] && [ -d "$BASE" ]; then
  rm -rf -- "$BASE"
  log "removed $BASE"
fi
