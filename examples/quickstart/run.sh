#!/usr/bin/env bash
# Aviary in five minutes: the sample service as v1 (stable) and v2 (canary) behind HAProxy, a
# Prometheus scraping them, steady load, and Aviary releasing v2 step by step.
#
#   examples/quickstart/run.sh [--canary healthy|errors|latency] [--interval 10s]
#
# Needs a JDK 17 and a Debian-like machine; installs haproxy and prometheus if they are missing
# (as root, or with sudo). Ctrl-C, or the end of the rollout, stops everything it started.
set -euo pipefail

canary=healthy
interval=10s
while [ $# -gt 0 ]; do
  case "$1" in
    --canary) canary="$2"; shift 2 ;;
    --interval) interval="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 64 ;;
  esac
done
# v1 fails 1 % of its requests; "errors" fails 2 % (twice as many), "latency" makes the slowest
# 1 % of requests three times slower and leaves the median alone.
case "$canary" in
  healthy) v2_errors=0.01; v2_tail=1 ;;
  errors)  v2_errors=0.02; v2_tail=1 ;;
  latency) v2_errors=0.01; v2_tail=3 ;;
  *) echo "--canary must be healthy, errors or latency" >&2; exit 64 ;;
esac

root=$(cd "$(dirname "$0")/../.." && pwd)
work="$root/examples/quickstart/.run"
mkdir -p "$work"
pids=()
cleanup() {
  echo
  echo "[quickstart] stopping everything it started"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

# Every port this script serves on must be free: an Aviary left running from getting-started (on
# :8080) would otherwise answer for the one started here.
taken=()
for port in 8080 9000 9001 9002 9090 9101 9999; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then taken+=("$port"); fi
done
if [ "${#taken[@]}" -gt 0 ]; then
  echo "[quickstart] port(s) ${taken[*]} already in use on 127.0.0.1; stop what listens there first" >&2
  echo "[quickstart] (a controller from getting-started holds :8080: Ctrl-C it; 'ss -ltnp' shows who)" >&2
  exit 1
fi

need=()
command -v haproxy >/dev/null 2>&1 || need+=(haproxy)
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
if [ "${#need[@]}" -gt 0 ]; then
  echo "[quickstart] installing ${need[*]}"
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

jars=("$root/controller-app/target/aviary.jar" "$root/cli/target/aviary-cli.jar" "$root/examples/sample-service/target/sample-service.jar")
for jar in "${jars[@]}"; do
  if [ ! -f "$jar" ]; then
    echo "[quickstart] building Aviary (once)"
    (cd "$root" && ./mvnw -q -B -DskipTests -pl controller-app,cli,examples/sample-service -am package)
    break
  fi
done
sample="$root/examples/sample-service/target/sample-service.jar"

echo "[quickstart] sample service v1 on :9001 (healthy), v2 on :9002 ($canary)"
java -Xmx64m -jar "$sample" --port 9001 --version v1 --error-rate 0.01 > "$work/v1.log" 2>&1 & pids+=($!)
java -Xmx64m -jar "$sample" --port 9002 --version v2 --error-rate "$v2_errors" --slow-tail "$v2_tail" > "$work/v2.log" 2>&1 & pids+=($!)

cat > "$work/haproxy.cfg" <<CFG
global
  stats socket ipv4@127.0.0.1:9999 level admin
defaults
  mode http
  option http-server-close
  timeout connect 2s
  timeout client 10s
  timeout server 10s
frontend metrics
  bind 127.0.0.1:9101
  http-request use-service prometheus-exporter if { path /metrics }
frontend app
  bind 127.0.0.1:9000
  default_backend app
backend app
  balance roundrobin
  server stable1 127.0.0.1:9001 weight 256
  server canary1 127.0.0.1:9002 weight 0
CFG
echo "[quickstart] HAProxy on :9000 (runtime API :9999, metrics :9101)"
haproxy -db -f "$work/haproxy.cfg" > "$work/haproxy.log" 2>&1 & pids+=($!)

cat > "$work/prometheus.yml" <<CFG
global:
  scrape_interval: 2s
scrape_configs:
  - job_name: quickstart
    static_configs:
      - targets: ['127.0.0.1:9001', '127.0.0.1:9002', '127.0.0.1:9101']
CFG
echo "[quickstart] Prometheus on :9090"
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prometheus-data" \
  --web.listen-address=127.0.0.1:9090 > "$work/prometheus.log" 2>&1 & pids+=($!)

echo "[quickstart] Aviary on :8080 (its database in $work/pg)"
# Prometheus and HAProxy run on loopback here, which plans may not reach unless an admin allows it.
AVIARY_OUTBOUND_ALLOW=127.0.0.0/8 AVIARY_EMBEDDED_DB_DIR="$work/pg" AVIARY_BOOTSTRAP_TOKEN_FILE="$work/admin-token" java -jar "$root/controller-app/target/aviary.jar" > "$work/aviary.log" 2>&1 & aviary_pid=$!; pids+=($aviary_pid)

# Waits for a health URL while the process that should answer it is alive; on failure shows the
# end of its log. A busy 2-core machine may take minutes: QUICKSTART_START_TIMEOUT (seconds, 300).
start_timeout="${QUICKSTART_START_TIMEOUT:-300}"
wait_for() { # url name pid log
  local deadline=$((SECONDS + start_timeout))
  while [ "$SECONDS" -lt "$deadline" ]; do
    curl -sf "$1" >/dev/null 2>&1 && return 0
    if ! kill -0 "$3" 2>/dev/null; then
      echo "[quickstart] $2 exited during start-up; the end of $4:" >&2; tail -n 40 "$4" >&2; exit 1
    fi
    sleep 0.5
  done
  echo "[quickstart] $2 was not ready within ${start_timeout} s; the end of $4:" >&2; tail -n 40 "$4" >&2; exit 1
}
wait_for http://127.0.0.1:9001/healthz "sample service v1" "${pids[0]}" "$work/v1.log"
wait_for http://127.0.0.1:9002/healthz "sample service v2" "${pids[1]}" "$work/v2.log"
wait_for http://127.0.0.1:9090/-/ready "Prometheus" "${pids[3]}" "$work/prometheus.log"
wait_for http://127.0.0.1:8080/actuator/health/readiness "Aviary" "$aviary_pid" "$work/aviary.log"

echo "[quickstart] load: 200 requests a second through HAProxy (shares printed every 5 s)"
java -Xmx64m -cp "$sample" dev.aviary.examples.LoadGenerator --target http://127.0.0.1:9000 --rate 200 & pids+=($!)

# Errors counted by HAProxy's own exporter (the router's ready-made http-error-rate: no query to
# write) and latency from the service's histogram, one value per analysis window, judged sequentially:
# the evidence accumulates over the whole step and looking every interval costs no false rollbacks.
# Errors pass a step once shown below 1.5x the baseline's rate (the default maxIncrease), so a
# canary with twice the errors cannot pass; latency's percentile shares are thin, so that metric
# tolerates 3x before it passes.
buckets='sum by (le) (increase(http_request_duration_seconds_bucket{version=\"${version}\"}[${window}]))'
cat > "$work/plan.json" <<PLAN
{
  "name": "quickstart",
  "description": "The sample service, released through HAProxy and judged from Prometheus",
  "router": {"type": "haproxy", "address": "127.0.0.1:9999", "backend": "app", "stable": "stable1", "canary": "canary1"},
  "steps": [{"setWeight": 10}, {"setWeight": 25}, {"setWeight": 50}, {"setWeight": 100}],
  "analysis": {
    "interval": "$interval", "warmup": "4s", "maxDuration": "5m",
    "judge": {"type": "sequential", "alpha": 0.002, "maxIncrease": 1.5, "passBelow": 0.01},
    "metrics": [
      {"name": "errors", "provider": {"type": "prometheus", "address": "http://127.0.0.1:9090"},
       "template": "http-error-rate"},
      {"name": "latency", "provider": {"type": "prometheus", "address": "http://127.0.0.1:9090"},
       "histogram": "$buckets", "judge": {"type": "sequential", "alpha": 0.002, "maxIncrease": 3}}
    ]
  }
}
PLAN

aviary="$root/bin/aviary"
export AVIARY_SERVER=http://127.0.0.1:8080
# The admin token Aviary generated on its first start (docs/security.md).
if [ ! -s "$work/admin-token" ]; then
  echo "[quickstart] no admin token in $work/admin-token: Aviary writes it only on the first start of" >&2
  echo "[quickstart] an empty database; remove $work/pg to start afresh (docs/security.md)" >&2
  exit 1
fi
export AVIARY_TOKEN="$(cat "$work/admin-token")"
"$aviary" plan apply -f "$work/plan.json"
sleep 5   # a few scrapes of both versions before the first judgement
set +e
"$aviary" rollout start --plan quickstart --version v2 --baseline-version v1 --meta source=quickstart --wait --timeout 15m
code=$?
set -e
echo "[quickstart] aviary exited $code (0 promoted, 2 rolled back). Logs and data: $work"
exit $code
