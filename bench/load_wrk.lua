-- wrk script for bench/load_bench.sh: one route kind per wrk process, random cards.
-- args: KIND (list | search | card | thumbnail) CARDS TOKEN
local kind, cards, token

function init(args)
  kind, cards, token = args[1], tonumber(args[2]), args[3]
  wrk.headers["Authorization"] = "Bearer " .. token
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end

function request()
  local id = math.random(1, cards)
  local path
  if kind == "list" then
    path = "/api/cards?limit=50&page=" .. math.random(1, 200)
  elseif kind == "search" then
    -- What a user types: a creator (200 cards each) or the distinctive part of a name (1 card).
    if math.random(2) == 1 then
      path = "/api/cards?limit=50&q=creator" .. math.random(0, 499)
    else
      path = "/api/cards?limit=50&q=" .. string.format("%07d", math.random(0, cards - 1))
    end
  elseif kind == "card" then
    path = "/api/cards/" .. id
  else
    path = "/api/cards/" .. id .. "/thumbnail"
  end
  return wrk.format("GET", path)
end

function done(summary, latency)
  local e = summary.errors
  io.write(string.format(
    '{"route": "%s", "requests": %d, "seconds": %.1f, "rps": %.0f, "p50_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f, ' ..
    '"http_errors": %d, "socket_errors": %d}\n',
    kind, summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.status, e.connect + e.read + e.write + e.timeout))
end
