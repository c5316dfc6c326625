-- bench/serve/wrk.lua — request and report for bench/serve.sh (wrk 4.x).
-- Environment:
--   BENCH_METHOD  GET or POST (default GET)
--   BENCH_TOKEN   bearer token sent as `Authorization: Bearer ...` (an initial access token
--                 for POST, the client's registration access token for GET)
--   BENCH_BODY    JSON request body (POST only; sent with Content-Type: application/json)
-- done() prints one machine-readable line starting with `BENCH ` (latencies in microseconds).
wrk.method = os.getenv("BENCH_METHOD") or "GET"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_TOKEN") or "")
wrk.headers["Accept"] = "application/json"
local body = os.getenv("BENCH_BODY")
if wrk.method == "POST" and body then
  wrk.headers["Content-Type"] = "application/json"
  wrk.body = body
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d max_us=%d " ..
    "err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
