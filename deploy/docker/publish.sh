#!/usr/bin/env bash
# Publishes the gateway exactly as the container image does: the Dockerfile runs this script,
# and so do the deployment tests (tests/RightSize.Deployment.Tests), so both get the same layout.
#
#   deploy/docker/publish.sh OUT_DIR         restore, then publish into OUT_DIR (the image uses /app)
#   deploy/docker/publish.sh --restore-only  restore only (the image's cached layer)
#
# Framework-dependent for this machine's Linux RID (linux-x64 or linux-arm64; RIGHTSIZE_RID
# overrides), so only that platform's ONNX Runtime native library ships (about 30 MB instead of
# 240 MB for every platform). OUT_DIR holds RightSize.Gateway.dll, started with
# `dotnet OUT_DIR/RightSize.Gateway.dll`, and models/default/ when the repository has a default model.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
project="$root/src/RightSize.Gateway/RightSize.Gateway.csproj"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if [[ $# -ne 1 ]]; then
  echo "usage: $0 OUT_DIR | --restore-only" >&2
  exit 2
fi

case "${RIGHTSIZE_RID:-$(uname -m)}" in
  x86_64 | amd64 | linux-x64) rid=linux-x64 ;;
  aarch64 | arm64 | linux-arm64) rid=linux-arm64 ;;
  *) echo "publish.sh: unsupported architecture '${RIGHTSIZE_RID:-$(uname -m)}'; set RIGHTSIZE_RID" >&2; exit 2 ;;
esac

# Build outputs go to a private artifacts directory (bin/ and obj/ per project, deleted at the end),
# so a publish never races a developer's or CI's build over the shared src/*/obj folders.
artifacts="$(mktemp -d "${TMPDIR:-/tmp}/rightsize-publish.XXXXXX")"
trap 'rm -rf "$artifacts"' EXIT
common=(--runtime "$rid" -p:UseAppHost=false -p:UseArtifactsOutput=true "-p:ArtifactsPath=$artifacts")

if [[ "$1" == "--restore-only" ]]; then
  # Fills the NuGet package cache (the image's cached layer); publish's own restore is then offline.
  dotnet restore "$project" "${common[@]}"
  exit 0
fi

dotnet publish "$project" --configuration Release --self-contained false --output "$1" "${common[@]}"
