#!/usr/bin/python3
"""Prints the per-token log-probabilities (natural log) a GGUF model gives to a sequence of ids, computed in torch
from the file's own weights: `score.py model.gguf 725 3 1 2 ...` → JSON {ids, logProbs} (logProbs[i] scores ids[i+1])."""
from __future__ import annotations

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
from torch.nn import functional as F  # noqa: E402

from kolmo_lm.load import model_from_gguf  # noqa: E402


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print('usage: score.py <model.gguf> <id> <id> [<id> ...]', file=sys.stderr)
        return 2
    model = model_from_gguf(argv[0])
    ids = torch.tensor([[int(x) for x in argv[1:]]], dtype=torch.int64)
    with torch.no_grad():
        log_probs = F.log_softmax(model(ids[:, :-1]).double(), dim=-1).gather(-1, ids[:, 1:, None]).squeeze()
    print(json.dumps({'ids': ids[0].tolist(), 'logProbs': log_probs.reshape(-1).tolist()}))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
