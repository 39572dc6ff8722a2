"""The committed fixtures (fixtures/lm/) are what their cards say: same files (sizes, SHA-256), the same model in both
formats, the card's shapes and parameter count, and the card's held-out figure when scored again here."""
import glob
import json
import os
import unittest

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from kolmo_lm.corpus import Corpus, read_text_bytes
from kolmo_lm.export import sha256_file
from kolmo_lm.gguf_file import read_gguf
from kolmo_lm.load import model_from_gguf
from kolmo_lm.training import held_out_bits

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
FIXTURES = os.path.join(ROOT, 'fixtures', 'lm')


def cards() -> list[tuple[str, dict]]:
    found = []
    for path in sorted(glob.glob(os.path.join(FIXTURES, '*', 'step-*', 'card.json'))):
        with open(path, encoding='utf-8') as stream:
            found.append((os.path.dirname(path), json.load(stream)))
    return found


def held_out_corpus(card: dict) -> Corpus:
    """The held-out part the card's figure was measured on: alice29.txt's last tenth, or the committed val.bin of the
    SK corpus (fixtures/lm/sk-corpus, a copy of the corpus' held-out file and header)."""
    if card['corpus']['kind'] == 'bytes':
        corpus = read_text_bytes([os.path.join(ROOT, p) for p in card['corpus']['sources']], 0.1)
        assert corpus.sha256 == card['corpus']['sha256'], 'the text the byte model was trained on has changed'
        return corpus
    folder = os.path.join(FIXTURES, 'sk-corpus')
    with open(os.path.join(folder, 'meta.json'), encoding='utf-8') as stream:
        header = json.load(stream)
    validation = np.fromfile(os.path.join(folder, 'val.bin'), dtype='<u2').astype(np.int64)
    return Corpus('token-binary', np.zeros(0, dtype=np.int64), validation, header['vocabulary'], header['endOfDocument'], '', [])


class FixturesTest(unittest.TestCase):
    def test_there_is_a_family_of_fixtures(self):
        names = {card['name'] for _, card in cards()}
        self.assertEqual(names, {'sk-50k', 'sk-200k', 'sk-800k', 'alice-bytes'})
        self.assertGreaterEqual(sum(card['name'] == 'sk-200k' for _, card in cards()), 6)

    def test_files_match_their_cards(self):
        for folder, card in cards():
            for kind, file in card['files'].items():
                path = os.path.join(folder, file['path'])
                with self.subTest(path=path):
                    self.assertEqual(os.path.getsize(path), file['bytes'])
                    self.assertEqual(sha256_file(path), file['sha256'])

    def test_both_formats_hold_the_card_model(self):
        for folder, card in cards():
            with self.subTest(folder=folder):
                contents = read_gguf(os.path.join(folder, 'model.gguf'))
                m, model = contents.metadata, card['model']
                self.assertEqual(
                    (m['llama.embedding_length'], m['llama.block_count'], m['llama.attention.head_count'],
                     m['llama.feed_forward_length'], m['llama.context_length'], len(m['tokenizer.ggml.tokens'])),
                    (model['embedding'], model['layers'], model['heads'], model['feed_forward'], model['context_length'],
                     model['vocabulary_size']))
                self.assertEqual(sum(t.size for t in contents.tensors.values()), card['parameters'])
                graph = onnx.load(os.path.join(folder, 'model.onnx'))
                onnx.checker.check_model(graph)
                state = model_from_gguf(os.path.join(folder, 'model.gguf')).state_dict()
                for initializer in graph.graph.initializer:
                    np.testing.assert_array_equal(numpy_helper.to_array(initializer), state[initializer.name].numpy(), initializer.name)

    def test_final_checkpoints_score_the_held_out_part_as_their_cards_say(self):
        torch.set_num_threads(1)
        finals = {}
        for folder, card in cards():
            if card['step'] == card['steps']:
                finals[card['name']] = (folder, card)
        for name, (folder, card) in sorted(finals.items()):
            with self.subTest(name=name):
                measured = held_out_bits(model_from_gguf(os.path.join(folder, 'model.gguf')), held_out_corpus(card), torch.device('cpu'))
                expected = card['metrics']['heldOut']
                self.assertEqual(measured['tokens'], expected['tokens'])
                self.assertAlmostEqual(measured['bitsPerToken'], expected['bitsPerToken'], delta=1e-6)

    def test_checkpoint_lists_agree_with_the_cards(self):
        for listing in glob.glob(os.path.join(FIXTURES, '*', 'checkpoints.json')):
            with open(listing, encoding='utf-8') as stream:
                checkpoints = json.load(stream)['checkpoints']
            family = os.path.dirname(listing)
            self.assertEqual(sorted(os.path.basename(f) for f in glob.glob(os.path.join(family, 'step-*'))),
                             [c['directory'] for c in checkpoints])
            for checkpoint in checkpoints:
                with open(os.path.join(family, checkpoint['directory'], 'card.json'), encoding='utf-8') as stream:
                    card = json.load(stream)
                self.assertEqual((checkpoint['step'], checkpoint['tokensSeen'], checkpoint['heldOut']),
                                 (card['step'], card['tokensSeen'], card['metrics']['heldOut']))


if __name__ == '__main__':
    unittest.main()
