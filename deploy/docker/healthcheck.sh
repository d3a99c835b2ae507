#!/usr/bin/env bash
# Health check of the gateway on its own port, installed as /usr/local/bin/rightsize-healthcheck.
# Docker's HEALTHCHECK runs it without arguments (GET /healthz); the sidecar overlay's exec probes
# run it as `rightsize-healthcheck /healthz` and `rightsize-healthcheck /readyz`, because there the
# gateway listens on the pod's loopback only, which the kubelet's httpGet probes cannot reach.
# The ASP.NET runtime image has neither curl nor wget, so this speaks HTTP/1.1 over bash's /dev/tcp.
#
# Usage: rightsize-healthcheck [PATH]   (PATH defaults to /healthz)
# Port: RIGHTSIZE_HEALTHCHECK_PORT, else the port of the first ASPNETCORE_URLS entry, else the
# first of ASPNETCORE_HTTP_PORTS, else 8080. Exit 0 when the answer is 200, 1 otherwise.
set -uo pipefail

path="${1:-/healthz}"
if [[ "$path" != /* || "$path" =~ [[:space:]] ]]; then
  echo "usage: $0 [PATH]   (PATH starts with / and has no spaces)" >&2
  exit 1 # not 2: Docker reserves that exit code of a health check
fi

port="${RIGHTSIZE_HEALTHCHECK_PORT:-}"
if [[ -z "$port" && -n "${ASPNETCORE_URLS:-}" ]]; then
  first="${ASPNETCORE_URLS%%;*}"
  port="${first##*:}"
  port="${port%%/*}"
fi
if [[ -z "$port" ]]; then
  ports="${ASPNETCORE_HTTP_PORTS:-8080}"
  port="${ports%%[;,]*}"
fi

exec 3<>"/dev/tcp/127.0.0.1/${port}" || exit 1
printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
IFS= read -r -t 5 status <&3 || exit 1
[[ "$status" == "HTTP/1.1 200"* ]] || exit 1
