#!/usr/bin/env bash
# A parallel run in two minutes: the sample service as v1 behind HAProxy, v2 beside it, and the
# comparing proxy in front: every caller is answered by v1 (through HAProxy), a copy of each request
# goes to v2 and to a second v1, and Aviary rolls v2 back before it serves anyone if it answers
# differently, or ramps it through a canary if it answers the same.
#
#   examples/parallel-run/run.sh [--candidate equal|field-bug]
#
# Needs a JDK 17 and a Debian-like machine; installs haproxy if it is missing (as root, or with
# sudo). Ctrl-C, or the end of the rollout, stops everything it started.
set -euo pipefail

candidate=field-bug
while [ $# -gt 0 ]; do
  case "$1" in
    --candidate) candidate="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 64 ;;
  esac
done
# "field-bug" prices 3 % of items one cent higher; "equal" answers as v1 does. Both versions put a
# timestamp and a random id in every answer: noise the comparison must see through.
case "$candidate" in
  equal)     field_bug=0 ;;
  field-bug) field_bug=0.03 ;;
  *) echo "--candidate must be equal or field-bug" >&2; exit 64 ;;
esac

root=$(cd "$(dirname "$0")/../.." && pwd)
work="$root/examples/parallel-run/.run"
mkdir -p "$work"
pids=()
cleanup() {
  echo
  echo "[parallel-run] stopping everything it started"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

taken=()
for port in 8080 8000 8001 9000 9001 9002 9003 9999; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then taken+=("$port"); fi
done
if [ "${#taken[@]}" -gt 0 ]; then
  echo "[parallel-run] port(s) ${taken[*]} already in use on 127.0.0.1; stop what listens there first" >&2
  exit 1
fi

if ! command -v haproxy >/dev/null 2>&1; then
  echo "[parallel-run] installing haproxy"
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends haproxy >/dev/null
fi

jars=("$root/controller-app/target/aviary.jar" "$root/cli/target/aviary-cli.jar"
      "$root/examples/sample-service/target/sample-service.jar" "$root/parallel-run-proxy/target/aviary-proxy.jar")
for jar in "${jars[@]}"; do
  if [ ! -f "$jar" ]; then
    echo "[parallel-run] building Aviary (once)"
    (cd "$root" && ./mvnw -q -B -DskipTests -pl controller-app,cli,examples/sample-service,parallel-run-proxy -am package)
    break
  fi
done
sample="$root/examples/sample-service/target/sample-service.jar"

echo "[parallel-run] sample service v1 on :9001, v2 on :9002 ($candidate), a second v1 on :9003"
java -Xmx64m -jar "$sample" --port 9001 --version v1 --latency 5ms > "$work/v1.log" 2>&1 & pids+=($!)
java -Xmx64m -jar "$sample" --port 9002 --version v2 --latency 5ms --field-bug "$field_bug" > "$work/v2.log" 2>&1 & pids+=($!)
java -Xmx64m -jar "$sample" --port 9003 --version v1 --latency 5ms > "$work/v1-secondary.log" 2>&1 & pids+=($!)

cat > "$work/haproxy.cfg" <<CFG
global
  stats socket ipv4@127.0.0.1:9999 level admin
defaults
  mode http
  timeout connect 2s
  timeout client 10s
  timeout server 10s
frontend app
  bind 127.0.0.1:9000
  default_backend app
backend app
  balance roundrobin
  server stable1 127.0.0.1:9001 weight 256
  server canary1 127.0.0.1:9002 weight 0
CFG
echo "[parallel-run] HAProxy on :9000 (runtime API :9999)"
haproxy -db -f "$work/haproxy.cfg" > "$work/haproxy.log" 2>&1 & pids+=($!)

echo "[parallel-run] Aviary on :8080 (its database in $work/pg)"
AVIARY_OUTBOUND_ALLOW=127.0.0.0/8 AVIARY_EMBEDDED_DB_DIR="$work/pg" AVIARY_BOOTSTRAP_TOKEN_FILE="$work/admin-token" \
  java -jar "$root/controller-app/target/aviary.jar" > "$work/aviary.log" 2>&1 & aviary_pid=$!; pids+=($aviary_pid)

start_timeout="${QUICKSTART_START_TIMEOUT:-300}"
wait_for() { # url name pid log
  local deadline=$((SECONDS + start_timeout))
  while [ "$SECONDS" -lt "$deadline" ]; do
    curl -sf "$1" >/dev/null 2>&1 && return 0
    if ! kill -0 "$3" 2>/dev/null; then
      echo "[parallel-run] $2 exited during start-up; the end of $4:" >&2; tail -n 40 "$4" >&2; exit 1
    fi
    sleep 0.5
  done
  echo "[parallel-run] $2 was not ready within ${start_timeout} s; the end of $4:" >&2; tail -n 40 "$4" >&2; exit 1
}
wait_for http://127.0.0.1:9001/healthz "sample service v1" "${pids[0]}" "$work/v1.log"
wait_for http://127.0.0.1:9002/healthz "sample service v2" "${pids[1]}" "$work/v2.log"
wait_for http://127.0.0.1:9003/healthz "sample service v1 (secondary)" "${pids[2]}" "$work/v1-secondary.log"
wait_for http://127.0.0.1:8080/actuator/health/readiness "Aviary" "$aviary_pid" "$work/aviary.log"

aviary="$root/bin/aviary"
export AVIARY_SERVER=http://127.0.0.1:8080
if [ ! -s "$work/admin-token" ]; then
  echo "[parallel-run] no admin token in $work/admin-token: remove $work/pg to start afresh (docs/security.md)" >&2
  exit 1
fi
export AVIARY_TOKEN="$(cat "$work/admin-token")"

cat > "$work/plan.json" <<PLAN
{
  "name": "parallel-run",
  "description": "Compare v2's answers with v1's before it gets traffic, then a canary",
  "router": {"type": "haproxy", "address": "127.0.0.1:9999", "backend": "app", "stable": "stable1", "canary": "canary1"},
  "steps": [
    {"parallelRun": {"duration": "30s", "sample": 1.0, "maxMismatchRate": 0.01, "minComparisons": 1000, "maxDuration": "3m"}},
    {"setWeight": 25},
    {"setWeight": 100}
  ],
  "analysis": {
    "interval": "10s", "warmup": "2s", "maxDuration": "5m",
    "judge": {"type": "sequential", "alpha": 0.002, "maxIncrease": 3, "passBelow": 0.01},
    "metrics": [
      {"name": "answers", "provider": {"type": "parallel-run"},
       "counts": {"bad": "mismatches", "total": "comparisons"}}
    ]
  }
}
PLAN
"$aviary" plan apply -f "$work/plan.json"

# The proxy reports with a pipeline token scoped to the plan, read from a file: never in the settings.
curl -sf -X POST http://127.0.0.1:8080/api/v1/tokens -H "Authorization: Bearer $AVIARY_TOKEN" \
  -H 'Content-Type: application/json' \
  -d '{"name": "parallel-run-proxy-'"$(date +%s)"'", "role": "pipeline", "plans": ["parallel-run"]}' \
  | sed -n 's/.*"token" *: *"\([^"]*\)".*/\1/p' > "$work/proxy-token"
chmod 600 "$work/proxy-token"

cat > "$work/proxy.yaml" <<CFG
listen: 8000
admin: 8001
primary: http://127.0.0.1:9000        # HAProxy: what callers have always reached
candidate: http://127.0.0.1:9002      # the new version
secondary: http://127.0.0.1:9003      # a second instance of the trusted version: noise
candidateTimeout: 2s
routes: [{name: quote, route: GET /api/quote}]
controller: {url: http://127.0.0.1:8080, plan: parallel-run, tokenFile: $work/proxy-token, reportInterval: 1s}
CFG
echo "[parallel-run] comparing proxy on :8000 (metrics and /summary on :8001)"
java -Xmx128m -jar "$root/parallel-run-proxy/target/aviary-proxy.jar" "$work/proxy.yaml" > "$work/proxy.log" 2>&1 & proxy_pid=$!; pids+=($proxy_pid)
wait_for http://127.0.0.1:8001/healthz "the comparing proxy" "$proxy_pid" "$work/proxy.log"

echo "[parallel-run] load: 100 quotes a second through the proxy"
java -Xmx64m -cp "$sample" dev.aviary.examples.LoadGenerator --target 'http://127.0.0.1:8000/api/quote?item={n}' --rate 100 > "$work/load.log" 2>&1 & pids+=($!)

set +e
"$aviary" rollout start --plan parallel-run --version v2 --baseline-version v1 --meta source=parallel-run-example --wait --timeout 10m
code=$?
set -e
id=$("$aviary" rollout list --plan parallel-run --limit 1 -o json | sed -n 's/.*"id" *: *"\([^"]*\)".*/\1/p' | head -1)
[ -n "$id" ] && "$aviary" rollout comparisons "$id" --samples 1
echo "[parallel-run] aviary exited $code (0 promoted, 2 rolled back). Logs and data: $work"
exit $code
