"""PyTorch (CPU) anchor for wasmnn's benchmarks: the same architectures, optimizer, batch sizes
and MNIST images, driven step by step from Node (bench/torch-anchor.ts) so that PyTorch and
wasmnn alternate round by round in one run.

Protocol: one JSON object per line on stdin, one JSON reply per line on stdout.
  {"cmd": "init", "arch": "compact", "threads": 2, "batchSize": 64, "lr": 0.001,
   "images": PATH, "labels": PATH, "testImages": PATH}       -> {"ok": true, "torch": version, ...}
  {"cmd": "train", "steps": N}                               -> {"ok": true, "loss": x}
  {"cmd": "latency", "calls": N, "seconds": S}               -> {"ok": true, "times": [ms, ...]}
  {"cmd": "throughput", "images": N, "batch": B, "seconds": S} -> {"ok": true, "images": n, "seconds": s}
  {"cmd": "quit"}
Inputs are NHWC float32 in [0, 1] converted once to NCHW channels_last (oneDNN's fast layout).
"""
import gzip
import json
import sys
import time

import numpy as np
import torch
from torch import nn


def read_idx(path):
    with open(path, 'rb') as f:
        data = f.read()
    if data[:2] == b'\x1f\x8b':
        data = gzip.decompress(data)
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def build(arch):
    # Same layers as src/architectures.ts; 'valid' convolutions as Keras' default.
    if arch == 'compact':
        return nn.Sequential(
            nn.Conv2d(1, 8, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(16 * 4 * 4, 256), nn.ReLU(), nn.Linear(256, 10))
    if arch == 'lenet':
        return nn.Sequential(
            nn.Conv2d(1, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(32 * 4 * 4, 128), nn.ReLU(), nn.Dropout(0.25), nn.Linear(128, 10))
    if arch == 'seed':
        return nn.Sequential(
            nn.Conv2d(1, 64, 3), nn.ReLU(),
            nn.Conv2d(64, 32, 3), nn.ReLU(),
            nn.Flatten(), nn.Linear(32 * 24 * 24, 10))
    if arch == 'bn-cnn':
        # bench/batchnorm.ts's 'bn' model; Keras' BatchNormalization defaults (momentum 0.99 is
        # PyTorch's 0.01, epsilon 1e-3).
        bn = lambda c: nn.BatchNorm2d(c, eps=1e-3, momentum=0.01)
        return nn.Sequential(
            nn.Conv2d(1, 32, 3, bias=False), bn(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, bias=False), bn(64), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(64 * 5 * 5, 10))
    raise ValueError(f'unknown architecture {arch}')


def main():
    state = {}
    for line in sys.stdin:
        msg = json.loads(line)
        cmd = msg['cmd']
        if cmd == 'quit':
            break
        if cmd == 'init':
            torch.manual_seed(1)
            torch.set_num_threads(msg['threads'])
            to_input = lambda path: torch.from_numpy(read_idx(path).astype(np.float32) / 255.0).unsqueeze(1).contiguous(memory_format=torch.channels_last)
            x = to_input(msg['images'])
            labels = read_idx(msg['labels']).astype(np.int64)
            model = build(msg['arch']).to(memory_format=torch.channels_last)
            state = {
                'x': x, 'y': torch.from_numpy(labels), 'test': to_input(msg['testImages']), 'testOffset': 0,
                'model': model, 'batch': msg['batchSize'], 'offset': 0,
                # Softmax + cross-entropy fused, as wasmnn fuses them.
                'loss': nn.CrossEntropyLoss(),
                'opt': torch.optim.Adam(model.parameters(), lr=msg['lr']),
            }
            reply = {'ok': True, 'torch': torch.__version__, 'threads': torch.get_num_threads(),
                     'params': sum(p.numel() for p in model.parameters())}
        elif cmd == 'train':
            s = state
            s['model'].train()
            n = s['x'].shape[0]
            for _ in range(msg['steps']):
                i = s['offset'] % (n - s['batch'])
                s['offset'] += s['batch']
                xb, yb = s['x'][i:i + s['batch']], s['y'][i:i + s['batch']]
                s['opt'].zero_grad(set_to_none=True)
                loss = s['loss'](s['model'](xb), yb)
                loss.backward()
                s['opt'].step()
            reply = {'ok': True, 'loss': float(loss)}
        elif cmd == 'latency':
            # Single-image predict calls, timed here so the pipe to Node is not in the figure.
            s = state
            s['model'].eval()
            one = s['test'][0:1]
            times = []
            t0 = time.perf_counter()
            with torch.inference_mode():
                while len(times) < msg['calls'] and (len(times) < 5 or time.perf_counter() - t0 < msg['seconds']):
                    t = time.perf_counter()
                    torch.softmax(s['model'](one), dim=1)
                    times.append((time.perf_counter() - t) * 1000)
            reply = {'ok': True, 'times': times}
        elif cmd == 'throughput':
            # Test images batch by batch, continuing through the test set.
            s = state
            s['model'].eval()
            n, b = s['test'].shape[0], msg['batch']
            done = 0
            t0 = time.perf_counter()
            with torch.inference_mode():
                while done < msg['images'] and (done == 0 or time.perf_counter() - t0 < msg['seconds']):
                    start = s['testOffset'] % n
                    k = min(b, msg['images'] - done, n - start)
                    torch.softmax(s['model'](s['test'][start:start + k]), dim=1)
                    done += k
                    s['testOffset'] += k
            reply = {'ok': True, 'images': done, 'seconds': time.perf_counter() - t0}
        else:
            reply = {'ok': False, 'error': f'unknown command {cmd}'}
        sys.stdout.write(json.dumps(reply) + '\n')
        sys.stdout.flush()


if __name__ == '__main__':
    main()
