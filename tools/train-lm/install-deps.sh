#!/usr/bin/env bash
# Installs what tools/train-lm needs, from Debian only (no PyPI): Debian's python3-torch (1.13), numpy and onnx
# (1.12, the tests check exported graphs with it) for /usr/bin/python3, and OpenBLAS (~16× faster matrix products
# than the reference BLAS torch links by default).
# Idempotent and quiet: checks first, installs only what is missing. `--check` only reports (exit 1 if missing).
set -euo pipefail
missing=()
/usr/bin/python3 -c 'import torch, numpy' 2>/dev/null || missing+=(python3-torch python3-numpy)
/usr/bin/python3 -c 'import onnx' 2>/dev/null || missing+=(python3-onnx)
dpkg -s libopenblas0-pthread >/dev/null 2>&1 || missing+=(libopenblas0-pthread)
if (( ${#missing[@]} == 0 )); then exit 0; fi
if [[ "${1:-}" == "--check" ]]; then
  echo "tools/train-lm: missing Debian packages: ${missing[*]} (run tools/train-lm/install-deps.sh, about 2 minutes)" >&2
  exit 1
fi
sudo=""
if (( EUID != 0 )); then sudo="sudo"; fi
echo "tools/train-lm: installing ${missing[*]} with apt-get" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
/usr/bin/python3 -c 'import torch, numpy, onnx'
