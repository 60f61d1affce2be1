#!/usr/bin/env bash
# test.sh - run every test: start the loopback mail stack (Dovecot + Postfix; apt-installed on first use),
# build the solution in Release, run all test projects, stop the mail stack.
#
#   sudo ./test.sh [dotnet test args]    e.g. ./test.sh --filter 'FullyQualifiedName~EndToEnd'
#
# Needs the .NET 10 SDK and root (the mail stack's daemons run as root; re-runs itself with sudo).
#   KEEP_MAILSTACK=1      leave the mail stack running afterwards
#   MAILSTACK_DIR         where the mail stack lives (default /tmp/mailstack)
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
  for v in PATH DOTNET_ROOT KEEP_MAILSTACK MAILSTACK_DIR MAILINTAKE_CORPUS MAILINTAKE_E2E_KEEP; do
    if [ -n "${!v:-}" ]; then pass+=("$v=${!v}"); fi
  done
  exec sudo env "${pass[@]}" bash "$ROOT/test.sh" "$@"
fi

export MAILSTACK_ENV="${MAILSTACK_DIR:-/tmp/mailstack}/mailstack.env"
stop_mailstack() {
  if [ "${KEEP_MAILSTACK:-0}" = 1 ]; then
    echo "test.sh: mail stack left running (KEEP_MAILSTACK=1); stop it with tools/mailstack/stop.sh"
  else
    bash tools/mailstack/stop.sh
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

bash tools/mailstack/start.sh --reset
dotnet build MailIntake.sln -c Release
status=0
dotnet test MailIntake.sln -c Release --no-build --logger "console;verbosity=minimal" "$@" || status=$?
exit "$status"
