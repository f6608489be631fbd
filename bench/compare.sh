#!/usr/bin/env bash
# A fair comparison: digitpad against its peers, the same network (784-800-10
# ReLU/softmax), data and method, each peer at its best thread setting, in
# alternating runs so all see the same machine. Prints one table:
#
#   row | digitpad | best peer (which, threads) | ratio | physical limit
#
# for batch 64 plain SGD, batch 64 momentum 0.9, batch 1 (the paper's
# per-sample SGD) and one inference (forward pass of one MNIST image). Times
# are one 60,000-sample epoch of the training loop, medians over the rounds.
# The peers (bench/torch_peer_ext.py, bench/numpy_peer.py) set their threads
# properly: OPENBLAS_NUM_THREADS and OMP_NUM_THREADS as well as
# torch.set_num_threads, and OMP_WAIT_POLICY=PASSIVE at 2 threads, so
# "1 thread" is one and PyTorch's OpenMP workers do not fight OpenBLAS's.
# The limits come from `digitpad-cli bench --limits` (measured FMA peak and
# bandwidth; docs/performance.md).
#   bench/compare.sh [--rounds N] [--threads "1 2"] [--quick]
# --quick times the peers' batch-1 runs on 6,000 samples (scaled to an
# epoch) instead of 20,000. Needs MNIST ($DIGITPAD_DATA or data/mnist);
# installs python3-numpy and python3-torch with apt-get if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=3 threads="1 2" b1_samples=20000
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --quick) b1_samples=6000; shift ;;
    *) echo "usage: $0 [--rounds N] [--threads \"1 2\"] [--quick]" >&2; exit 2 ;;
  esac
done

data=${DIGITPAD_DATA:-data/mnist}
[ -d "$data" ] || { echo "compare: no MNIST in $data (run scripts/get-mnist or set DIGITPAD_DATA)" >&2; exit 1; }
py=/usr/bin/python3
if ! $py -c 'import numpy, torch' 2>/dev/null; then
  echo "compare: installing python3-numpy python3-torch" >&2
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-numpy python3-torch
fi
cli=${DIGITPAD_CLI:-build/digitpad-cli}
[ -x "$cli" ] || scripts/setup build

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
field() { awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }'; }
dp_epoch() { # batch momentum -> s/epoch (threads: digitpad's default, measured)
  "$cli" bench --data "$data" --batch "$1" --momentum "$2" --runs 1 |
    awk -v b="$1" '$1 == "batch" && $2 == b { print $3 }'
}
peer() { # name threads batch momentum samples infer -> the peer's output line
  local script=bench/numpy_peer.py
  [ "$1" = torch ] && script=bench/torch_peer_ext.py
  "$py" "$script" "$data" --threads "$2" --batch "$3" --momentum "$4" \
    --samples "$5" --infer "$6"
}

echo "digitpad vs numpy $($py -c 'import numpy; print(numpy.__version__)'), torch $($py -c 'import torch; print(torch.__version__)'): $rounds rounds, alternating" >&2
for r in $(seq "$rounds"); do
  echo "round $r/$rounds" >&2
  dp_epoch 64 0 >> "$tmp/dp-sgd"
  dp_epoch 64 0.9 >> "$tmp/dp-mom"
  dp_epoch 1 0 >> "$tmp/dp-b1"
  "$cli" bench --data "$data" --inference --runs 5 |
    sed -nE 's/^inference \(forward only.*: ([0-9.]+) us$/\1/p' >> "$tmp/dp-inf"
  for p in numpy torch; do
    for t in $threads; do
      peer $p "$t" 64 0 60000 0 | field epoch_s >> "$tmp/$p-$t-sgd"
      peer $p "$t" 64 0.9 60000 0 | field epoch_s >> "$tmp/$p-$t-mom"
    done
    # one sample at a time: one thread (a second only adds hand-offs)
    peer $p 1 1 0 "$b1_samples" 0 | field epoch_s >> "$tmp/$p-1-b1"
    peer $p 1 64 0 64 20000 | field infer_us >> "$tmp/$p-1-inf"
  done
done
"$cli" bench --data "$data" --limits > "$tmp/limits"

median() { sort -g "$1" | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
limit() { awk -v k="$1" '$1 == "limit" && $2 == k { print $3 }' "$tmp/limits"; }
grep '^machine' "$tmp/limits"
printf '%-26s %10s  %-30s %7s %15s\n' "" digitpad "best peer (which, threads)" ratio "physical limit"
row() { # label key unit limit-name
  local d best=1e300 who="" f m
  d=$(median "$tmp/dp-$2")
  for f in "$tmp"/*-"$2"; do
    case $f in */dp-*) continue ;; esac
    m=$(median "$f")
    if awk "BEGIN { exit !($m < $best) }"; then
      best=$m
      who=$(basename "$f" "-$2" | sed -E 's/^(numpy|torch)-([0-9]+)$/\1, \2 thread/')
      [ "${who##*, }" = "1 thread" ] || who="${who}s"
    fi
  done
  printf '%-26s %10s  %-30s %6.1fx %15s\n' "$1" "$(printf '%.3g %s' "$d" "$3")" \
    "$(printf '%.3g %s (%s)' "$best" "$3" "$who")" "$(awk "BEGIN { print $best / $d }")" \
    "$(printf '%.3g %s' "$(limit "$4")" "$3")"
}
row "batch 64, plain SGD" sgd s batch64-sgd
row "batch 64, momentum 0.9" mom s batch64-momentum
row "batch 1 (per-sample SGD)" b1 s batch1
row "one inference" inf us inference
echo "(training: seconds for one 60,000-sample epoch; ratio = best peer / digitpad)"
