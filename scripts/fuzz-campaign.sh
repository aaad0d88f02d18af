#!/bin/sh
# A long Jazzer campaign on the current applets: each fuzz target in turn, coverage-guided on
# nfcpay.card.** with Jazzer's hooks on, for the maxDuration of its @FuzzTest (10 minutes), then one
# summary line per target: executions, coverage edges and features (libFuzzer's cov/ft), the signed
# purchases and loads the card accepted and verified, the holder commands that changed the wallet, and
# the findings (crash-* files next to the seeds). Build from the repository root (-am): it fuzzes the
# applets of this checkout. Never run two at once in one checkout (they share target/).
#
#   scripts/fuzz-campaign.sh                          # all three targets, about 35 minutes
#   scripts/fuzz-campaign.sh 'SelectorFuzzTest#ppse'  # one target
#
# Logs go to reliability/target/fuzz-<target>.log; the generated corpus to reliability/.cifuzz-corpus/.
set -eu

cd "$(dirname "$0")/.."
TARGETS="${*:-PurseFuzzTest#purse PurseFuzzTest#blankPurse SelectorFuzzTest#ppse}"
mkdir -p reliability/target
# a target gets 10 minutes of fuzzing; the bound covers the build and a slow start
BOUND_SECONDS="${FUZZ_BOUND_SECONDS:-1200}"

for target in $TARGETS; do
    log="reliability/target/fuzz-$(echo "$target" | tr '#' '-').log"
    before=$(find reliability/src/test/resources -name 'crash-*' | wc -l)
    status=0
    JAZZER_FUZZ=1 timeout "$BOUND_SECONDS" mvn -B -pl reliability -am test -Djazzer.hooks=true \
        -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false -Dsurefire.useFile=false >"$log" 2>&1 || status=$?
    after=$(find reliability/src/test/resources -name 'crash-*' | wc -l)
    last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
    execs=$(echo "$last" | sed -n 's/^#\([0-9]*\).*/\1/p')
    cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
    ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
    rate=$(echo "$last" | sed -n 's/.* exec\/s: \([0-9]*\).*/\1/p')
    accepted=$(grep -o '\[fuzz\] [A-Za-z]*FuzzTest: .*' "$log" | tail -1 || true)
    printf '%s: %s executions (%s/s), cov %s, ft %s, findings %s, exit %s; %s\n' "$target" "${execs:-?}" "${rate:-?}" \
        "${cov:-?}" "${ft:-?}" "$((after - before))" "$status" "${accepted:-no figures line}"
done
