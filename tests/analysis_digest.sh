#!/bin/sh
# Hashes of the entities, sentiment and stance results on a fixed set of texts: the
# probe sets in tests/data, the stance and NewsMTSC dev sets from
# ../shared/data and the sample article in ../shared/samples (each skipped
# with a message when absent) and the benchmark
# article repeated. Run before and after a change and diff the outputs:
#   tests/analysis_digest.sh build > before.txt   (then after.txt; diff)
set -eu
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
data=$root/../shared/data
exec "$build/tests/cpp/stance/analysis_digest" \
  "$root"/tests/data/stance_probe_*.jsonl \
  "$data/stance/dev.jsonl" \
  "$data/newsmtsc/newsmtsc-rw/dev.jsonl" \
  "$data/newsmtsc/newsmtsc-mt/dev.jsonl" \
  "$root/../shared/samples/de-news-nordkorea.txt"
