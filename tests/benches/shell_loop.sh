#!/usr/bin/env bash
# Issue 19's scenario, on demand: N `videos create PROMPT --output F` started
# together from a shell loop, with no coordination between them, against
# `videos serve` limiting requests per minute (refused ones count) and jobs in
# progress, answering 429 with OpenAI's headers and no Retry-After.
#   bash tests/benches/shell_loop.sh [N=12] [RPM=60] [JOBS=4]
# Prints each exit code, the wall time, and the emulator's request counts.
set -euo pipefail
n=${1:-12}; rpm=${2:-60}; jobs=${3:-4}
cd "$(dirname "$0")/../.."
cargo build --quiet -p videos-cli
videos="$PWD/target/debug/videos"
work=$(mktemp -d); trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
port=$((20000 + RANDOM % 20000))
# 2 s jobs: a 4 s clip at 0.5 s per second of video.
"$videos" --requests-per-minute "$rpm" serve --addr "127.0.0.1:$port" --seconds-per-video-second 0.5 \
    --fps 4 --max-jobs-in-progress "$jobs" 2> "$work/serve.log" &
server=$!
sleep 1
: > "$work/exits"
start=$(date +%s.%N)
for i in $(seq 1 "$n"); do
    ( OPENAI_BASE_URL="http://127.0.0.1:$port/v1" OPENAI_API_KEY=k timeout 900 \
        "$videos" create "job $i" --output "$work/$i.mp4" > "$work/$i.log" 2>&1; echo "$i $?" >> "$work/exits" ) &
done
while [ "$(wc -l < "$work/exits")" -lt "$n" ]; do sleep 0.2; done
end=$(date +%s.%N)
echo "exit codes (job code): $(sort -n "$work/exits" | tr '\n' ' ')"
echo "videos saved: $(ls "$work"/*.mp4 2>/dev/null | wc -l) of $n"
echo "wall: $(echo "$end - $start" | bc) s"
echo "requests: $(grep -c ' /v1/' "$work/serve.log"), refused (429): $(grep -c ' 429 ' "$work/serve.log")," \
     "jobs created: $(grep -c 'POST /v1/videos 200' "$work/serve.log")"
