"""A small decoder-only transformer in the Llama layout (pre-norm RMSNorm, rotary positions, SwiGLU, no biases).

The layout is llama.cpp's `llama` architecture exactly, so the GGUF export needs no approximation: the same weights
give the same log-probabilities in torch, ONNX Runtime and llama.cpp (up to float rounding).
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import torch
from torch import nn
from torch.nn import functional as F


@dataclass(frozen=True)
class ModelConfig:
    vocabulary_size: int
    context_length: int
    embedding: int
    layers: int
    heads: int
    feed_forward: int
    rms_epsilon: float = 1e-5
    rope_base: float = 10000.0
    tied_embeddings: bool = True

    @property
    def head_dimension(self) -> int:
        return self.embedding // self.heads

    def as_dict(self) -> dict:
        return asdict(self)


class RMSNorm(nn.Module):
    """x / sqrt(mean(x²) + ε) · w (llama.cpp's `rms_norm` followed by a multiply)."""

    def __init__(self, size: int, epsilon: float):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(size))
        self.epsilon = epsilon

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.epsilon) * self.weight


def rotary_tables(config: ModelConfig) -> tuple[torch.Tensor, torch.Tensor]:
    """cos and sin of position · base^(−2i/d) for i < d/2, repeated for both halves (Hugging Face's layout)."""
    half = config.head_dimension // 2
    inverse_frequency = 1.0 / (config.rope_base ** (torch.arange(0, half, dtype=torch.float64) * 2 / config.head_dimension))
    angles = torch.outer(torch.arange(config.context_length, dtype=torch.float64), inverse_frequency)
    angles = torch.cat([angles, angles], dim=-1)
    return angles.cos().float(), angles.sin().float()


def rotate_half(x: torch.Tensor) -> torch.Tensor:
    first, second = x.chunk(2, dim=-1)
    return torch.cat([-second, first], dim=-1)


class Attention(nn.Module):
    def __init__(self, config: ModelConfig):
        super().__init__()
        d = config.embedding
        self.heads = config.heads
        self.head_dimension = config.head_dimension
        self.q = nn.Linear(d, d, bias=False)
        self.k = nn.Linear(d, d, bias=False)
        self.v = nn.Linear(d, d, bias=False)
        self.o = nn.Linear(d, d, bias=False)

    def forward(self, x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        batch, length, d = x.shape
        shape = (batch, length, self.heads, self.head_dimension)
        q = self.q(x).view(shape).transpose(1, 2)
        k = self.k(x).view(shape).transpose(1, 2)
        v = self.v(x).view(shape).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.head_dimension) + mask
        y = F.softmax(scores, dim=-1) @ v
        return self.o(y.transpose(1, 2).reshape(batch, length, d))


class FeedForward(nn.Module):
    """SwiGLU: down(silu(gate(x)) · up(x))."""

    def __init__(self, config: ModelConfig):
        super().__init__()
        self.gate = nn.Linear(config.embedding, config.feed_forward, bias=False)
        self.up = nn.Linear(config.embedding, config.feed_forward, bias=False)
        self.down = nn.Linear(config.feed_forward, config.embedding, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.down(F.silu(self.gate(x)) * self.up(x))


class Block(nn.Module):
    def __init__(self, config: ModelConfig):
        super().__init__()
        self.attention_norm = RMSNorm(config.embedding, config.rms_epsilon)
        self.attention = Attention(config)
        self.feed_forward_norm = RMSNorm(config.embedding, config.rms_epsilon)
        self.feed_forward = FeedForward(config)

    def forward(self, x, cos, sin, mask):
        x = x + self.attention(self.attention_norm(x), cos, sin, mask)
        return x + self.feed_forward(self.feed_forward_norm(x))


class CausalLM(nn.Module):
    """ids (batch, length) int64 → logits (batch, length, vocabulary) float32; length ≤ context_length."""

    def __init__(self, config: ModelConfig):
        super().__init__()
        self.config = config
        self.embedding = nn.Embedding(config.vocabulary_size, config.embedding)
        self.blocks = nn.ModuleList(Block(config) for _ in range(config.layers))
        self.norm = RMSNorm(config.embedding, config.rms_epsilon)
        self.output = None if config.tied_embeddings else nn.Linear(config.embedding, config.vocabulary_size, bias=False)
        cos, sin = rotary_tables(config)
        self.register_buffer('cos', cos, persistent=False)
        self.register_buffer('sin', sin, persistent=False)
        # Additive causal mask, sliced to the input's length (a slice of a constant exports to ONNX with dynamic axes).
        mask = torch.full((config.context_length, config.context_length), float('-inf')).triu(1)
        self.register_buffer('mask', mask, persistent=False)
        self.apply(self._initialise)
        for block in self.blocks:  # GPT-2's scaled init of the projections that write into the residual stream
            for projection in (block.attention.o, block.feed_forward.down):
                nn.init.normal_(projection.weight, std=0.02 / math.sqrt(2 * config.layers))

    @staticmethod
    def _initialise(module: nn.Module) -> None:
        if isinstance(module, (nn.Linear, nn.Embedding)):
            nn.init.normal_(module.weight, std=0.02)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        length = ids.shape[1]
        cos, sin, mask = self.cos[:length], self.sin[:length], self.mask[:length, :length]
        x = self.embedding(ids)
        for block in self.blocks:
            x = block(x, cos, sin, mask)
        x = self.norm(x)
        return x @ self.embedding.weight.t() if self.output is None else self.output(x)

    def parameter_count(self) -> int:
        return sum(p.numel() for p in self.parameters())
