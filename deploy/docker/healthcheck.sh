#!/usr/bin/env bash
# Docker HEALTHCHECK: GET /healthz on the gateway's own port. The ASP.NET runtime image has
# neither curl nor wget, so this speaks HTTP/1.1 over bash's /dev/tcp. Kubernetes ignores
# HEALTHCHECK and uses the httpGet probes of the manifests instead.
#
# Port: RIGHTSIZE_HEALTHCHECK_PORT, else the port of the first ASPNETCORE_URLS entry, else the
# first of ASPNETCORE_HTTP_PORTS, else 8080. Exit 0 when the answer is 200, 1 otherwise.
set -uo pipefail

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
printf 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
IFS= read -r -t 5 status <&3 || exit 1
[[ "$status" == "HTTP/1.1 200"* ]] || exit 1
