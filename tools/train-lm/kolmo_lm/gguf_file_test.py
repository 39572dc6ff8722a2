import os
import shutil
import struct
import tempfile
import unittest

import numpy as np

from kolmo_lm import gguf_file as g


class GGUFFileTest(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.mkdtemp(prefix='kolmo-gguf-')
        self.path = os.path.join(self.folder, 'model.gguf')

    def tearDown(self):
        shutil.rmtree(self.folder)

    def write_sample(self):
        rng = np.random.default_rng(7)
        tensors = {'a.weight': rng.standard_normal((5, 3)).astype(np.float32), 'b': rng.standard_normal(7).astype(np.float32),
                   'c.weight': rng.standard_normal((2, 3, 4)).astype(np.float32)}
        metadata = {
            'general.architecture': g.string('llama'),
            'count': g.uint32(4_000_000_000),
            'epsilon': g.float32(1e-5),
            'flag': g.boolean(True),
            'names': g.array(g.ValueType.STRING, ['ĠOn', '<|endoftext|>', 'Müller']),
            'types': g.array(g.ValueType.INT32, [1, -3, 6]),
            'empty': g.array(g.ValueType.STRING, []),
        }
        g.write_gguf(self.path, metadata, tensors)
        return metadata, tensors

    def test_round_trip_of_metadata_and_tensors(self):
        metadata, tensors = self.write_sample()
        contents = g.read_gguf(self.path)
        self.assertEqual(contents.version, 3)
        self.assertEqual(list(contents.metadata), list(metadata))
        self.assertEqual(contents.metadata['count'], 4_000_000_000)
        self.assertAlmostEqual(contents.metadata['epsilon'], 1e-5, delta=1e-12)
        self.assertIs(contents.metadata['flag'], True)
        self.assertEqual(contents.metadata['names'], ['ĠOn', '<|endoftext|>', 'Müller'])
        self.assertEqual(contents.metadata['types'], [1, -3, 6])
        self.assertEqual(contents.metadata['empty'], [])
        self.assertEqual(list(contents.tensors), list(tensors))
        for name, tensor in tensors.items():
            self.assertEqual(contents.tensors[name].shape, tensor.shape)
            np.testing.assert_array_equal(contents.tensors[name], tensor)

    def test_layout_follows_the_spec(self):
        """Dims innermost first, f32 type 0, data aligned to 32 bytes from an aligned start (what llama.cpp reads)."""
        _, tensors = self.write_sample()
        with open(self.path, 'rb') as stream:
            data = stream.read()
        self.assertEqual(data[:4], b'GGUF')
        self.assertEqual(struct.unpack_from('<IQQ', data, 4), (3, 3, 7))
        name = b'a.weight'
        at = data.index(struct.pack('<Q', len(name)) + name) + 8 + len(name)
        dimensions, = struct.unpack_from('<I', data, at)
        self.assertEqual(dimensions, 2)
        self.assertEqual(struct.unpack_from('<QQIQ', data, at + 4), (3, 5, 0, 0))
        # The file ends with the last tensor's bytes padded to 32; the data section starts on a multiple of 32.
        sizes = [t.size * 4 + (-t.size * 4) % 32 for t in tensors.values()]
        start = len(data) - sum(sizes)
        self.assertEqual(start % 32, 0)
        np.testing.assert_array_equal(np.frombuffer(data[start:start + 60], dtype='<f4').reshape(5, 3), tensors['a.weight'])

    def test_refuses_bad_magic_and_truncation(self):
        self.write_sample()
        with open(self.path, 'rb') as stream:
            data = stream.read()
        with open(self.path, 'wb') as out:
            out.write(b'GGUX' + data[4:])
        with self.assertRaisesRegex(ValueError, 'bad magic'):
            g.read_gguf(self.path)
        with open(self.path, 'wb') as out:
            out.write(data[:-40])
        with self.assertRaisesRegex(ValueError, 'truncated'):
            g.read_gguf(self.path)


if __name__ == '__main__':
    unittest.main()
