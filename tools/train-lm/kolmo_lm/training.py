"""Training loop, held-out scoring, log-spaced checkpoints, exports and cards."""
from __future__ import annotations

import functools
import json
import math
import os
import platform
import time
from dataclasses import dataclass

import numpy as np
import torch
from torch.nn import functional as F

from .corpus import Corpus
from .export import ONNX_OPSET, export_gguf, export_onnx, sha256_file
from .model import CausalLM, ModelConfig

LOG2E = 1.0 / math.log(2.0)


@dataclass(frozen=True)
class TrainingConfig:
    steps: int
    batch: int
    learning_rate: float
    warmup: int
    weight_decay: float
    seed: int
    checkpoints: int
    first_checkpoint: int
    device: str
    threads: int


def checkpoint_steps(first: int, last: int, count: int) -> list[int]:
    """`count` steps spaced evenly in log between first and last (both included), rounded, without repeats."""
    if count <= 1 or first >= last:
        return [last]
    steps = np.unique(np.round(np.geomspace(first, last, count)).astype(int))
    return [int(s) for s in steps]


def learning_rate(step: int, config: TrainingConfig) -> float:
    """Linear warm-up, then cosine decay to a tenth of the peak."""
    if step <= config.warmup:
        return config.learning_rate * step / max(1, config.warmup)
    progress = (step - config.warmup) / max(1, config.steps - config.warmup)
    return config.learning_rate * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))


def choose_device(requested: str) -> torch.device:
    if requested == 'auto':
        return torch.device('cuda' if torch.cuda.is_available() else 'cpu')
    if requested == 'cuda' and not torch.cuda.is_available():
        raise ValueError('--device cuda: no CUDA device is available (use auto or cpu)')
    return torch.device(requested)


def make_deterministic(seed: int, threads: int) -> None:
    os.environ.setdefault('CUBLAS_WORKSPACE_CONFIG', ':4096:8')  # deterministic cuBLAS, read when CUDA starts
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(threads)


def document_batches(corpus: Corpus, context: int, batch: int):
    """Held-out documents, each as [begin] + document + [begin] (its end), right-padded into batches; yields (ids, lengths).
    Byte corpora have no documents: their held-out bytes come as overlapping windows of the context length."""
    ids = corpus.validation
    if corpus.kind == 'bytes':
        sequences = [ids[s:s + context] for s in range(0, max(1, len(ids) - 1), context - 1)]
        sequences = [s for s in sequences if len(s) > 1]
    else:
        ends = np.flatnonzero(ids == corpus.begin)
        starts = np.concatenate([[0], ends[:-1] + 1])
        sequences = [np.concatenate([[corpus.begin], ids[s:e + 1]]) for s, e in zip(starts, ends)]
        too_long = [len(s) for s in sequences if len(s) > context]
        if too_long:
            raise ValueError(f'held-out documents of up to {max(too_long)} tokens do not fit the context of {context}; use a longer --context')
    for i in range(0, len(sequences), batch):
        chunk = sequences[i:i + batch]
        lengths = [len(s) for s in chunk]
        padded = np.full((len(chunk), max(lengths)), corpus.begin, dtype=np.int64)
        for row, s in enumerate(chunk):
            padded[row, :len(s)] = s
        yield torch.from_numpy(padded), lengths


@torch.no_grad()
def held_out_bits(model: CausalLM, corpus: Corpus, device: torch.device) -> dict:
    """Bits per predicted token on the held-out part (and per document for token-binary corpora: the sum over a
    document's tokens and its end id, given the previous document's end as the only context)."""
    model.eval()
    total, tokens, documents = 0.0, 0, 0
    for ids, lengths in document_batches(corpus, model.config.context_length, 256):
        ids = ids.to(device)
        log_probs = F.log_softmax(model(ids[:, :-1]).double(), dim=-1)
        picked = log_probs.gather(-1, ids[:, 1:, None]).squeeze(-1)
        for row, length in enumerate(lengths):
            total -= picked[row, :length - 1].sum().item() * LOG2E
            tokens += length - 1
        documents += len(lengths)
    model.train()
    result = {'bitsPerToken': total / tokens, 'tokens': tokens}
    if corpus.kind == 'token-binary':
        result.update(bitsPerDocument=total / documents, documents=documents)
    return result


def relative(path: str) -> str:
    return os.path.relpath(path).replace(os.sep, '/')


def write_card(path: str, card: dict) -> None:
    temporary = f'{path}.partial'
    with open(temporary, 'w', encoding='utf-8') as out:
        json.dump(card, out, indent=2)
        out.write('\n')
    os.replace(temporary, path)


