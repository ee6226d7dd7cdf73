#!/usr/bin/env bash
# Runs VideoGen on the embedded default (SQLite, local preview provider): `scripts/serve.sh [--urls URL]`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 || ensure_packages ffmpeg fonts-dejavu-core
exec dotnet run -c Release --project src/VideoGen.Server -- serve "$@"
