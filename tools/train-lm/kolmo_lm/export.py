"""Exports a trained CausalLM to ONNX (opset 14, dynamic batch and length) and to GGUF (llama architecture, f32)."""
from __future__ import annotations

import hashlib
import io
import os

import numpy as np
import torch

from . import gguf_file as g
from .corpus import Corpus
from .model import CausalLM

ONNX_OPSET = 14

# llama.cpp token types (llama_token_type): 1 normal, 3 control.
TOKEN_NORMAL, TOKEN_CONTROL = 1, 3


def sha256_file(path: str) -> str:
    with open(path, 'rb') as stream:
        return hashlib.sha256(stream.read()).hexdigest()


def _write_atomic(path: str, data: bytes) -> None:
    """Writes under a temporary name and renames, so a failed export leaves no half-written file."""
    temporary = f'{path}.partial'
    try:
        with open(temporary, 'wb') as out:
            out.write(data)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def export_onnx(model: CausalLM, path: str) -> None:
    """input `ids` int64 (batch, length) → output `logits` float32 (batch, length, vocabulary); length ≤ context."""
    model = model.eval().cpu()
    example = torch.zeros((1, min(8, model.config.context_length)), dtype=torch.int64)
    buffer = io.BytesIO()
    with torch.no_grad():
        torch.onnx.export(model, (example,), buffer, opset_version=ONNX_OPSET, input_names=['ids'], output_names=['logits'],
                          dynamic_axes={'ids': {0: 'batch', 1: 'length'}, 'logits': {0: 'batch', 1: 'length'}},
                          do_constant_folding=False)
    _write_atomic(path, buffer.getvalue())


def rotary_permutation(weight: np.ndarray, heads: int) -> np.ndarray:
    """Reorders Q/K rows from Hugging Face's rotate-half rotary layout (pairs i, i + d/2) to llama.cpp's interleaved
    one (pairs 2i, 2i + 1), as llama.cpp's convert_hf_to_gguf.py does; without it log-probs are off by nats."""
    rows = weight.shape[0]
    return weight.reshape(heads, 2, rows // heads // 2, *weight.shape[1:]).swapaxes(1, 2).reshape(weight.shape)


def byte_to_unicode() -> dict[int, str]:
    """GPT-2's printable stand-in for every byte (printable Latin-1 as itself, the rest shifted past U+0100), the text
    form llama.cpp's BPE vocabularies use and decode back to bytes."""
    printable = list(range(ord('!'), ord('~') + 1)) + list(range(ord('¡'), ord('¬') + 1)) + list(range(ord('®'), ord('ÿ') + 1))
    table, shift = {}, 0
    for b in range(256):
        if b in printable:
            table[b] = chr(b)
        else:
            table[b] = chr(256 + shift)
            shift += 1
    return table


def gguf_tokenizer(corpus: Corpus) -> dict[str, g.Value]:
    """The vocabulary as a BPE ("gpt2") tokenizer without merges: ids stay exactly the corpus' ids (callers pass ids, not
    text), texts are GPT-2 byte-encoded (a space is Ġ) so llama.cpp decodes them to the right bytes, and the
    begin-of-document id is a control token. Measured: llama.cpp's "llama" (SentencePiece) vocabulary aborts the
    process on load unless all 256 <0xNN> byte tokens exist, which would shift every id; this one loads as is."""
    encode = byte_to_unicode()
    tokens, types = [], []
    for i, text in enumerate(corpus.vocabulary):
        if i == corpus.begin:
            tokens.append(text)
            types.append(TOKEN_CONTROL)
        else:
            data = bytes([i]) if corpus.kind == 'bytes' else text.encode('utf-8')
            tokens.append(''.join(encode[b] for b in data))
            types.append(TOKEN_NORMAL)
    return {
        'tokenizer.ggml.model': g.string('gpt2'),
        'tokenizer.ggml.pre': g.string('default'),
        'tokenizer.ggml.tokens': g.array(g.ValueType.STRING, tokens),
        'tokenizer.ggml.token_type': g.array(g.ValueType.INT32, types),
        'tokenizer.ggml.merges': g.array(g.ValueType.STRING, []),
        'tokenizer.ggml.bos_token_id': g.uint32(corpus.begin),
        'tokenizer.ggml.eos_token_id': g.uint32(corpus.begin),
        'tokenizer.ggml.add_bos_token': g.boolean(False),
        'tokenizer.ggml.add_eos_token': g.boolean(False),
    }


def gguf_tensors(model: CausalLM) -> dict[str, np.ndarray]:
    """llama.cpp's tensor names, in torch's (out, in) shapes; `output.weight` is left out when tied (llama.cpp then
    uses token_embd)."""
    config = model.config
    state = {name: tensor.detach().cpu().float().numpy() for name, tensor in model.state_dict().items()}
    tensors = {'token_embd.weight': state['embedding.weight']}
    for n in range(config.layers):
        p = f'blocks.{n}.'
        tensors.update({
            f'blk.{n}.attn_norm.weight': state[p + 'attention_norm.weight'],
            f'blk.{n}.attn_q.weight': rotary_permutation(state[p + 'attention.q.weight'], config.heads),
            f'blk.{n}.attn_k.weight': rotary_permutation(state[p + 'attention.k.weight'], config.heads),
            f'blk.{n}.attn_v.weight': state[p + 'attention.v.weight'],
            f'blk.{n}.attn_output.weight': state[p + 'attention.o.weight'],
            f'blk.{n}.ffn_norm.weight': state[p + 'feed_forward_norm.weight'],
            f'blk.{n}.ffn_gate.weight': state[p + 'feed_forward.gate.weight'],
            f'blk.{n}.ffn_up.weight': state[p + 'feed_forward.up.weight'],
            f'blk.{n}.ffn_down.weight': state[p + 'feed_forward.down.weight'],
        })
    tensors['output_norm.weight'] = state['norm.weight']
    if not config.tied_embeddings:
        tensors['output.weight'] = state['output.weight']
    return tensors


def export_gguf(model: CausalLM, corpus: Corpus, name: str, path: str) -> None:
    config = model.config
    metadata = {
        'general.architecture': g.string('llama'),
        'general.name': g.string(name),
        'general.file_type': g.uint32(0),  # all f32
        'llama.vocab_size': g.uint32(config.vocabulary_size),
        'llama.context_length': g.uint32(config.context_length),
        'llama.embedding_length': g.uint32(config.embedding),
        'llama.block_count': g.uint32(config.layers),
        'llama.feed_forward_length': g.uint32(config.feed_forward),
        'llama.attention.head_count': g.uint32(config.heads),
        'llama.attention.head_count_kv': g.uint32(config.heads),
        'llama.attention.layer_norm_rms_epsilon': g.float32(config.rms_epsilon),
        'llama.rope.dimension_count': g.uint32(config.head_dimension),
        'llama.rope.freq_base': g.float32(config.rope_base),
        **gguf_tokenizer(corpus),
    }
    temporary = f'{path}.partial'
    try:
        g.write_gguf(temporary, metadata, gguf_tensors(model))
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