def train(corpus: Corpus, model_config: ModelConfig, config: TrainingConfig, name: str, out: str, command: str,
          log=functools.partial(print, flush=True)) -> list[dict]:
    """Trains from scratch and writes `<out>/step-NNNNNN/{model.onnx, model.gguf, card.json}` at each checkpoint,
    plus `<out>/checkpoints.json` (one line per checkpoint). Returns the cards."""
    make_deterministic(config.seed, config.threads)
    device = choose_device(config.device)
    model = CausalLM(model_config).to(device)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    optimiser = torch.optim.AdamW([{'params': decay, 'weight_decay': config.weight_decay}, {'params': no_decay, 'weight_decay': 0.0}],
                                  lr=config.learning_rate, betas=(0.9, 0.95))
    context = model_config.context_length
    if len(corpus.train) <= context + 1:
        raise ValueError(f'the training part has {len(corpus.train)} tokens, fewer than one window of {context + 1}')
    train_ids = torch.from_numpy(corpus.train)
    offsets = torch.arange(context + 1)
    generator = torch.Generator().manual_seed(config.seed)
    saves = checkpoint_steps(config.first_checkpoint, config.steps, config.checkpoints)
    os.makedirs(out, exist_ok=True)
    cards, recent = [], []
    started = time.perf_counter()
    log(f'{name}: {model.parameter_count():,} parameters, vocabulary {model_config.vocabulary_size}, {config.steps} steps '
        f'of {config.batch}×{context} tokens on {device}; checkpoints at {saves}')
    for step in range(1, config.steps + 1):
        starts = torch.randint(0, len(train_ids) - context - 1, (config.batch,), generator=generator)
        window = train_ids[starts[:, None] + offsets].to(device)
        for group in optimiser.param_groups:
            group['lr'] = learning_rate(step, config)
        logits = model(window[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, model_config.vocabulary_size), window[:, 1:].reshape(-1))
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimiser.step()
        recent = (recent + [loss.item() * LOG2E])[-20:]
        if step % 100 == 0:
            log(f'  step {step}/{config.steps}: train {np.mean(recent):.4f} bits/token ({time.perf_counter() - started:.1f} s)')
        if step in saves:
            cards.append(save_checkpoint(model, corpus, config, name, out, command, step, float(np.mean(recent)), device, log))
    log(f'{name}: trained in {time.perf_counter() - started:.1f} s')
    write_card(os.path.join(out, 'checkpoints.json'), {
        'name': name,
        'checkpoints': [{'step': c['step'], 'tokensSeen': c['tokensSeen'], 'directory': f'step-{c["step"]:06d}',
                         'heldOut': c['metrics']['heldOut']} for c in cards],
    })
    return cards


def save_checkpoint(model: CausalLM, corpus: Corpus, config: TrainingConfig, name: str, out: str, command: str, step: int,
                    train_bits: float, device: torch.device, log) -> dict:
    directory = os.path.join(out, f'step-{step:06d}')
    os.makedirs(directory, exist_ok=True)
    held_out = held_out_bits(model, corpus, device)
    cpu_model = CausalLM(model.config)
    cpu_model.load_state_dict({k: v.detach().cpu() for k, v in model.state_dict().items()})
    onnx_path, gguf_path = os.path.join(directory, 'model.onnx'), os.path.join(directory, 'model.gguf')
    export_onnx(cpu_model, onnx_path)
    export_gguf(cpu_model, corpus, f'{name}-step-{step}', gguf_path)
    mc = model.config
    card = {
        'format': 'kolmo-lm-card',
        'version': 1,
        'name': name,
        'step': step,
        'steps': config.steps,
        'tokensSeen': step * config.batch * mc.context_length,
        'parameters': model.parameter_count(),
        'architecture': 'llama (decoder-only, pre-norm RMSNorm, rotary positions, SwiGLU, no biases, tied embeddings)',
        'model': mc.as_dict(),
        'io': {
            'onnx': {'opset': ONNX_OPSET, 'input': 'ids: int64 [batch, length]', 'output': 'logits: float32 [batch, length, vocabulary]',
                     'maxLength': mc.context_length},
            'beginId': corpus.begin,
            'beginMeaning': 'put before every document (the end id of the previous one)' if corpus.kind == 'token-binary' else 'put before every text',
        },
        'training': {
            'seed': config.seed, 'batch': config.batch, 'learningRate': config.learning_rate, 'warmup': config.warmup,
            'weightDecay': config.weight_decay, 'optimiser': 'AdamW(0.9, 0.95), clip 1.0, cosine to 10%',
            'device': device.type, 'threads': config.threads, 'torch': torch.__version__, 'python': platform.python_version(),
        },
        'corpus': {
            'kind': corpus.kind, 'sha256': corpus.sha256, 'sources': [relative(p) for p in corpus.sources],
            'vocabularySize': corpus.vocabulary_size, 'trainTokens': int(len(corpus.train)), 'validationTokens': int(len(corpus.validation)),
        },
        'metrics': {'trainBitsPerToken': train_bits, 'heldOut': held_out},
        'command': command,
        'files': {kind: {'path': os.path.basename(path), 'bytes': os.path.getsize(path), 'sha256': sha256_file(path)}
                  for kind, path in (('onnx', onnx_path), ('gguf', gguf_path))},
    }
    write_card(os.path.join(directory, 'card.json'), card)
    per_doc = f', {held_out["bitsPerDocument"]:.3f} bits/document' if 'bitsPerDocument' in held_out else ''
    log(f'  checkpoint step {step}: train {train_bits:.4f}, held-out {held_out["bitsPerToken"]:.4f} bits/token{per_doc} → {relative(directory)}')
    return card
