#!/usr/bin/env bash
# bench/profile/apply.sh - instruments a work tree's intake with a per-phase Stopwatch breakdown printed (PROFILE …)
# on stderr at exit; undo with: git checkout Worker/Intake Worker/Cli && rm Worker/Intake/PhaseTimer.cs
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cp "$HERE/PhaseTimer.cs" "$ROOT/Worker/Intake/PhaseTimer.cs"
python3 "$HERE/instrument.py" "$ROOT"
echo "instrumented; build with: dotnet build Worker -c Release"
