#!/usr/bin/env bash
# Allocation per request of the whole gateway, read from its own System.Runtime metrics
# (dotnet.gc.heap.total_allocated, exported at /metrics) around a bounded wrk run on loopback.
#
#   tests/bench/load/alloc-per-request.sh                     # without a classifier model
#   tests/bench/load/alloc-per-request.sh "$PWD/models/default"   # with the shipped model
#
# Needs the Release builds of the gateway and the simulator (run-load.sh builds them). Starts
# both on 127.0.0.1:19201-19202 and stops them by PID on exit. The figure counts everything the
# gateway process allocates per request: Kestrel, parsing, policy, YARP, HttpClient, telemetry.
# Measures the gateway's allocated bytes per request from its own System.Runtime metrics.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
model_arg="${1:-}"
dotnet $root/src/RightSize.Upstream.Simulator/bin/Release/net10.0/RightSize.Upstream.Simulator.dll --urls http://127.0.0.1:19201 --Simulator:Models:0=gpt-4.1-mini --Simulator:Models:1=gpt-4.1 --Simulator:Models:2=llama-3.2-3b --Simulator:MaxRecordedRequests=0 --Logging:LogLevel:Default=Warning >/dev/null 2>&1 & sim=$!
dotnet $root/src/RightSize.Gateway/bin/Release/net10.0/RightSize.Gateway.dll --urls http://127.0.0.1:19202 "--RightSize:Classifier:ModelPath=$model_arg" \
  --RightSize:Upstreams:sim:BaseUrl=http://127.0.0.1:19201/v1 --RightSize:Tiers:small:Upstream=sim --RightSize:Tiers:small:Model=llama-3.2-3b \
  --RightSize:Tiers:mid:Upstream=sim --RightSize:Tiers:mid:Model=gpt-4.1-mini --RightSize:Tiers:frontier:Upstream=sim --RightSize:Tiers:frontier:Model=gpt-4.1 \
  --RightSize:Routes:auto:Threshold=0.7 --Serilog:MinimumLevel:Default=Warning >/dev/null 2>&1 & gw=$!
trap 'kill $sim $gw 2>/dev/null' EXIT
for i in $(seq 1 60); do curl -sf http://127.0.0.1:19202/readyz >/dev/null && break; sleep 0.5; done
wrk -t2 -c32 -d5s -s $root/tests/bench/load/chat-completions.lua http://127.0.0.1:19202/v1/chat/completions >/dev/null 2>&1 || true
scrape() { curl -s http://127.0.0.1:19202/metrics | grep -E '^dotnet_gc_heap_total_allocated_bytes_total[{ ]' | awk '{print $2}'; }
reqs() { curl -s http://127.0.0.1:19202/metrics | grep -E '^rightsize_decisions_total[{ ]' | awk '{s+=$2} END {print s}'; }
a0=$(scrape); r0=$(reqs)
wrk -t2 -c32 -d10s -s $root/tests/bench/load/chat-completions.lua http://127.0.0.1:19202/v1/chat/completions | grep -E "Requests/sec"
sleep 1
a1=$(scrape); r1=$(reqs)
echo "allocated: $a0 -> $a1; decisions: $r0 -> $r1"
python3 -c "print('bytes per request: %.0f' % ((float('$a1')-float('$a0'))/(float('$r1')-float('$r0'))))"
