"""Loads an exported GGUF file back into a torch CausalLM: the reference the ONNX and llama.cpp backends are checked
against, and the proof that the export lost nothing."""
from __future__ import annotations

import numpy as np
import torch

from .gguf_file import read_gguf
from .model import CausalLM, ModelConfig


def inverse_rotary_permutation(weight: np.ndarray, heads: int) -> np.ndarray:
    """Undoes export.rotary_permutation (interleaved pairs back to rotate-half halves)."""
    rows = weight.shape[0]
    return weight.reshape(heads, rows // heads // 2, 2, *weight.shape[1:]).swapaxes(1, 2).reshape(weight.shape)


def model_from_gguf(path: str) -> CausalLM:
    contents = read_gguf(path)
    m, t = contents.metadata, contents.tensors
    if m.get('general.architecture') != 'llama':
        raise ValueError(f'{path}: architecture {m.get("general.architecture")!r}, expected llama')
    config = ModelConfig(
        vocabulary_size=t['token_embd.weight'].shape[0], context_length=m['llama.context_length'],
        embedding=m['llama.embedding_length'], layers=m['llama.block_count'], heads=m['llama.attention.head_count'],
        feed_forward=m['llama.feed_forward_length'], rms_epsilon=m['llama.attention.layer_norm_rms_epsilon'],
        rope_base=m['llama.rope.freq_base'], tied_embeddings='output.weight' not in t)
    state = {'embedding.weight': t['token_embd.weight'], 'norm.weight': t['output_norm.weight']}
    if not config.tied_embeddings:
        state['output.weight'] = t['output.weight']
    for n in range(config.layers):
        b, p = f'blk.{n}.', f'blocks.{n}.'
        state.update({
            p + 'attention_norm.weight': t[b + 'attn_norm.weight'],
            p + 'attention.q.weight': inverse_rotary_permutation(t[b + 'attn_q.weight'], config.heads),
            p + 'attention.k.weight': inverse_rotary_permutation(t[b + 'attn_k.weight'], config.heads),
            p + 'attention.v.weight': t[b + 'attn_v.weight'],
            p + 'attention.o.weight': t[b + 'attn_output.weight'],
            p + 'feed_forward_norm.weight': t[b + 'ffn_norm.weight'],
            p + 'feed_forward.gate.weight': t[b + 'ffn_gate.weight'],
            p + 'feed_forward.up.weight': t[b + 'ffn_up.weight'],
            p + 'feed_forward.down.weight': t[b + 'ffn_down.weight'],
        })
    model = CausalLM(config)
    model.load_state_dict({k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in state.items()})
    return model.eval()
