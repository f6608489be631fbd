#!/usr/bin/python3
# Copied from ../shared/bench/numpy_peer.py (the project's shared reference peer, by
# the digitpad sessions), unchanged below this header; used by bench/compare.sh.
"""Hand-written numpy MLP, 'what a student writes': 784-800-10 ReLU/softmax,
cross-entropy, He init, float32, mini-batch SGD (optionally momentum), the
same math as digitpad (delta2 = (p - y)/B, dW2 = h^T delta2,
delta1 = delta2 W2^T * (h > 0), dW1 = X^T delta1), products in OpenBLAS.
--threads T sets OPENBLAS_NUM_THREADS/OMP_NUM_THREADS before numpy loads.
usage: numpy_mlp.py MNIST_DIR [--batch B] [--lr LR] [--momentum M] [--threads T]
                    [--samples N] [--infer N]
prints: numpy VER threads T batch B momentum M samples N train_s S epoch_s E test_acc A infer_us U"""
import argparse, gzip, os, struct, time

ap = argparse.ArgumentParser()
ap.add_argument('mnist')
ap.add_argument('--batch', type=int, default=64); ap.add_argument('--lr', type=float, default=0.1)
ap.add_argument('--momentum', type=float, default=0.0); ap.add_argument('--threads', type=int, default=1)
ap.add_argument('--samples', type=int, default=60000); ap.add_argument('--infer', type=int, default=20000)
a = ap.parse_args()
for var in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS'):
    os.environ.setdefault(var, str(a.threads))
import numpy as np

def idx(path):
    with gzip.open(path) as f:
        data = f.read()
    magic, n = struct.unpack('>II', data[:8])
    if magic == 0x803:
        return np.frombuffer(data[16:], np.uint8).reshape(n, 784)
    return np.frombuffer(data[8:], np.uint8)

Xtr = idx(f'{a.mnist}/train-images-idx3-ubyte.gz'); ytr = idx(f'{a.mnist}/train-labels-idx1-ubyte.gz')
Xte = idx(f'{a.mnist}/t10k-images-idx3-ubyte.gz').astype(np.float32) / 255
yte = idx(f'{a.mnist}/t10k-labels-idx1-ubyte.gz')
rng = np.random.default_rng(1)
W1 = (rng.standard_normal((784, 800)) * np.sqrt(2 / 784)).astype(np.float32); b1 = np.zeros(800, np.float32)
W2 = (rng.standard_normal((800, 10)) * np.sqrt(2 / 800)).astype(np.float32); b2 = np.zeros(10, np.float32)
params = [W1, b1, W2, b2]
vel = [np.zeros_like(p) for p in params]
lr, mu, B = np.float32(a.lr), np.float32(a.momentum), a.batch
n = min(a.samples, 60000)
eye = np.eye(10, dtype=np.float32)

perm = rng.permutation(60000)
t = time.perf_counter()
for i in range(0, n, B):
    ids = perm[i:i + B]
    X = Xtr[ids].astype(np.float32) * np.float32(1 / 255)
    h = X @ W1; h += b1; np.maximum(h, 0, out=h)
    z = h @ W2; z += b2
    z -= z.max(axis=1, keepdims=True); p = np.exp(z); p /= p.sum(axis=1, keepdims=True)
    d2 = (p - eye[ytr[ids]]) * np.float32(1 / len(ids))
    d1 = d2 @ W2.T; d1 *= h > 0
    grads = [X.T @ d1, d1.sum(0), h.T @ d2, d2.sum(0)]
    if mu == 0:
        for p_, g in zip(params, grads):
            p_ -= lr * g
    else:
        for p_, v, g in zip(params, vel, grads):
            v *= mu; v -= lr * g; p_ += v
dt = time.perf_counter() - t
acc = ((np.maximum(Xte @ W1 + b1, 0) @ W2 + b2).argmax(1) == yte).mean()

lat = []
rows = [Xte[k:k + 1].copy() for k in range(1000)]
for k in range(max(a.infer, 0) + 2000):
    x = rows[k % 1000]
    t0 = time.perf_counter()
    z = np.maximum(x @ W1 + b1, 0) @ W2 + b2
    z = np.exp(z - z.max()); z /= z.sum()
    if k >= 2000:
        lat.append(time.perf_counter() - t0)
med = sorted(lat)[len(lat) // 2] * 1e6 if lat else 0.0
print(f'numpy {np.__version__} threads {a.threads} batch {B} momentum {a.momentum:g} samples {n} '
      f'train_s {dt:.4f} epoch_s {dt * 60000 / n:.4f} test_acc {acc * 100:.2f} infer_us {med:.2f}', flush=True)
