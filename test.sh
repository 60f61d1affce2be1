#!/usr/bin/env bash
# test.sh - run every test: start the loopback mail stack (Dovecot + Postfix; apt-installed on first use),
# build the solution in Release, run all test projects, stop the mail stack. A second, OAuth2-only stack
# (MAILSTACK_OAUTH2=1: Dovecot takes only XOAUTH2 bearer tokens, Postfix only clients that logged in) runs beside it
# on 127.0.0.1:3144/3994/2526 for the OAuth2 tests, and a Cyrus IMAP 3.6 (tools/mailstack/cyrus-start.sh) on
# 127.0.0.1:3145/3995 for the two-server suite (ImapServerSuite).
#
#   sudo ./test.sh [dotnet test args]    e.g. ./test.sh --filter 'FullyQualifiedName~EndToEnd'
#
# Needs the .NET 10 SDK and root (the mail stack's daemons run as root; re-runs itself with sudo).
#   KEEP_MAILSTACK=1      leave the mail stack running afterwards
#   MAILSTACK_DIR         where the mail stack lives (default /tmp/mailstack)
#   MAILSTACK_OAUTH2_DIR  where the OAuth2-only stack lives (default /tmp/mailstack-oauth2)
#   MAILSTACK_CYRUS_DIR   where the Cyrus IMAP lives (default /tmp/mailstack-cyrus)
#   MAILINTAKE_CORPUS     the real-mail corpus (default ../shared/corpus/real next to the repo)
#   MAILINTAKE_E2E_KEEP=1 keep each e2e test's temp directory and IMAP folder
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$ROOT"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: 'dotnet' not found: install the .NET 10 SDK first (https://learn.microsoft.com/dotnet/core/install/linux-debian)" >&2
  exit 1
fi

if [ "$(id -u)" -ne 0 ]; then
  # sudo resets the environment (and PATH, where dotnet may live): pass on what this script uses.
  pass=()
  for v in PATH DOTNET_ROOT KEEP_MAILSTACK MAILSTACK_DIR MAILSTACK_OAUTH2_DIR MAILSTACK_CYRUS_DIR MAILINTAKE_CORPUS MAILINTAKE_E2E_KEEP; do
    if [ -n "${!v:-}" ]; then pass+=("$v=${!v}"); fi
  done
  exec sudo env "${pass[@]}" bash "$ROOT/test.sh" "$@"
fi

export MAILSTACK_ENV="${MAILSTACK_DIR:-/tmp/mailstack}/mailstack.env"
OAUTH2_DIR="${MAILSTACK_OAUTH2_DIR:-/tmp/mailstack-oauth2}"
export MAILSTACK_OAUTH2_ENV="$OAUTH2_DIR/mailstack.env"
CYRUS_DIR="${MAILSTACK_CYRUS_DIR:-/tmp/mailstack-cyrus}"
export MAILSTACK_CYRUS_ENV="$CYRUS_DIR/mailstack.env"
# the OAuth2-only stack: the same scripts with its own directory and ports
oauth2_mailstack() {
  MAILSTACK_DIR="$OAUTH2_DIR" MAILSTACK_OAUTH2=1 MAILSTACK_IMAP_PORT=3144 MAILSTACK_IMAPS_PORT=3994 MAILSTACK_SMTP_PORT=2526 \
    bash "tools/mailstack/$1" "${@:2}"
}
# Cyrus IMAP, the second server: its own directory and ports (the suite restarts it with the same ones)
cyrus() {
  MAILSTACK_DIR="$CYRUS_DIR" MAILSTACK_IMAP_PORT=3145 MAILSTACK_IMAPS_PORT=3995 bash "tools/mailstack/cyrus-$1" "${@:2}"
}
stop_mailstack() {
  if [ "${KEEP_MAILSTACK:-0}" = 1 ]; then
    echo "test.sh: mail stacks left running (KEEP_MAILSTACK=1); stop them with tools/mailstack/stop.sh, MAILSTACK_DIR=$OAUTH2_DIR tools/mailstack/stop.sh and MAILSTACK_DIR=$CYRUS_DIR tools/mailstack/cyrus-stop.sh"
  else
    bash tools/mailstack/stop.sh
    oauth2_mailstack stop.sh
    cyrus stop.sh
  fi
}
trap stop_mailstack EXIT

# LibreOffice opens the generated .docx/.odt forms in the document tests (fonts-noto-cjk: Chinese glyphs).
if ! command -v soffice >/dev/null 2>&1; then
  echo "test.sh: installing LibreOffice (document tests)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends libreoffice-writer-nogui fonts-noto-cjk ||
    { apt-get update -q && apt-get install -y -q --no-install-recommends libreoffice-writer-nogui fonts-noto-cjk; }
fi

# A real mail client opens the staff mails' action links (StaffActionRealClientTests): NeoMutt, driven by expect.
if ! command -v neomutt >/dev/null 2>&1 || ! command -v expect >/dev/null 2>&1; then
  echo "test.sh: installing NeoMutt and expect (the real-client test)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends neomutt expect ||
    { apt-get update -q && apt-get install -y -q --no-install-recommends neomutt expect; }
fi

# The power-loss test (PowerLossTests) puts a DataDirectory on an ext4 loop device: mkfs.ext4 comes from e2fsprogs.
if ! command -v mkfs.ext4 >/dev/null 2>&1; then
  echo "test.sh: installing e2fsprogs (the power-loss test)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends e2fsprogs ||
    { apt-get update -q && apt-get install -y -q --no-install-recommends e2fsprogs; }
fi

bash tools/mailstack/start.sh --reset
oauth2_mailstack start.sh --reset
cyrus start.sh --reset
dotnet build MailIntake.sln -c Release
status=0
dotnet test MailIntake.sln -c Release --no-build --logger "console;verbosity=minimal" "$@" || status=$?
exit "$status"
