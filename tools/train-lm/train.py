#!/usr/bin/python3
"""Trains a small Llama-layout causal transformer on a kolmo corpus and exports ONNX + GGUF + a card per checkpoint.

Run with Debian's interpreter (/usr/bin/python3 with apt's python3-torch); see tools/train-lm/README.md.
"""
from __future__ import annotations

import argparse
import os
import shlex
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kolmo_lm.corpus import CorpusError, read_text_bytes, read_token_binary  # noqa: E402
from kolmo_lm.model import ModelConfig  # noqa: E402
from kolmo_lm.training import TrainingConfig, train  # noqa: E402


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog='train.py',
        description='Train a small Llama-layout causal transformer (RMSNorm, rotary, SwiGLU) on a kolmo token-binary corpus '
                    'or on plain text files as bytes, saving ONNX + GGUF + card.json at log-spaced checkpoints.',
        epilog='Exit codes: 0 done, 2 bad options or a model the corpus does not fit, 5 unreadable corpus. Every file is '
               'written under a temporary name and renamed when complete. See tools/train-lm/README.md.')
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument('--corpus', help="a token-binary corpus folder (the sink's train.bin, val.bin, meta.json)")
    source.add_argument('--text', nargs='+', help='plain text files, modelled as bytes (vocabulary 256 bytes + a begin id)')
    parser.add_argument('--held-out', type=float, default=0.1, help='with --text: the fraction at the end of each file held out (default 0.1)')
    parser.add_argument('--out', required=True, help='output folder: step-NNNNNN/{model.onnx, model.gguf, card.json}, checkpoints.json')
    parser.add_argument('--name', help='model name in the cards (default: the output folder name)')
    parser.add_argument('--embedding', type=int, default=64, help='model width d (default 64)')
    parser.add_argument('--layers', type=int, default=2, help='transformer blocks (default 2)')
    parser.add_argument('--heads', type=int, default=4, help='attention heads; the head size d / heads must be a whole even number (default 4)')
    parser.add_argument('--feed-forward', type=int, default=172, help='SwiGLU hidden width (default 172)')
    parser.add_argument('--context', type=int, default=64, help='context length in tokens (default 64)')
    parser.add_argument('--steps', type=int, default=1000, help='optimiser steps (default 1000)')
    parser.add_argument('--batch', type=int, default=32, help='windows per step (default 32)')
    parser.add_argument('--learning-rate', type=float, default=3e-3, help='peak AdamW learning rate (default 3e-3)')
    parser.add_argument('--warmup', type=int, default=50, help='linear warm-up steps (default 50)')
    parser.add_argument('--weight-decay', type=float, default=0.01, help='AdamW weight decay of the matrices (default 0.01)')
    parser.add_argument('--seed', type=int, default=1, help='seed of initialisation and batch sampling (default 1)')
    parser.add_argument('--checkpoints', type=int, default=1, help='checkpoints, log-spaced up to the last step (default 1: the last only)')
    parser.add_argument('--first-checkpoint', type=int, help='step of the first checkpoint (default: steps / 100, at least 1)')
    parser.add_argument('--device', choices=['auto', 'cpu', 'cuda'], default='auto', help='auto uses CUDA when present (default auto)')
    parser.add_argument('--threads', type=int, default=1, help='CPU threads (default 1: reproducible and polite on shared machines)')
    args = parser.parse_args(argv)
    for field in ('embedding', 'layers', 'heads', 'feed_forward', 'context', 'steps', 'batch', 'checkpoints', 'threads'):
        if getattr(args, field) < 1:
            parser.error(f'--{field.replace("_", "-")} must be at least 1, got {getattr(args, field)}')
    if args.embedding % args.heads or (args.embedding // args.heads) % 2:
        parser.error(f'--embedding {args.embedding} / --heads {args.heads} must be a whole, even head size (rotary pairs)')
    if not 0 < args.held_out < 1:
        parser.error(f'--held-out must be in (0, 1), got {args.held_out}')
    return args


def main(argv: list[str]) -> int:
    args = parse(argv)
    try:
        corpus = read_token_binary(args.corpus) if args.corpus else read_text_bytes(args.text, args.held_out)
    except (CorpusError, OSError) as error:
        print(f'train.py: {error}', file=sys.stderr)
        return 5
    model = ModelConfig(vocabulary_size=corpus.vocabulary_size, context_length=args.context, embedding=args.embedding,
                        layers=args.layers, heads=args.heads, feed_forward=args.feed_forward)
    config = TrainingConfig(steps=args.steps, batch=args.batch, learning_rate=args.learning_rate, warmup=args.warmup,
                            weight_decay=args.weight_decay, seed=args.seed, checkpoints=args.checkpoints,
                            first_checkpoint=args.first_checkpoint or max(1, args.steps // 100), device=args.device, threads=args.threads)
    command = shlex.join(['/usr/bin/python3', 'tools/train-lm/train.py', *argv])
    try:
        train(corpus, model, config, args.name or os.path.basename(os.path.normpath(args.out)), args.out, command)
    except ValueError as error:
        print(f'train.py: {error}', file=sys.stderr)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
