#!/usr/bin/env bash
# Bounded chaos soak of the whole gateway (docs/soak.md): the Release gateway in front of three
# simulator processes, driven by tests/bench/soak/RightSize.Soak with mixed traffic while this
# script restarts simulators with faults and edits the gateway's appsettings file (valid and
# invalid edits, live reload). Afterwards it checks the logs, RSS and thread count, readiness,
# and a clean SIGTERM shutdown.
#
#   tests/bench/soak/run-soak.sh                     # 150 s at 60 requests/s
#   SECONDS_TO_RUN=60 RATE=40 SKIP_BUILD=1 tests/bench/soak/run-soak.sh
#
# Settings: SECONDS_TO_RUN (<= 180), RATE (<= 200 requests/s), SEED, BASE_PORT=19700 (gateway;
# +1 small, +2 mid, +3 frontier simulator), SKIP_BUILD=1, KEEP_LOGS=1, GCDUMP=path of dotnet-gcdump
# (default: from PATH; `dotnet tool install --tool-path DIR dotnet-gcdump`): when set, the live
# managed heap is counted after a full GC at a third of the run and after it.
# Every process this script starts is stopped by its PID; nothing else is touched.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$script_dir/../../.." && pwd)"
SECONDS_TO_RUN="${SECONDS_TO_RUN:-150}"
RATE="${RATE:-60}"
SEED="${SEED:-1}"
BASE_PORT="${BASE_PORT:-19700}"
gw_url="http://127.0.0.1:$BASE_PORT"
sim_dll="$root/src/RightSize.Upstream.Simulator/bin/Release/net10.0/RightSize.Upstream.Simulator.dll"
soak_dll="$root/tests/bench/soak/RightSize.Soak/bin/Release/net10.0/RightSize.Soak.dll"
work="$(mktemp -d "${TMPDIR:-/tmp}/rightsize-soak.XXXXXX")"
config="$work/config/appsettings.json"
declare -A sim_pid=()
run_pid=""
gw_pid=""
sampler_pid=""
failures=()
GCDUMP="${GCDUMP:-$(command -v dotnet-gcdump || true)}"

log() { printf '[soak %s] %s\n' "$(date +%T)" "$*" >&2; }

