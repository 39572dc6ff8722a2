import contextlib
import io
import json
import os
import shutil
import tempfile
import unittest

import numpy as np
import onnx
import torch
from onnx import numpy_helper

import train as cli
from kolmo_lm import export
from kolmo_lm.corpus import read_text_bytes, read_token_binary
from kolmo_lm.gguf_file import read_gguf
from kolmo_lm.load import inverse_rotary_permutation, model_from_gguf
from kolmo_lm.training import checkpoint_steps, held_out_bits

WORDS = [' A', ' B', ' x0', ' x1', ' x2', ' x3', ' y0', ' y1', ' y2', ' y3', '.', 'The']
END = len(WORDS)


def write_token_binary(folder: str, documents: int, seed: int) -> None:
    """A corpus in the token-binary sink's format: 'The A xK B yK .' with K uniform, so a model that learns the rule
    pays 2 bits per document (K) and nothing else."""
    rng = np.random.default_rng(seed)
    parts = {'train': [], 'validation': []}
    for d in range(documents):
        k = int(rng.integers(4))
        parts['validation' if d % 10 == 9 else 'train'] += [11, 0, 2 + k, 1, 6 + k, 10, END]
    for part, name in (('train', 'train.bin'), ('validation', 'val.bin')):
        np.asarray(parts[part], dtype='<u2').tofile(os.path.join(folder, name))
    header = {
        'format': 'kolmo-token-binary', 'version': 1, 'dtype': 'uint16', 'byteOrder': 'little', 'vocabularySize': END + 1,
        'tokenizerVocabularySize': END, 'endOfDocument': END,
        'tokens': {k: len(v) for k, v in parts.items()}, 'documents': {'train': documents - documents // 10, 'validation': documents // 10},
        'heldOut': {'heldOut': 0.1, 'split': 'index'}, 'files': {'train': 'train.bin', 'validation': 'val.bin'},
        'vocabulary': WORDS + ['<|endoftext|>'],
    }
    with open(os.path.join(folder, 'meta.json'), 'w', encoding='utf-8') as out:
        json.dump(header, out)


TINY = ['--embedding', '16', '--layers', '1', '--heads', '2', '--feed-forward', '32', '--context', '16', '--batch', '16',
        '--learning-rate', '1e-2', '--warmup', '5']


def run_cli(argv):
    output = io.StringIO()
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
        code = cli.main(argv)
    return code, output.getvalue()


class TrainingTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.mkdtemp(prefix='kolmo-train-lm-')
        cls.corpus = os.path.join(cls.folder, 'corpus')
        os.makedirs(cls.corpus)
        write_token_binary(cls.corpus, 400, seed=3)
        cls.out = os.path.join(cls.folder, 'tiny')
        cls.argv = ['--corpus', cls.corpus, '--out', cls.out, *TINY, '--steps', '60', '--checkpoints', '3', '--first-checkpoint', '2']
        cls.code, cls.log = run_cli(cls.argv)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.folder)

    def card(self, step):
        with open(os.path.join(self.out, f'step-{step:06d}', 'card.json'), encoding='utf-8') as stream:
            return json.load(stream)

    def test_trains_and_writes_log_spaced_checkpoints_with_cards(self):
        self.assertEqual(self.code, 0, self.log)
        steps = checkpoint_steps(2, 60, 3)
        self.assertEqual(steps, [2, 11, 60])
        with open(os.path.join(self.out, 'checkpoints.json'), encoding='utf-8') as stream:
            self.assertEqual([c['step'] for c in json.load(stream)['checkpoints']], steps)
        first, last = self.card(2), self.card(60)
        self.assertEqual(last['tokensSeen'], 60 * 16 * 16)
        self.assertEqual(last['parameters'], 13 * 16 + (4 * 16 * 16 + 3 * 16 * 32 + 2 * 16) + 16)
        self.assertEqual(last['model']['vocabulary_size'], 13)
        self.assertIn('tools/train-lm/train.py --corpus', last['command'])
        for card in (first, last):
            for file in card['files'].values():
                path = os.path.join(self.out, f'step-{card["step"]:06d}', file['path'])
                self.assertEqual(file['sha256'], export.sha256_file(path))
                self.assertEqual(file['bytes'], os.path.getsize(path))
        # Learning happened: from ~log2(13) = 3.7 bits/token towards the 2/7 bits/token of the rule (2 bits per 7 tokens).
        self.assertGreater(first['metrics']['heldOut']['bitsPerToken'], 3.0)
        self.assertLess(last['metrics']['heldOut']['bitsPerToken'], 1.5)
        self.assertEqual(last['metrics']['heldOut']['documents'], 40)

    def test_gguf_holds_the_same_model(self):
        """The GGUF file parses back with llama.cpp's names and shapes, and the model read from it scores the held-out
        part exactly as the trained model did (the card's figure)."""
        path = os.path.join(self.out, 'step-000060', 'model.gguf')
        contents = read_gguf(path)
        m, t = contents.metadata, contents.tensors
        self.assertEqual(m['general.architecture'], 'llama')
        self.assertEqual((m['llama.embedding_length'], m['llama.block_count'], m['llama.attention.head_count']), (16, 1, 2))
        self.assertEqual(m['llama.rope.dimension_count'], 8)
        self.assertEqual(m['tokenizer.ggml.model'], 'gpt2')
        self.assertEqual(m['tokenizer.ggml.tokens'][:3], ['ĠA', 'ĠB', 'Ġx0'])
        self.assertEqual(m['tokenizer.ggml.tokens'][END], '<|endoftext|>')
        self.assertEqual(m['tokenizer.ggml.token_type'][END], export.TOKEN_CONTROL)
        self.assertEqual(m['tokenizer.ggml.bos_token_id'], END)
        self.assertEqual({k: v.shape for k, v in t.items()}, {
            'token_embd.weight': (13, 16), 'output_norm.weight': (16,),
            'blk.0.attn_norm.weight': (16,), 'blk.0.ffn_norm.weight': (16,),
            'blk.0.attn_q.weight': (16, 16), 'blk.0.attn_k.weight': (16, 16), 'blk.0.attn_v.weight': (16, 16),
            'blk.0.attn_output.weight': (16, 16),
            'blk.0.ffn_gate.weight': (32, 16), 'blk.0.ffn_up.weight': (32, 16), 'blk.0.ffn_down.weight': (16, 32),
        })
        model = model_from_gguf(path)
        corpus = read_token_binary(self.corpus)
        self.assertEqual(held_out_bits(model, corpus, torch.device('cpu')), self.card(60)['metrics']['heldOut'])

    def test_onnx_graph_has_dynamic_axes_and_the_same_weights(self):
        model = onnx.load(os.path.join(self.out, 'step-000060', 'model.onnx'))
        onnx.checker.check_model(model)
        self.assertEqual([o.version for o in model.opset_import if o.domain in ('', 'ai.onnx')], [14])
        (ids,), (logits,) = model.graph.input, model.graph.output
        self.assertEqual((ids.name, ids.type.tensor_type.elem_type), ('ids', onnx.TensorProto.INT64))
        self.assertEqual([d.dim_param for d in ids.type.tensor_type.shape.dim], ['batch', 'length'])
        self.assertEqual((logits.name, logits.type.tensor_type.elem_type), ('logits', onnx.TensorProto.FLOAT))
        self.assertEqual([d.dim_param or d.dim_value for d in logits.type.tensor_type.shape.dim], ['batch', 'length', 13])
        # Every weight in the graph is the torch parameter of the same name, as read back from the GGUF file.
        state = model_from_gguf(os.path.join(self.out, 'step-000060', 'model.gguf')).state_dict()
        weights = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
        self.assertEqual(sorted(weights), sorted(k for k in state if k not in ('cos', 'sin', 'mask')))
        for name, weight in weights.items():
            np.testing.assert_array_equal(weight, state[name].numpy(), name)

    def test_same_seed_same_bytes(self):
        again = os.path.join(self.folder, 'again')
        code, log = run_cli(['--corpus', self.corpus, '--out', again, '--name', 'tiny', *TINY, '--steps', '60', '--checkpoints', '3', '--first-checkpoint', '2'])
        self.assertEqual(code, 0, log)
        for name in ('model.gguf', 'model.onnx'):
            with open(os.path.join(self.out, 'step-000060', name), 'rb') as a, open(os.path.join(again, 'step-000060', name), 'rb') as b:
                self.assertEqual(a.read(), b.read(), name)
        with open(os.path.join(again, 'step-000060', 'card.json'), encoding='utf-8') as stream:
            card = json.load(stream)
        self.assertEqual({**card, 'command': None}, {**self.card(60), 'command': None})  # only the output folder differs

    def test_rotary_permutation_turns_rotate_half_into_interleaved_pairs(self):
        """llama.cpp rotates pairs (2i, 2i+1), Hugging Face-style code pairs (i, i + d/2): after the row permutation,
        interleaved rotation of the permuted projection equals the permuted rotate-half rotation."""
        heads, head_dimension, position, base = 2, 8, 5, 10000.0
        rng = np.random.default_rng(1)
        weight, x = rng.standard_normal((heads * head_dimension, 6)), rng.standard_normal(6)
        theta = position * base ** (-np.arange(head_dimension // 2) * 2 / head_dimension)
        cos, sin = np.cos(theta), np.sin(theta)

        def rotate_half(v):
            a, b = v[:head_dimension // 2], v[head_dimension // 2:]
            return np.concatenate([a * cos - b * sin, b * cos + a * sin])

        def rotate_interleaved(v):
            out = v.copy()
            out[0::2], out[1::2] = v[0::2] * cos - v[1::2] * sin, v[1::2] * cos + v[0::2] * sin
            return out

        hf = np.concatenate([rotate_half(h) for h in (weight @ x).reshape(heads, head_dimension)])
        permuted = export.rotary_permutation(weight, heads)
        llama = np.concatenate([rotate_interleaved(h) for h in (permuted @ x).reshape(heads, head_dimension)])
        np.testing.assert_allclose(llama, export.rotary_permutation(hf[:, None], heads)[:, 0], atol=1e-12)
        np.testing.assert_array_equal(inverse_rotary_permutation(permuted, heads), weight)

    def test_refuses_bad_input_clearly(self):
        code, log = run_cli(['--corpus', self.folder, '--out', os.path.join(self.folder, 'x')])
        self.assertEqual(code, 5)
        self.assertIn('no meta.json', log)
        with self.assertRaises(SystemExit), contextlib.redirect_stderr(io.StringIO()) as error:
            cli.parse(['--corpus', self.corpus, '--out', 'x', '--embedding', '12', '--heads', '4'])
        self.assertIn('even head size', error.getvalue())
        self.assertFalse(os.path.exists(os.path.join(self.folder, 'x')))


class ByteModelTest(unittest.TestCase):
    def test_trains_on_text_as_bytes(self):
        folder = tempfile.mkdtemp(prefix='kolmo-train-lm-bytes-')
        try:
            text = os.path.join(folder, 'text.txt')
            with open(text, 'w', encoding='utf-8') as out:
                out.write('the cat sat on the mat. ' * 40 + 'Ünïcödé.\n')
            corpus = read_text_bytes([text], 0.1)
            self.assertEqual(corpus.vocabulary_size, 257)
            self.assertEqual(len(corpus.train) + len(corpus.validation), os.path.getsize(text) + 2)
            out = os.path.join(folder, 'bytes')
            code, log = run_cli(['--text', text, '--out', out, *TINY, '--steps', '8'])
            self.assertEqual(code, 0, log)
            metadata = read_gguf(os.path.join(out, 'step-000008', 'model.gguf')).metadata
            tokens = metadata['tokenizer.ggml.tokens']
            self.assertEqual((len(tokens), tokens[ord('a')], tokens[ord(' ')], tokens[256]), (257, 'a', 'Ġ', '<s>'))
            self.assertEqual(len(set(tokens)), 257)
        finally:
            shutil.rmtree(folder)


if __name__ == '__main__':
    unittest.main()
