#!/usr/bin/python3
"""PyTorch (CPU) peer of digitpad's network for side-by-side timing: the same
784-800-10 ReLU/softmax MLP, the same data, plain mini-batch SGD, following
the method of the project's shared reference peer (../shared/bench/torch_mlp.py,
the PyTorch CPU peer for the 784-800-10 ReLU/softmax MLP). Prints one line per
epoch:
  epoch N train_s S samples_per_s R test_acc A
With --save-npz FILE it then saves the trained weights as a NumPy .npz that
`digitpad-cli import FILE OUT.dpm` reads, in digitpad's row-vector convention
(torch's Linear keeps out x in, so W1 = fc1.weight.T, 784x800, and
W2 = fc2.weight.T, 800x10; b1, b2; float32), and prints
  saved FILE test_correct C of 10000
usage: torch_peer.py MNIST_DIR [--epochs N] [--batch B] [--lr LR] [--threads T]
                     [--seed S] [--save-npz FILE]"""
import argparse
import gzip
import os
import struct
import time

import numpy as np
import torch


def read_idx(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        data = f.read()
    magic, n = struct.unpack('>II', data[:8])
    if magic == 0x803:
        return np.frombuffer(data[16:], np.uint8).reshape(n, 784)
    return np.frombuffer(data[8:], np.uint8)


def find(d, name):
    for p in (os.path.join(d, name), os.path.join(d, name + '.gz')):
        if os.path.exists(p):
            return p
    raise SystemExit(f'torch_peer: {name} not found in {d}')


ap = argparse.ArgumentParser()
ap.add_argument('mnist')
ap.add_argument('--epochs', type=int, default=1)
ap.add_argument('--batch', type=int, default=64)
ap.add_argument('--lr', type=float, default=0.1)
ap.add_argument('--threads', type=int, default=1)
ap.add_argument('--seed', type=int, default=1)
ap.add_argument('--save-npz', metavar='FILE', help='save the trained weights for digitpad-cli import')
a = ap.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)
Xtr = torch.from_numpy(read_idx(find(a.mnist, 'train-images-idx3-ubyte')).copy())
ytr = torch.from_numpy(read_idx(find(a.mnist, 'train-labels-idx1-ubyte')).astype(np.int64))
Xte = torch.from_numpy(read_idx(find(a.mnist, 't10k-images-idx3-ubyte')).copy()).float() / 255
yte = torch.from_numpy(read_idx(find(a.mnist, 't10k-labels-idx1-ubyte')).astype(np.int64))
n = Xtr.shape[0]
model = torch.nn.Sequential(torch.nn.Linear(784, 800), torch.nn.ReLU(), torch.nn.Linear(800, 10))
opt = torch.optim.SGD(model.parameters(), lr=a.lr)
lossf = torch.nn.CrossEntropyLoss()
for ep in range(a.epochs):
    perm = torch.randperm(n)
    t = time.perf_counter()
    for i in range(0, n, a.batch):
        idx = perm[i:i + a.batch]
        loss = lossf(model(Xtr[idx].float() / 255), ytr[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    dt = time.perf_counter() - t
    with torch.no_grad():
        acc = (model(Xte).argmax(1) == yte).float().mean().item()
    print(f'epoch {ep + 1} train_s {dt:.3f} samples_per_s {n / dt:.0f} test_acc {acc * 100:.2f}',
          flush=True)
if a.save_npz:
    fc1, fc2 = model[0], model[2]
    with torch.no_grad():
        correct = int((model(Xte).argmax(1) == yte).sum())
        np.savez(a.save_npz, W1=fc1.weight.T.numpy(), b1=fc1.bias.numpy(),
                 W2=fc2.weight.T.numpy(), b2=fc2.bias.numpy())
    print(f'saved {a.save_npz} test_correct {correct} of {len(yte)}', flush=True)
