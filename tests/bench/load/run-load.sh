#!/usr/bin/env bash
# Loopback load test: the upstream simulator directly, a bare YARP hop, and RightSize, each
# driven by wrk at the same concurrency, interleaved (for each connection count: simulator,
# bare YARP, RightSize) so that background load hits the three alike.
#
#   tests/bench/load/run-load.sh                 # build (Release), run, print and save the table
#   SKIP_BUILD=1 DURATION=30s tests/bench/load/run-load.sh
#
# Settings (environment): CONNECTIONS="32 64", THREADS=2, SETTLE=40s (each target is driven
# once at the highest connection count before anything is measured, until the JIT's tiered
# compilation has settled; 0 skips it), WARMUP=5s, DURATION=15s, ROUNDS=1
# (repeat the whole interleaved cycle; with more than one, a median table is added),
# BASE_PORT=19101 (simulator; +1 bare YARP, +2 RightSize), GC_SERVER=<unset|0|1> (sets
# DOTNET_gcServer for the two proxies; unset keeps the Web SDK default, server GC),
# SKIP_BUILD=1, RESULTS_DIR=tests/bench/results, CLASSIFIER=off (run RightSize without its model),
# LOG_LEVEL=Warning (RightSize's Serilog:MinimumLevel:Default; Information, the shipped default,
# writes one completion line per request).
#
# Everything listens on 127.0.0.1. Every process this script starts is stopped by its PID on
# exit; nothing else is touched. Results go to stdout and to $RESULTS_DIR/load-<date>.md.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$script_dir/../../.." && pwd)"

CONNECTIONS="${CONNECTIONS:-32 64}"
THREADS="${THREADS:-2}"
SETTLE="${SETTLE:-40s}"
WARMUP="${WARMUP:-5s}"
DURATION="${DURATION:-15s}"
ROUNDS="${ROUNDS:-1}"
LOG_LEVEL="${LOG_LEVEL:-Warning}"
BASE_PORT="${BASE_PORT:-19101}"
RESULTS_DIR="${RESULTS_DIR:-$root/tests/bench/results}"
CONFIG="Release"
TFM="net10.0"

sim_port=$BASE_PORT
bare_port=$((BASE_PORT + 1))
rs_port=$((BASE_PORT + 2))
sim_url="http://127.0.0.1:$sim_port"
bare_url="http://127.0.0.1:$bare_port"
rs_url="http://127.0.0.1:$rs_port"

# The tiers all point at one simulator serving three models; route `auto` has no fixed tier,
# so without a classifier model it takes its DefaultTier (mid). The direct and bare-YARP runs
# ask for that tier's model so all three targets produce the same upstream answer.
small_model="llama-3.2-3b"
mid_model="gpt-4.1-mini"
frontier_model="gpt-4.1"
direct_model="$mid_model"

sim_proj="$root/src/RightSize.Upstream.Simulator/RightSize.Upstream.Simulator.csproj"
rs_proj="$root/src/RightSize.Gateway/RightSize.Gateway.csproj"
bare_proj="$root/tests/bench/RightSize.Bench.BareYarp/RightSize.Bench.BareYarp.csproj"
sim_dll="$root/src/RightSize.Upstream.Simulator/bin/$CONFIG/$TFM/RightSize.Upstream.Simulator.dll"
rs_dll="$root/src/RightSize.Gateway/bin/$CONFIG/$TFM/RightSize.Gateway.dll"
bare_dll="$root/tests/bench/RightSize.Bench.BareYarp/bin/$CONFIG/$TFM/RightSize.Bench.BareYarp.dll"
lua="$script_dir/chat-completions.lua"

work="$(mktemp -d "${TMPDIR:-/tmp}/rightsize-load.XXXXXX")"
pids=()

log() { printf '[run-load] %s\n' "$*" >&2; }

cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null || true; fi
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
    wait "$pid" 2>/dev/null || true
  done
  if [[ "${KEEP_LOGS:-0}" != "1" ]]; then rm -rf "$work"; else log "process logs kept in $work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- prerequisites -----------------------------------------------------------------------
