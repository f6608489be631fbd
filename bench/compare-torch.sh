#!/usr/bin/env bash
# Side-by-side training speed: digitpad vs the PyTorch peer (same network,
# same data, plain SGD, same batch size and thread count), alternating runs
# in one go so both see the same machine. Prints the median epoch time of
# each and the ratio.
#   bench/compare-torch.sh [--rounds N] [--batch B] [--threads "1 2"]
# Needs MNIST ($DIGITPAD_DATA or data/mnist) and python3-torch (installed
# with apt-get if missing). Uses ../shared/bench/torch_mlp.py if it exists
# beside the checkout, else the project's copy of its method,
# bench/torch_peer.py.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=3 batch=64 threads="1 2"
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    *) echo "usage: $0 [--rounds N] [--batch B] [--threads \"1 2\"]" >&2; exit 2 ;;
  esac
done

data=${DIGITPAD_DATA:-data/mnist}
[ -d "$data" ] || { echo "compare-torch: no MNIST in $data (run scripts/get-mnist or set DIGITPAD_DATA)" >&2; exit 1; }
peer=../shared/bench/torch_mlp.py
[ -f "$peer" ] || peer=bench/torch_peer.py
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "compare-torch: installing python3-torch"
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-torch
fi
cli=${DIGITPAD_CLI:-build/digitpad-cli}
[ -x "$cli" ] || scripts/setup build

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "digitpad vs PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'), batch $batch, $rounds rounds, peer $peer"
for r in $(seq "$rounds"); do
  for t in $threads; do
    "$cli" bench --data "$data" --batch "$batch" --runs 1 --threads "$t" \
      | awk -v b="$batch" '$1 == "batch" && $2 == b { print $3 }' >> "$tmp/dp-$t"
    /usr/bin/python3 "$peer" "$data" --epochs 1 --batch "$batch" --threads "$t" \
      | awk '$1 == "epoch" { print $4 }' >> "$tmp/torch-$t"
  done
done

median() { sort -g "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
calc() { awk "BEGIN { print $1 }"; }
printf '%-10s %16s %16s %8s\n' threads "digitpad s/epoch" "torch s/epoch" ratio
best_dp=999 best_torch=999
for t in $threads; do
  d=$(median "$tmp/dp-$t"); p=$(median "$tmp/torch-$t")
  printf '%-10s %16.3f %16.3f %7.2fx\n' "$t" "$d" "$p" "$(calc "$p / $d")"
  best_dp=$(calc "($d < $best_dp) ? $d : $best_dp")
  best_torch=$(calc "($p < $best_torch) ? $p : $best_torch")
done
printf 'best vs best: digitpad %.3f s, torch %.3f s: digitpad is %.2fx faster\n' \
  "$best_dp" "$best_torch" "$(calc "$best_torch / $best_dp")"
