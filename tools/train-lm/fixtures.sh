#!/usr/bin/env bash
# Regenerates the committed transformer fixtures (fixtures/lm/) from scratch: the SK corpus with kolmo, then four
# trainings on CPU with one thread each (deterministic: same commands, same files; the cards record each command).
# Run from anywhere: `tools/train-lm/fixtures.sh` (about 15 CPU-minutes on an idle core; pass -j2 to run two trainings at a time).
set -euo pipefail
cd "$(dirname "$0")/../.."
parallel=1
[[ "${1:-}" == "-j2" ]] && parallel=2
python=/usr/bin/python3
train=tools/train-lm/train.py
corpus=runs/sk-corpus/corpus

npx kolmo run tools/train-lm/sk-corpus.yaml --quiet
rm -rf fixtures/lm/sk-50k fixtures/lm/sk-200k fixtures/lm/sk-800k fixtures/lm/alice-bytes
mkdir -p fixtures/lm

jobs=(
  "$python $train --corpus $corpus --out fixtures/lm/sk-800k --embedding 128 --layers 4 --heads 4 --feed-forward 304 --steps 150 --warmup 20 --learning-rate 2e-3 --seed 1"
  "$python $train --corpus $corpus --out fixtures/lm/sk-200k --embedding 64 --layers 3 --heads 4 --feed-forward 176 --steps 400 --warmup 30 --checkpoints 6 --first-checkpoint 4 --seed 1"
  "$python $train --corpus $corpus --out fixtures/lm/sk-50k --embedding 32 --layers 2 --heads 2 --feed-forward 96 --steps 600 --warmup 30 --seed 1"
  "$python $train --text examples/corpora/alice29.txt --out fixtures/lm/alice-bytes --embedding 64 --layers 2 --heads 4 --feed-forward 176 --steps 400 --warmup 30 --seed 1"
)
mkdir -p runs/train-lm  # training logs (with timings) stay out of the fixtures
for job in "${jobs[@]}"; do
  name=$(sed -E 's/.*--out fixtures\/lm\/([^ ]+).*/\1/' <<<"$job")
  if (( parallel > 1 )); then
    while (( $(jobs -rp | wc -l) >= parallel )); do wait -n; done
    $job > "runs/train-lm/$name.log" 2>&1 &
  else
    $job 2>&1 | tee "runs/train-lm/$name.log"
  fi
done
while (( $(jobs -rp | wc -l) > 0 )); do wait -n; done  # wait -n fails the script (set -e) if a training failed
du -sh fixtures/lm