if ! command -v wrk >/dev/null 2>&1; then
  log "wrk not found; installing the Debian package"
  sudo_cmd=""
  if [[ $(id -u) -ne 0 ]]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update
  $sudo_cmd apt-get install -y wrk
fi
for tool in curl dotnet awk; do
  command -v "$tool" >/dev/null 2>&1 || { log "$tool is required"; exit 1; }
done

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$sim_port" "$bare_port" "$rs_port"; do
  if port_busy "$port"; then log "127.0.0.1:$port is already in use; set BASE_PORT to a free range"; exit 1; fi
done

# --- build -------------------------------------------------------------------------------
build() {
  local proj="$1" attempt
  for attempt in 1 2 3; do
    if dotnet build -c "$CONFIG" --nologo -v q "$proj" >"$work/build.log" 2>&1; then return 0; fi
    log "build of $(basename "$proj") failed (attempt $attempt); last lines:"
    tail -n 15 "$work/build.log" >&2
    [[ $attempt -lt 3 ]] && { log "retrying in 60 s (another build or edit may be in progress)"; sleep 60; }
  done
  return 1
}
if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
  for proj in "$sim_proj" "$rs_proj" "$bare_proj"; do
    log "dotnet build -c $CONFIG $(realpath --relative-to="$root" "$proj")"
    build "$proj"
  done
fi
for dll in "$sim_dll" "$rs_dll" "$bare_dll"; do
  [[ -f "$dll" ]] || { log "missing $dll (build first, or unset SKIP_BUILD)"; exit 1; }
done

# --- classifier --------------------------------------------------------------------------
# The repository default is models/default/model.onnx (src/RightSize.Gateway/appsettings.json).
# Use it when it exists (as an absolute path: the gateway runs from its bin folder), otherwise
# run without a classifier (empty ModelPath: the route uses its DefaultTier).
default_model="$root/models/default/model.onnx"
if [[ "${CLASSIFIER:-on}" != "off" && -f "$default_model" ]]; then
  classifier_arg="--RightSize:Classifier:ModelPath=$default_model"
  classifier_note="repo default model \`models/default/model.onnx\`"
else
  classifier_arg="--RightSize:Classifier:ModelPath="
  classifier_note="none (CLASSIFIER=off or no model): \`RightSize:Classifier:ModelPath\` set empty (route \`auto\` uses its DefaultTier, mid)"
fi

