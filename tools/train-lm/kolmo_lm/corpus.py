"""The training data: a kolmo `token-binary` corpus (train.bin / val.bin + meta.json), or plain text files as bytes."""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass

import numpy as np

BYTE_VOCABULARY = 257
"""Byte-level models: ids 0–255 are the bytes, 256 is the beginning-of-text id put before every file."""
BYTE_BEGIN = 256


@dataclass(frozen=True)
class Corpus:
    """Token ids for training and held-out scoring, with the vocabulary's texts (one per id)."""

    kind: str  # 'token-binary' or 'bytes'
    train: np.ndarray
    validation: np.ndarray
    vocabulary: list[str]
    begin: int  # the id that starts every document (the corpus' end-of-document id, or BYTE_BEGIN)
    sha256: str  # over the files the corpus was read from, in a fixed order
    sources: list[str]

    @property
    def vocabulary_size(self) -> int:
        return len(self.vocabulary)


class CorpusError(ValueError):
    pass


def _hash_files(paths: list[str]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        with open(path, 'rb') as stream:
            digest.update(hashlib.sha256(stream.read()).digest())
    return digest.hexdigest()


def read_token_binary(directory: str) -> Corpus:
    """Reads a corpus written by kolmo's token-binary sink (plugins/sink-corpus), checking its header against the files."""
    header_path = os.path.join(directory, 'meta.json')
    if not os.path.isfile(header_path):
        raise CorpusError(f'{directory}: no meta.json (not a token-binary corpus, or an unfinished one)')
    with open(header_path, encoding='utf-8') as stream:
        header = json.load(stream)
    if header.get('format') != 'kolmo-token-binary' or header.get('version') != 1:
        raise CorpusError(f'{header_path}: format {header.get("format")!r} version {header.get("version")!r}, expected kolmo-token-binary 1')
    vocabulary = header.get('vocabulary')
    if not vocabulary or len(vocabulary) != header['vocabularySize']:
        raise CorpusError(f'{header_path}: the header has no vocabulary of {header.get("vocabularySize")} texts (the tokenizer must offer tokenText)')
    dtype = np.dtype('<u2' if header['dtype'] == 'uint16' else '<u4')
    parts = {}
    for part, key in (('train', 'train'), ('validation', 'validation')):
        path = os.path.join(directory, header['files'][key])
        ids = np.fromfile(path, dtype=dtype).astype(np.int64)
        if len(ids) != header['tokens'][key]:
            raise CorpusError(f'{path}: {len(ids)} ids, the header says {header["tokens"][key]}')
        if len(ids) and ids.max() >= len(vocabulary):
            raise CorpusError(f'{path}: id {ids.max()} outside the vocabulary of {len(vocabulary)}')
        parts[part] = (ids, path)
    files = [parts['train'][1], parts['validation'][1], header_path]
    return Corpus('token-binary', parts['train'][0], parts['validation'][0], list(vocabulary), header['endOfDocument'],
                  _hash_files(files), files)


def read_text_bytes(paths: list[str], held_out: float) -> Corpus:
    """Plain files as bytes, each started by BYTE_BEGIN; the last `held_out` fraction of every file is held out."""
    train, validation = [], []
    for path in paths:
        with open(path, 'rb') as stream:
            data = np.frombuffer(stream.read(), dtype=np.uint8).astype(np.int64)
        cut = len(data) - int(round(len(data) * held_out))
        train.append(np.concatenate([[BYTE_BEGIN], data[:cut]]))
        validation.append(np.concatenate([[BYTE_BEGIN], data[cut:]]))
    vocabulary = [f'<0x{b:02X}>' for b in range(256)] + ['<s>']
    return Corpus('bytes', np.concatenate(train), np.concatenate(validation), vocabulary, BYTE_BEGIN, _hash_files(paths), list(paths))
