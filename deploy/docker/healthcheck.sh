#!/usr/bin/env bash
# Health check of the gateway on its own port, installed as /usr/local/bin/rightsize-healthcheck.
# Docker's HEALTHCHECK runs it without arguments (GET /healthz); the sidecar overlay's exec probes
# run it as `rightsize-healthcheck /healthz` and `rightsize-healthcheck /readyz`, because there the
# gateway listens on the pod's loopback only, which the kubelet's httpGet probes cannot reach.
# The ASP.NET runtime image has neither curl nor wget, so this speaks HTTP/1.1 over bash's /dev/tcp.
#
# Usage: rightsize-healthcheck [PATH]   (PATH defaults to /healthz)
#        rightsize-healthcheck --print-port   (prints the port it would probe, and exits)
# Port: RIGHTSIZE_HEALTHCHECK_PORT, else the first http:// entry of ASPNETCORE_URLS (its port, or 80
# when it names none, as Kestrel does), else the first of ASPNETCORE_HTTP_PORTS, else 8080. The
# script speaks plain HTTP and cannot do TLS: https:// entries are skipped, and when ASPNETCORE_URLS
# has only https:// entries it fails, asking for RIGHTSIZE_HEALTHCHECK_PORT (a plain-HTTP port on
# loopback). It always connects to 127.0.0.1. Exit 0 when the answer is 200, 1 otherwise.
set -uo pipefail

print_port=0
if [[ "${1:-}" == "--print-port" ]]; then
  print_port=1
  shift
fi

path="${1:-/healthz}"
if [[ "$path" != /* || "$path" =~ [[:space:]] ]]; then
  echo "usage: $0 [PATH] | --print-port   (PATH starts with / and has no spaces)" >&2
  exit 1 # not 2: Docker reserves that exit code of a health check
fi

# The port of an http:// URL (80 when it names none); nothing for any other scheme.
http_port() {
  local url="$1" authority
  shopt -s nocasematch
  [[ "$url" == http://* ]] || { shopt -u nocasematch; return 1; }
  shopt -u nocasematch
  authority="${url:7}"
  authority="${authority%%/*}"
  if [[ "$authority" =~ :([0-9]+)$ ]]; then
    echo "${BASH_REMATCH[1]}"
  else
    echo 80
  fi
}

port="${RIGHTSIZE_HEALTHCHECK_PORT:-}"
if [[ -z "$port" && -n "${ASPNETCORE_URLS:-}" ]]; then
  IFS=';' read -r -a urls <<< "$ASPNETCORE_URLS"
  for url in "${urls[@]}"; do
    url="${url//[[:space:]]/}"
    if port="$(http_port "$url")"; then break; fi
    port=""
  done
  if [[ -z "$port" ]]; then
    echo "$0: ASPNETCORE_URLS ($ASPNETCORE_URLS) has no http:// entry, and this check cannot speak TLS; set RIGHTSIZE_HEALTHCHECK_PORT to a plain-HTTP port on loopback" >&2
    exit 1
  fi
fi
if [[ -z "$port" ]]; then
  ports="${ASPNETCORE_HTTP_PORTS:-8080}"
  port="${ports%%[;,]*}"
fi

if (( print_port )); then
  echo "$port"
  exit 0
fi

exec 3<>"/dev/tcp/127.0.0.1/${port}" || exit 1
printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
IFS= read -r -t 5 status <&3 || exit 1
[[ "$status" == "HTTP/1.1 200"* ]] || exit 1