# --- start the three processes -----------------------------------------------------------
quiet=(--Logging:LogLevel:Default=Warning)
start() {
  # start NAME DIR ENV... -- ARGS...: runs `dotnet ARGS` in DIR (its content root), logs to $work/NAME.log.
  local name="$1" dir="$2"; shift 2
  local envs=()
  while [[ $# -gt 0 && "$1" != "--" ]]; do envs+=("$1"); shift; done
  shift
  (cd "$dir" && exec env "${envs[@]}" dotnet "$@") >"$work/$name.log" 2>&1 &
  pids+=("$!")
  log "started $name (pid $!): dotnet $*"
}
wait_ready() {
  local name="$1" url="$2" i
  for i in $(seq 1 120); do
    if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  log "$name did not become ready at $url; its log:"; cat "$work/$name.log" >&2
  exit 1
}

gc_env=()
gc_note="Web SDK default (server GC)"
if [[ -n "${GC_SERVER:-}" ]]; then gc_env=("DOTNET_gcServer=$GC_SERVER"); gc_note="DOTNET_gcServer=$GC_SERVER"; fi

start simulator "$(dirname "$sim_dll")" DOTNET_NOLOGO=1 -- "$sim_dll" --urls "$sim_url" "${quiet[@]}" \
  --Simulator:Models:0="$small_model" --Simulator:Models:1="$mid_model" --Simulator:Models:2="$frontier_model" \
  --Simulator:MaxRecordedRequests=0
sim_pid="${pids[-1]}"
wait_ready simulator "$sim_url/v1/models"

start bare-yarp "$(dirname "$bare_dll")" DOTNET_NOLOGO=1 "${gc_env[@]}" -- "$bare_dll" --urls "$bare_url" "${quiet[@]}" \
  --BareYarp:Destination="$sim_url"
bare_pid="${pids[-1]}"
wait_ready bare-yarp "$bare_url/v1/models"

rs_args=(--urls "$rs_url" "${quiet[@]}" --Serilog:MinimumLevel:Default="$LOG_LEVEL" "$classifier_arg"
  --RightSize:Upstreams:sim:BaseUrl="$sim_url/v1"
  --RightSize:Tiers:small:Upstream=sim --RightSize:Tiers:small:Model="$small_model"
  --RightSize:Tiers:small:InputPerMTok=0.05 --RightSize:Tiers:small:OutputPerMTok=0.10
  --RightSize:Tiers:mid:Upstream=sim --RightSize:Tiers:mid:Model="$mid_model"
  --RightSize:Tiers:mid:InputPerMTok=0.40 --RightSize:Tiers:mid:OutputPerMTok=1.60
  --RightSize:Tiers:frontier:Upstream=sim --RightSize:Tiers:frontier:Model="$frontier_model"
  --RightSize:Tiers:frontier:InputPerMTok=2.00 --RightSize:Tiers:frontier:OutputPerMTok=8.00
  --RightSize:Routes:auto:Threshold=0.7 --RightSize:Routes:auto:MinConfidence=0.6)
start rightsize "$(dirname "$rs_dll")" DOTNET_NOLOGO=1 "${gc_env[@]}" -- "$rs_dll" "${rs_args[@]}"
rs_pid="${pids[-1]}"
wait_ready rightsize "$rs_url/readyz"

# --- sanity: each target answers the benchmark request with 200 --------------------------
probe_body() { printf '{"model":"%s","messages":[{"role":"user","content":"ping"}]}' "$1"; }
probe() {
  local name="$1" url="$2" model="$3" status
  status=$(curl -sS -o "$work/probe-$name.json" -D "$work/probe-$name.headers" -w '%{http_code}' --max-time 5 \
    -H 'Content-Type: application/json' -H 'Authorization: Bearer sk-bench-client' \
    --data "$(probe_body "$model")" "$url/v1/chat/completions")
  if [[ "$status" != "200" ]]; then
    log "$name answered $status to the probe request:"; cat "$work/probe-$name.json" >&2; exit 1
  fi
}
probe simulator "$sim_url" "$direct_model"
probe bare-yarp "$bare_url" "$direct_model"
probe rightsize "$rs_url" auto
rs_decision=$(grep -i '^x-rightsize-' "$work/probe-rightsize.headers" | tr -d '\r' | sort | paste -sd ';' - | sed 's/;/; /g')
log "RightSize decision headers: $rs_decision"

# --- measure -----------------------------------------------------------------------------
uptime_before="$(uptime)"
results="$work/results.tsv"
: >"$results"
# CPU time (user + system, clock ticks) a process has used: throughput and latency on a shared
# machine move with everyone else's load, CPU time per request much less so.
clk_tck="$(getconf CLK_TCK)"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
run_wrk() {
  # run_wrk ROUND NAME PID URL MODEL CONNECTIONS: warm-up, then the measured run; appends one TSV row.
  local round="$1" name="$2" pid="$3" url="$4" model="$5" conns="$6" line load1 t0 t1 s0 s1
  WRK_MODEL="$model" wrk -t "$THREADS" -c "$conns" -d "$WARMUP" --timeout 5s -s "$lua" "$url" >/dev/null
  load1="$(awk '{print $1}' /proc/loadavg)"
  t0="$(cpu_ticks "$pid")"; s0="$(cpu_ticks "$sim_pid")"
  line=$(WRK_MODEL="$model" wrk -t "$THREADS" -c "$conns" -d "$DURATION" --timeout 5s --latency -s "$lua" "$url" \
    | tee "$work/wrk-$round-$name-$conns.txt" | grep '^RESULT ')
  t1="$(cpu_ticks "$pid")"; s1="$(cpu_ticks "$sim_pid")"
  line="$line cpu_ticks=$((t1 - t0)) sim_cpu_ticks=$((s1 - s0)) clk_tck=$clk_tck"
  log "round $round $name c=$conns: $line (load1 $load1)"
  printf '%s\t%s\t%s\t%s\t%s\n' "$round" "$name" "$conns" "$load1" "$line" >>"$results"
}
# A fresh .NET process compiles for tens of seconds under load (tier 0, then instrumented code,
# then optimised code with dynamic PGO): the gateway, with far more code on its path than the
# bare hop, spent about 8 s of CPU in the JIT over its first 15 s of load. Without this, the
# first measured runs charge that one-off cost to every request.
settle_conns="${CONNECTIONS##* }"
if [[ "$SETTLE" != "0" ]]; then
  for target in "simulator $sim_url $direct_model" "bare-yarp $bare_url $direct_model" "rightsize $rs_url auto"; do
    read -r name url model <<<"$target"
    log "settling $name: $SETTLE at $settle_conns connections"
    WRK_MODEL="$model" wrk -t "$THREADS" -c "$settle_conns" -d "$SETTLE" --timeout 5s -s "$lua" "$url" >/dev/null
  done
fi
for round in $(seq 1 "$ROUNDS"); do
  for conns in $CONNECTIONS; do
    run_wrk "$round" "simulator" "$sim_pid" "$sim_url" "$direct_model" "$conns"
    run_wrk "$round" "bare-yarp" "$bare_pid" "$bare_url" "$direct_model" "$conns"
    run_wrk "$round" "rightsize" "$rs_pid" "$rs_url" auto "$conns"
  done
done
uptime_after="$(uptime)"

# --- report ------------------------------------------------------------------------------
stamp="$(date +%Y-%m-%d-%H%M%S)"
mkdir -p "$RESULTS_DIR"
out="$RESULTS_DIR/load-$stamp.md"
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
dirty=""
if [[ -n "$(git -C "$root" status --porcelain -- src 2>/dev/null)" ]]; then dirty=" (src/ has uncommitted changes)"; fi
body_bytes="$(awk -F'\t' 'NR==1{split($5,a," "); for(i in a){split(a[i],kv,"="); if(kv[1]=="body_bytes") print kv[2]}}' "$results")"

awk_common='
  function field(line, key,    n, parts, i, kv) {
    n = split(line, parts, " ")
    for (i = 1; i <= n; i++) { split(parts[i], kv, "="); if (kv[1] == key) return kv[2] }
    return ""
  }
  function ms(us) { return sprintf("%.2f ms", us / 1000) }
  function median(list,    n, v, i, j, t) {
    n = split(list, v, " ")
    for (i = 2; i <= n; i++) { t = v[i] + 0; for (j = i - 1; j >= 1 && v[j] + 0 > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
    return n % 2 ? v[(n + 1) / 2] + 0 : (v[n / 2] + v[n / 2 + 1]) / 2
  }
  {
    round[NR] = $1; name[NR] = $2; conns[NR] = $3; load[NR] = $4
    rps[NR] = field($5, "rps"); p50[NR] = field($5, "p50_us"); p99[NR] = field($5, "p99_us")
    errs[NR] = field($5, "connect") + field($5, "read") + field($5, "write") + field($5, "status") + field($5, "timeout")
    reqs = field($5, "requests")
    cpu[NR] = reqs > 0 ? field($5, "cpu_ticks") * 1e6 / field($5, "clk_tck") / reqs : 0
    key = $2 SUBSEP $3
    if (!(key in seen)) { seen[key] = 1; order[++keys] = key }
    all_rps[key] = all_rps[key] " " rps[NR]; all_p50[key] = all_p50[key] " " p50[NR]; all_p99[key] = all_p99[key] " " p99[NR]
    all_cpu[key] = all_cpu[key] " " cpu[NR]
    if ($2 == "bare-yarp") { bare_rps[$1, $3] = rps[NR]; bare_p50[$1, $3] = p50[NR]; bare_cpu[$1, $3] = cpu[NR] }
  }
  function versus(r, p, c, b_r, b_p, b_c) {
    if (b_r > 0) { ratio = sprintf("%.1f %%", 100 * r / b_r); added = sprintf("%+d µs", p - b_p); added_cpu = sprintf("%+.0f µs", c - b_c) }
    else { ratio = "-"; added = "-"; added_cpu = "-" }
  }
'
table="$(awk -F'\t' "$awk_common"'
  END {
    print "| round | target | connections | requests/s | p50 | p99 | RightSize / bare YARP throughput | added p50 (RightSize - bare YARP) | target process CPU per request | added CPU per request | errors | load1 at start |"
    print "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for (i = 1; i <= NR; i++) {
      ratio = "-"; added = "-"; added_cpu = "-"
      if (name[i] == "rightsize") versus(rps[i], p50[i], cpu[i], bare_rps[round[i], conns[i]], bare_p50[round[i], conns[i]], bare_cpu[round[i], conns[i]])
      printf "| %d | %s | %d | %.0f | %s | %s | %s | %s | %.0f µs | %s | %d | %s |\n", round[i], name[i], conns[i], rps[i], ms(p50[i]), ms(p99[i]), ratio, added, cpu[i], added_cpu, errs[i], load[i]
    }
  }' "$results")"
summary=""
if [[ "$ROUNDS" -gt 1 ]]; then
  summary="$(awk -F'\t' "$awk_common"'
    END {
      print "| target | connections | median requests/s | median p50 | median p99 | RightSize / bare YARP throughput | added p50 (RightSize - bare YARP) | median target process CPU per request | added CPU per request |"
      print "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
      for (k = 1; k <= keys; k++) {
        key = order[k]; split(key, parts, SUBSEP); bare = "bare-yarp" SUBSEP parts[2]
        r = median(all_rps[key]); p = median(all_p50[key]); q = median(all_p99[key]); c = median(all_cpu[key])
        ratio = "-"; added = "-"; added_cpu = "-"
        if (parts[1] == "rightsize") versus(r, p, c, median(all_rps[bare]), median(all_p50[bare]), median(all_cpu[bare]))
        printf "| %s | %d | %.0f | %s | %s | %s | %s | %.0f µs | %s |\n", parts[1], parts[2], r, ms(p), ms(q), ratio, added, c, added_cpu
      }
    }' "$results")"
fi

{
  echo "# Loopback load test, $stamp"
  echo
  echo "- commit: \`$commit\`$dirty"
  echo "- machine: $(nproc) CPUs, $(lscpu | awk -F: '/Model name/{gsub(/^ +/,"",$2); print $2; exit}')"
  echo "- wrk: $(wrk -v 2>&1 | head -n 1 | awk '{print $1, $2}'), $THREADS threads, each target first settled for $SETTLE, then per run warm-up $WARMUP and $DURATION measured, \`--latency\`, ${body_bytes}-byte non-streaming chat-completions body (\`tests/bench/load/chat-completions.lua\`)"
  echo "- order: $ROUNDS round(s); in each, for each connection count: simulator, bare YARP, RightSize (interleaved)"
  echo "- simulator: \`$small_model\`, \`$mid_model\`, \`$frontier_model\`; no delay; journal off (\`MaxRecordedRequests=0\`); direct and bare-YARP runs send \`$direct_model\`, RightSize runs send \`auto\`"
  echo "- RightSize classifier: $classifier_note"
  echo "- RightSize log level: $LOG_LEVEL"
  echo "- RightSize decision headers: $rs_decision"
  echo "- GC: $gc_note"
  echo "- CPU per request: user + system time of the target process itself (/proc/PID/stat, ${clk_tck} ticks/s) over the measured run, divided by the requests wrk completed; for the proxies it excludes the simulator and wrk"
  echo "- uptime before: \`$uptime_before\`"
  echo "- uptime after: \`$uptime_after\`"
  if [[ -n "$summary" ]]; then
    echo
    echo "Medians over $ROUNDS rounds (ratio and added p50 computed from the medians):"
    echo
    echo "$summary"
    echo
    echo "Every run:"
  fi
  echo
  echo "$table"
} >"$out"

cat "$out"
log "written to $(realpath --relative-to="$root" "$out" 2>/dev/null || echo "$out")"
