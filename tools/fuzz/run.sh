#!/usr/bin/env bash
# Explores the fuzz targets for new inputs.
#
#   tools/fuzz/run.sh [SCALE]
#
# The inputs already found live in each package's testdata/fuzz and run in
# every `go test ./...`, so a known crash always fails the build. Exploration
# looks for new ones: a find is printed with the command that reproduces it
# and copied to $FUZZ_FINDINGS (default ./fuzz-findings), and the run goes on
# to the next target. It exits 0 unless FUZZ_STRICT=1, so that a latent bug
# the exploration happens on does not block a change that did not cause it;
# the find is committed to testdata/fuzz with its fix.
#
# SCALE multiplies each target's budget (1 in CI, about 20 s a target on two
# cores; 30 for a half-hour run while working). Budgets are execution counts,
# not durations: Go 1.26's fuzz coordinator can fail a clean run with
# "context deadline exceeded" when a -fuzztime duration ends (golang/go#75804).
set -uo pipefail
cd "$(dirname "$0")/../.."
scale=${1:-1}
findings=${FUZZ_FINDINGS:-fuzz-findings}

targets=(
  "FuzzValidate ./forms 400000"
  "FuzzDecode ./forms 200000"
  "FuzzCompiledRule ./forms 200000"
  "FuzzParseSchools ./orgs 40000"
  "FuzzExtract ./forms/extract 1000000"
)

found=0
for t in "${targets[@]}"; do
  read -r name pkg runs <<<"$t"
  echo "== $name ($pkg) $((runs * scale)) runs"
  before=$(ls "$pkg/testdata/fuzz/$name" 2>/dev/null | sort)
  if go test -run '^$' -fuzz "^$name\$" -fuzztime "$((runs * scale))x" -fuzzminimizetime 100x "$pkg"; then
    continue
  fi
  found=1
  mkdir -p "$findings"
  for f in $(comm -13 <(echo "$before") <(ls "$pkg/testdata/fuzz/$name" 2>/dev/null | sort)); do
    cp "$pkg/testdata/fuzz/$name/$f" "$findings/$name-$f"
    echo "NEW FUZZ FIND: $pkg/testdata/fuzz/$name/$f (copied to $findings/$name-$f)"
    echo "  reproduce: go test -run '$name/$f' $pkg"
    cat "$pkg/testdata/fuzz/$name/$f"
  done
done

if [ "$found" = 1 ]; then
  echo "Exploration found new failing inputs (above). They do not fail this run; commit each to testdata/fuzz with its fix."
  [ "${FUZZ_STRICT:-0}" = 1 ] && exit 1
fi
exit 0
