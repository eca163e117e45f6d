#!/usr/bin/env bash
# Issue 19's batch figure, on demand: N lines through `videos batch` against
# `videos serve` at RPM requests a minute (refused ones count) and JOBS in
# progress, 2 s jobs, 429s with OpenAI's headers and no Retry-After.
#   bash tests/benches/batch_limits.sh [N=100] [RPM=60] [JOBS=4]
# Prints the wall time against the bound (each job needs at least a create
# and a download: 2N requests at RPM), requests per job and the share refused.
set -euo pipefail
n=${1:-100}; rpm=${2:-60}; jobs=${3:-4}
cd "$(dirname "$0")/../.."
cargo build --quiet -p videos-cli
videos="$PWD/target/debug/videos"
work=$(mktemp -d); trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
port=$((20000 + RANDOM % 20000))
"$videos" --requests-per-minute "$rpm" serve --addr "127.0.0.1:$port" --seconds-per-video-second 0.5 \
    --fps 4 --max-jobs-in-progress "$jobs" 2> "$work/serve.log" &
server=$!
sleep 1
for i in $(seq 1 "$n"); do echo "{\"prompt\":\"batch job $i\"}"; done > "$work/lines.jsonl"
start=$(date +%s.%N)
status=0
OPENAI_BASE_URL="http://127.0.0.1:$port/v1" OPENAI_API_KEY=k \
    "$videos" batch "$work/lines.jsonl" --out "$work/out" --concurrency "$jobs" > "$work/batch.log" 2>&1 || status=$?
end=$(date +%s.%N)
requests=$(grep -c ' /v1/' "$work/serve.log" || true)
refused=$(grep -c ' 429 ' "$work/serve.log" || true)
wall=$(echo "$end - $start" | bc)
bound=$(echo "2 * $n * 60 / $rpm" | bc -l)
echo "exit: $status; videos saved: $(ls "$work"/out/*.mp4 | wc -l) of $n"
echo "jobs created: $(grep -c 'POST /v1/videos 200' "$work/serve.log" || true)"
printf 'wall: %.1f s; bound: %.1f s; ratio: %.3f\n' "$wall" "$bound" "$(echo "$wall / $bound" | bc -l)"
printf 'requests: %d (%.2f per job); refused: %d (%.1f%%)\n' "$requests" "$(echo "$requests / $n" | bc -l)" \
    "$refused" "$(echo "100 * $refused / $requests" | bc -l)"
echo "by kind: $(grep -o 'GET /v1/videos [0-9]*\|GET /v1/videos/[^ ]*/content [0-9]*\|GET /v1/videos/video_[^ /]* [0-9]*\|POST /v1/videos [0-9]*' "$work/serve.log" | sed 's/video_[0-9a-f]*/ID/' | sort | uniq -c | tr '\n' ';')"
