-- wrk script of tools/bench-http.sh: POST /api/reviews rotating over the county's
-- application bodies (bench_http_prep.py writes them), with the session cookie and CSRF
-- token of a logged-in 审批科 account. Environment:
--   BENCH_BODIES  path of bodies.lua      BENCH_MODE  trial | saved
--   BENCH_COOKIE  Cookie header value     BENCH_CSRF  X-CSRF-Token value
--   BENCH_OUT     file the summary line is written to
-- A response counts as a review only when its status is the mode's (200 trial, 201 saved)
-- and its body carries a conclusion; everything else is counted as bad.

local mode = os.getenv("BENCH_MODE") or "trial"
local all = dofile(os.getenv("BENCH_BODIES"))
local bodies = all[mode]
local want = (mode == "saved") and 201 or 200
local threads = {}

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
wrk.headers["X-CSRF-Token"] = os.getenv("BENCH_CSRF")

function setup(thread)
   thread:set("id", #threads)
   table.insert(threads, thread)
end

function init(args)
   -- Each thread starts at another body.
   n = (id or 0) * 997
   good = 0
   bad = 0
   first_bad = ""
end

function request()
   n = n + 1
   return wrk.format(nil, nil, nil, bodies[(n % #bodies) + 1])
end

function response(status, headers, body)
   if status == want and string.find(body, '"conclusion":"', 1, true) then
      good = good + 1
   else
      bad = bad + 1
      if first_bad == "" then
         first_bad = status .. " " .. string.sub(body, 1, 200)
      end
   end
end

function done(summary, latency, requests)
   local good_all, bad_all, why = 0, 0, ""
   for _, t in ipairs(threads) do
      good_all = good_all + t:get("good")
      bad_all = bad_all + t:get("bad")
      if why == "" then why = t:get("first_bad") end
   end
   local secs = summary.duration / 1e6
   local line = string.format(
      "%s rps %.1f p50_ms %.2f p99_ms %.2f requests %d reviews %d bad %d socket_errors %d",
      mode, summary.requests / secs, latency:percentile(50) / 1000,
      latency:percentile(99) / 1000, summary.requests, good_all, bad_all,
      summary.errors.connect + summary.errors.read + summary.errors.write
         + summary.errors.timeout)
   print(line)
   if why ~= "" then print("first bad response: " .. why) end
   local out = os.getenv("BENCH_OUT")
   if out then
      local f = io.open(out, "w")
      f:write(line .. "\n")
      f:close()
   end
end