stop_pid() {
  local pid="$1"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  stop_pid "$sampler_pid"
  stop_pid "$gw_pid"
  stop_pid "$run_pid"
  local tier
  for tier in "${!sim_pid[@]}"; do stop_pid "${sim_pid[$tier]}"; done
  if [[ "${KEEP_LOGS:-0}" == "1" ]]; then log "logs kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_of() { case "$1" in small) echo $((BASE_PORT + 1));; mid) echo $((BASE_PORT + 2));; frontier) echo $((BASE_PORT + 3));; esac; }

# A simulator process per tier; its working directory has no appsettings.json, so it serves every model.
start_sim() {
  local tier="$1"; shift
  mkdir -p "$work/sim-$tier"
  (cd "$work/sim-$tier" && exec dotnet "$sim_dll" --urls "http://127.0.0.1:$(port_of "$tier")" \
      --Simulator:StreamChunks=8 --Simulator:ChunkDelay=00:00:00.005 "$@" >>"$work/sim-$tier.log" 2>&1) &
  sim_pid[$tier]=$!
  for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$(port_of "$tier")/v1/models" && return 0; sleep 0.1; done
  log "simulator $tier did not start"; return 1
}

stop_sim() { stop_pid "${sim_pid[$1]}"; unset "sim_pid[$1]"; }

# The gateway's configuration; $1 is the auto route's threshold, $2 an extra route (JSON) or empty.
write_config() {
  local threshold="$1" extra="${2:-}" tmp="$config.tmp"
  # The driver's per-request faults reach every tier a request escalates through, so they are most of
  # what mid and frontier see: a default breaker would open on them and fail healthy requests too.
  local tolerant='{ "FailureRatio": 0.95, "MinimumThroughput": 50 }'
  cat >"$tmp" <<JSON
{
  "RightSize": {
    "Logging": { "Console": "json" },
    "Gateway": { "MaxRequestBodyBytes": ${MAX_BODY:-1048576}, "ShutdownTimeout": "00:00:10" },
    "Upstreams": {
      "small":    { "BaseUrl": "http://127.0.0.1:$(port_of small)/v1",    "HeadersTimeout": "00:00:01" },
      "mid":      { "BaseUrl": "http://127.0.0.1:$(port_of mid)/v1",      "HeadersTimeout": "00:00:01", "CircuitBreaker": $tolerant },
      "frontier": { "BaseUrl": "http://127.0.0.1:$(port_of frontier)/v1", "HeadersTimeout": "00:00:01", "CircuitBreaker": $tolerant }
    },
    "Tiers": {
      "small":    { "Upstream": "small",    "Model": "llama-3.2-3b", "InputPerMTok": 0.05, "OutputPerMTok": 0.10 },
      "mid":      { "Upstream": "mid",      "Model": "gpt-4.1-mini", "InputPerMTok": 0.40, "OutputPerMTok": 1.60 },
      "frontier": { "Upstream": "frontier", "Model": "gpt-4.1",      "InputPerMTok": 2.00, "OutputPerMTok": 8.00 }
    },
    "Routes": {
      "auto":    { "Threshold": $threshold, "Embeddings": { "Model": "text-embedding-3-small" } },
      "support": { "PathPrefix": "/support", "ClaimModels": [ "gpt-4o" ], "MaxTier": "mid" }${extra:+,
      $extra}
    }
  }
}
JSON
  mv "$tmp" "$config"
}

heap_report() {  # $1: label. Live objects after the full GC dotnet-gcdump induces.
  [[ -n "$GCDUMP" ]] || return 0
  "$GCDUMP" report -p "$gw_pid" >"$work/heap-$1.txt" 2>/dev/null || { log "gcdump failed"; return 0; }
  log "live heap ($1): $(awk '/GC Heap bytes/ {b=$1} /GC Heap objects/ {o=$1} END {print b " bytes, " o " objects"}' "$work/heap-$1.txt")"
}

sample() {  # every 5 s: time, RSS (kB), threads, managed heap after the last GC (bytes), gen2 collections
  while kill -0 "$gw_pid" 2>/dev/null; do
    local proc heap
    proc="$(awk '/^VmRSS/ {r=$2} /^Threads/ {th=$2} END {print r, th}' "/proc/$gw_pid/status" 2>/dev/null)" || break
    heap="$(curl -s --max-time 2 "$gw_url/metrics" | awk '
      /^dotnet_gc_last_collection_heap_size_bytes/ {h+=$NF}
      /^dotnet_gc_collections_total.*gen2/ {g=$NF}
      END {printf "%d %d", h, g}')"
    echo "$(date +%s) $proc $heap" >>"$work/samples.txt"
    sleep 5
  done
}

# --- build and start ------------------------------------------------------------------------
if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
  log "building (Release)"
  dotnet build -c Release "$root/src/RightSize.Gateway" -v q -nologo >/dev/null
  dotnet build -c Release "$root/src/RightSize.Upstream.Simulator" -v q -nologo >/dev/null
  dotnet build -c Release "$root/tests/bench/soak/RightSize.Soak" -v q -nologo >/dev/null
fi

mkdir -p "$work/config"
write_config 0.7
for tier in small mid frontier; do start_sim "$tier"; done
log "starting the gateway on $gw_url (config $config)"
dotnet run -c Release --no-build --project "$root/src/RightSize.Gateway" -- \
  --urls "$gw_url" --config-dir "$work/config" >"$work/gateway.log" 2>"$work/gateway.err" &
run_pid=$!
for _ in $(seq 1 300); do curl -sf -o /dev/null "$gw_url/readyz" && break; sleep 0.1; done
gw_pid="$(pgrep -P "$run_pid" | head -n 1)"   # the gateway process under `dotnet run`
[[ -n "$gw_pid" ]] || { log "gateway did not start"; cat "$work/gateway.err" >&2; exit 1; }
log "gateway pid $gw_pid (dotnet run pid $run_pid)"
sample & sampler_pid=$!

# --- traffic, with faults and reloads on a timeline -----------------------------------------
dotnet "$soak_dll" --gateway "$gw_url" --seconds "$SECONDS_TO_RUN" --rate "$RATE" --seed "$SEED" >"$work/driver.txt" 2>&1 &
driver_pid=$!
at() { local t="$1"; shift; while (( SECONDS - start < t )); do sleep 0.2; done; log "t=${t}s: $*"; }
start=$SECONDS
s=$SECONDS_TO_RUN
at $((s * 10 / 100)) "valid edit: auto threshold 0.5, MaxRequestBodyBytes 2 MiB"; MAX_BODY=2097152 write_config 0.5
at $((s * 20 / 100)) "small simulator stopped (connection refused)"; stop_sim small
at $((s * 30 / 100)) "small simulator back with every llama-3.2-3b request failing 503"; start_sim small "--Simulator:Faults:llama-3.2-3b=status=503"
at $((s * 33 / 100)) "heap count"; heap_report early
at $((s * 40 / 100)) "invalid edit: threshold 1.5"; write_config 1.5
at $((s * 47 / 100)) "invalid edit: truncated JSON"; head -c 200 "$config" >"$config.tmp" && mv "$config.tmp" "$config"
at $((s * 53 / 100)) "valid edit: threshold 0.7 again"; write_config 0.7
at $((s * 60 / 100)) "small simulator restarted healthy, answering after a 300 ms delay"; stop_sim small; start_sim small --Simulator:ResponseDelay=00:00:00.300
at $((s * 73 / 100)) "valid edit: a new route 'extra' on the small tier"; write_config 0.7 '"extra": { "Tier": "small" }'
at $((s * 83 / 100)) "valid edit: back to the start"; write_config 0.7
wait "$driver_pid" && driver_rc=0 || driver_rc=$?
cat "$work/driver.txt"
(( driver_rc == 0 )) || failures+=("the driver reported problems (exit $driver_rc)")

# --- after the run --------------------------------------------------------------------------
ready="$(curl -s "$gw_url/readyz")"; log "readyz: $ready"
curl -sf -o /dev/null "$gw_url/healthz" || failures+=("/healthz did not answer 200 after the run")
grep -q '"config_generation"' <<<"$ready" || failures+=("/readyz has no config_generation")

sleep 6   # one more sample after the traffic stopped
heap_report end
stop_pid "$sampler_pid"; sampler_pid=""
log "SIGTERM to the gateway (pid $gw_pid)"
kill -TERM "$gw_pid"
wait "$run_pid" && gw_rc=0 || gw_rc=$?
run_pid=""; gw_pid=""
log "gateway exit code: $gw_rc"
(( gw_rc == 0 )) || failures+=("gateway exited with $gw_rc after SIGTERM")

echo "--- gateway RSS, threads and managed heap (after the last GC), every 5 s"
awk 'NR==1 {t0=$1} {printf "  %4d s  RSS %6.1f MiB  %3d threads  heap %6.1f MiB  gen2 GCs %d\n", $1-t0, $2/1024, $3, $4/1048576, $5}' "$work/samples.txt"
# First minute of traffic after a 20 s warm-up against the last minute: RSS and threads must not keep growing.
read -r rss_first rss_last thr_first thr_last < <(awk -v d="$SECONDS_TO_RUN" 'NR==1 {t0=$1}
  {t=$1-t0} t>=20 && t<80 {rf+=$2; tf+=$3; nf++} t>d-60 && t<=d {rl+=$2; tl+=$3; nl++}
  END {printf "%.0f %.0f %.1f %.1f\n", rf/nf/1024, rl/nl/1024, tf/nf, tl/nl}' "$work/samples.txt")
echo "RSS mean ${rss_first} MiB (20-80 s) -> ${rss_last} MiB (last minute); threads ${thr_first} -> ${thr_last}"
(( rss_last <= rss_first * 120 / 100 )) || failures+=("RSS grew by more than 20% between the first and the last minute")
if [[ -f "$work/heap-early.txt" && -f "$work/heap-end.txt" ]]; then
  echo "--- live heap after a full GC: at a third of the run -> after it"
  for label in early end; do awk -v l="$label" '/GC Heap bytes/ {b=$1} /GC Heap objects/ {o=$1} END {print "  " l ": " b " bytes, " o " objects"}' "$work/heap-$label.txt"; done
  echo "  types whose live count grew most (early -> end):"
  awk 'FNR>5 && $2 ~ /^[0-9,]+$/ {n=$2; gsub(",", "", n); t=$3; if (FILENAME ~ /early/) a[t]+=n; else b[t]+=n}
       END {for (t in b) if (b[t] > a[t]) printf "  %7d  %7d -> %7d  %s\n", b[t]-a[t], a[t], b[t], t}' "$work/heap-early.txt" "$work/heap-end.txt" |
    sort -k1,1nr | head -8 || true
fi
echo "--- gateway log levels"
grep -o '"@l":"[A-Za-z]*"' "$work/gateway.log" | sort | uniq -c || true
echo "--- warning and error events (by event id)"
{ grep -E '"@l":"(Warning|Error|Fatal)"' "$work/gateway.log" | grep -o '"EventId":{"Id":[0-9]*,"Name":"[A-Za-z]*"}' | sort | uniq -c | sort -rn; } || true
# The only error-level events a soak may cause: the invalid edits it makes (101 ConfigurationRejected, 122 Rejected).
unexpected="$(grep -E '"@l":"(Error|Fatal)"' "$work/gateway.log" | grep -vE '"EventId":\{"Id":(101|122),' || true)"
if [[ -n "$unexpected" ]]; then
  failures+=("error-level log lines other than the rejected edits")
  echo "--- unexpected error-level lines"; cut -c1-600 <<<"$unexpected" | head -5 || true
fi
if grep -q '"@x"' "$work/gateway.log"; then
  echo "--- exceptions in the log (first line of each, counted)"
  grep -o '"@m":"[^"]*\\"[^"]*\\"","@i":"[^"]*","@l":"[A-Za-z]*","@x":"[^\\]*' "$work/gateway.log" | sed 's/"@i":"[^"]*",//' | sort | uniq -c | sort -rn | head -10 || true
fi
[[ -s "$work/gateway.err" ]] && { echo "--- gateway stderr"; head -20 "$work/gateway.err"; }
# Prompt text and the client's key never reach the log (prompt logging is off by default).
if grep -qE 'capital of France|Be brief|sk-soak-client' "$work/gateway.log"; then failures+=("prompt text or the client key in the log"); fi
grep -q 'Configuration reloaded' "$work/gateway.log" || failures+=("no reload logged")
grep -q 'New configuration rejected' "$work/gateway.log" || failures+=("the invalid edit was not rejected in the log")

if (( ${#failures[@]} )); then printf 'FAILED: %s\n' "${failures[@]}"; exit 1; fi
echo "soak passed"
