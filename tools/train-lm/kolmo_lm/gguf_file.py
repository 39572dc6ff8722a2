"""GGUF (version 3) writer and reader: header, key-value metadata, tensor infos, aligned tensor data.

Written here rather than vendoring the `gguf` package because CI may not reach PyPI, and the format is small:
https://github.com/ggml-org/ggml/blob/master/docs/gguf.md. Only what kolmo's exports need: f32 tensors, scalar,
string and array values. Little-endian throughout; tensor dims are stored innermost first (ggml's ne[0] = columns),
so a torch (out, in) weight is written with dims [in, out] and read back as (out, in).
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any, BinaryIO

import numpy as np

MAGIC = b'GGUF'
VERSION = 3
ALIGNMENT = 32
GGML_TYPE_F32 = 0


class ValueType:
    UINT8, INT8, UINT16, INT16, UINT32, INT32, FLOAT32, BOOL, STRING, ARRAY, UINT64, INT64, FLOAT64 = range(13)


_SCALAR_FORMATS = {
    ValueType.UINT8: '<B', ValueType.INT8: '<b', ValueType.UINT16: '<H', ValueType.INT16: '<h',
    ValueType.UINT32: '<I', ValueType.INT32: '<i', ValueType.FLOAT32: '<f', ValueType.BOOL: '<?',
    ValueType.UINT64: '<Q', ValueType.INT64: '<q', ValueType.FLOAT64: '<d',
}


@dataclass(frozen=True)
class Value:
    """A typed metadata value; arrays give their element type."""

    type: int
    value: Any
    element_type: int | None = None


def uint32(x: int) -> Value:
    return Value(ValueType.UINT32, int(x))


def float32(x: float) -> Value:
    return Value(ValueType.FLOAT32, float(x))


def string(x: str) -> Value:
    return Value(ValueType.STRING, x)


def boolean(x: bool) -> Value:
    return Value(ValueType.BOOL, bool(x))


def array(element_type: int, items: list) -> Value:
    return Value(ValueType.ARRAY, list(items), element_type)


def _string_bytes(text: str) -> bytes:
    data = text.encode('utf-8')
    return struct.pack('<Q', len(data)) + data


def _value_bytes(value_type: int, value: Any, element_type: int | None = None) -> bytes:
    if value_type == ValueType.STRING:
        return _string_bytes(value)
    if value_type == ValueType.ARRAY:
        assert element_type is not None and element_type != ValueType.ARRAY
        head = struct.pack('<IQ', element_type, len(value))
        if element_type in _SCALAR_FORMATS:
            return head + np.asarray(value, dtype=np.dtype(_SCALAR_FORMATS[element_type])).tobytes()
        return head + b''.join(_value_bytes(element_type, item) for item in value)
    return struct.pack(_SCALAR_FORMATS[value_type], value)


def _padding(offset: int) -> int:
    return (-offset) % ALIGNMENT


def write_gguf(path: str, metadata: dict[str, Value], tensors: dict[str, np.ndarray]) -> None:
    """Writes metadata (in the given order) and f32 tensors (in the given order) to `path`."""
    header = bytearray(MAGIC + struct.pack('<IQQ', VERSION, len(tensors), len(metadata)))
    for key, value in metadata.items():
        header += _string_bytes(key) + struct.pack('<I', value.type) + _value_bytes(value.type, value.value, value.element_type)
    offset = 0
    blobs = []
    for name, tensor in tensors.items():
        data = np.ascontiguousarray(tensor, dtype='<f4').tobytes()
        dims = tensor.shape[::-1]
        header += _string_bytes(name) + struct.pack('<I', len(dims)) + struct.pack(f'<{len(dims)}Q', *dims)
        header += struct.pack('<IQ', GGML_TYPE_F32, offset)
        blobs.append(data)
        offset += len(data) + _padding(len(data))
    with open(path, 'wb') as out:
        out.write(header)
        out.write(b'\0' * _padding(len(header)))
        for data in blobs:
            out.write(data)
            out.write(b'\0' * _padding(len(data)))


@dataclass(frozen=True)
class GGUFContents:
    version: int
    metadata: dict[str, Any]
    tensors: dict[str, np.ndarray]


class _Reader:
    def __init__(self, stream: BinaryIO, path: str):
        self.stream = stream
        self.path = path

    def take(self, size: int) -> bytes:
        data = self.stream.read(size)
        if len(data) != size:
            raise ValueError(f'{self.path}: truncated GGUF file (wanted {size} bytes at offset {self.stream.tell() - len(data)})')
        return data

    def unpack(self, fmt: str):
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]

    def string(self) -> str:
        return self.take(self.unpack('<Q')).decode('utf-8')

    def value(self, value_type: int) -> Any:
        if value_type == ValueType.STRING:
            return self.string()
        if value_type == ValueType.ARRAY:
            element_type, count = self.unpack('<I'), self.unpack('<Q')
            if element_type in _SCALAR_FORMATS:
                dtype = np.dtype(_SCALAR_FORMATS[element_type])
                return np.frombuffer(self.take(dtype.itemsize * count), dtype=dtype).tolist()
            return [self.value(element_type) for _ in range(count)]
        if value_type not in _SCALAR_FORMATS:
            raise ValueError(f'{self.path}: unknown GGUF value type {value_type}')
        return self.unpack(_SCALAR_FORMATS[value_type])


def read_gguf(path: str) -> GGUFContents:
    """Reads a GGUF file written by `write_gguf` (f32 tensors only), checking magic, version and bounds."""
    with open(path, 'rb') as stream:
        reader = _Reader(stream, path)
        if reader.take(4) != MAGIC:
            raise ValueError(f'{path}: not a GGUF file (bad magic)')
        version = reader.unpack('<I')
        if version != VERSION:
            raise ValueError(f'{path}: GGUF version {version}, expected {VERSION}')
        tensor_count, metadata_count = reader.unpack('<Q'), reader.unpack('<Q')
        metadata = {}
        for _ in range(metadata_count):
            key = reader.string()
            metadata[key] = reader.value(reader.unpack('<I'))
        infos = []
        for _ in range(tensor_count):
            name = reader.string()
            dims = [reader.unpack('<Q') for _ in range(reader.unpack('<I'))]
            ggml_type, offset = reader.unpack('<I'), reader.unpack('<Q')
            if ggml_type != GGML_TYPE_F32:
                raise ValueError(f'{path}: tensor {name} has ggml type {ggml_type}; this reader handles f32 (0) only')
            infos.append((name, dims, offset))
        alignment = metadata.get('general.alignment', ALIGNMENT)
        start = stream.tell() + (-stream.tell()) % alignment
        tensors = {}
        for name, dims, offset in infos:
            count = int(np.prod(dims)) if dims else 1
            stream.seek(start + offset)
            data = np.frombuffer(reader.take(4 * count), dtype='<f4')
            tensors[name] = data.reshape(dims[::-1]).copy()
        return GGUFContents(version, metadata, tensors)
