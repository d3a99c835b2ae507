-- wrk script of the loopback load test (run-load.sh): POSTs one non-streaming
-- chat-completions request of about 1 KB, model from WRK_MODEL, and prints one
-- machine-readable RESULT line that run-load.sh parses (latencies in microseconds).

local model = os.getenv("WRK_MODEL") or "auto"
local target_bytes = tonumber(os.getenv("WRK_BODY_BYTES") or "1024")

local head = '{"model":"' .. model .. '","messages":[' ..
  '{"role":"system","content":"You are a concise assistant for a logistics company. Answer in plain English."},' ..
  '{"role":"user","content":"'
local tail = '"}],"temperature":0.2,"max_tokens":128,"stream":false,"user":"bench"}'
local text = "Summarise the following shipment notes and list any delays by warehouse. "
local filler = string.rep(text, math.ceil(target_bytes / #text))
local room = math.max(0, target_bytes - #head - #tail)

wrk.method = "POST"
wrk.path = "/v1/chat/completions"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-bench-client"
wrk.body = head .. string.sub(filler, 1, room) .. tail

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
    "connect=%d read=%d write=%d status=%d timeout=%d body_bytes=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout, #wrk.body))
end
