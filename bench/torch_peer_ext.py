#!/usr/bin/python3
# Copied from ../shared/bench/torch_peer.py (the project's shared reference peer, by
# the digitpad sessions), unchanged below this header; used by bench/compare.sh.
"""PyTorch peer (extends torch_mlp.py) (the PyTorch CPU peer of the 784-800-10
ReLU/softmax MLP): same data, architecture and loop, plus
  --momentum M   SGD momentum (torch.optim.SGD(momentum=M)), 0 = plain SGD
  --samples N    time only the first N samples of the epoch (the figure is
                 then scaled to 60,000 in epoch_s; accuracy is after N)
  --infer N      after training, time N single-sample forward passes
                 (1 x 784 float input, torch.inference_mode) and print the
                 median latency in microseconds
--threads T sets torch.set_num_threads(T) and, before torch is imported,
OPENBLAS_NUM_THREADS=T and OMP_NUM_THREADS=T (unless already set): Debian's
torch does its float matrix products in OpenBLAS, whose own thread pool
ignores torch.set_num_threads, so without this "1 thread" still runs the
products on every core. With T > 1 it also sets OMP_WAIT_POLICY=PASSIVE
(unless set): torch's spinning OpenMP workers and OpenBLAS's workers then
stop fighting over the two cores (on this machine the default ACTIVE policy
made 2 threads 5-20x slower than 1).
One line of output:
  torch VER threads T batch B momentum M samples N train_s S epoch_s E test_acc A infer_us U
usage: torch_mlp_ext.py MNIST_DIR [--batch B] [--lr LR] [--momentum M] [--threads T]
                        [--samples N] [--infer N] [--seed S]"""
import argparse, gzip, os, struct, sys, time

def idx(path):
    with gzip.open(path) as f:
        data = f.read()
    magic, n = struct.unpack('>II', data[:8])
    if magic == 0x803:
        return np.frombuffer(data[16:], np.uint8).reshape(n, 784)
    return np.frombuffer(data[8:], np.uint8)

ap = argparse.ArgumentParser()
ap.add_argument('mnist')
ap.add_argument('--batch', type=int, default=64); ap.add_argument('--lr', type=float, default=0.1)
ap.add_argument('--momentum', type=float, default=0.0)
ap.add_argument('--threads', type=int, default=2); ap.add_argument('--seed', type=int, default=1)
ap.add_argument('--samples', type=int, default=60000); ap.add_argument('--infer', type=int, default=20000)
a = ap.parse_args()
for var in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS'):
    os.environ.setdefault(var, str(a.threads))
if a.threads > 1:
    os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
import numpy as np, torch
torch.set_num_threads(a.threads); torch.manual_seed(a.seed)
Xtr = torch.from_numpy(idx(f'{a.mnist}/train-images-idx3-ubyte.gz').copy())
ytr = torch.from_numpy(idx(f'{a.mnist}/train-labels-idx1-ubyte.gz').astype(np.int64))
Xte = torch.from_numpy(idx(f'{a.mnist}/t10k-images-idx3-ubyte.gz').copy()).float() / 255
yte = torch.from_numpy(idx(f'{a.mnist}/t10k-labels-idx1-ubyte.gz').astype(np.int64))
model = torch.nn.Sequential(torch.nn.Linear(784, 800), torch.nn.ReLU(), torch.nn.Linear(800, 10))
opt = torch.optim.SGD(model.parameters(), lr=a.lr, momentum=a.momentum)
lossf = torch.nn.CrossEntropyLoss()
n = min(a.samples, 60000)

perm = torch.randperm(60000)
t = time.perf_counter()
for i in range(0, n, a.batch):
    idxs = perm[i:i + a.batch]
    x = Xtr[idxs].float() / 255
    loss = lossf(model(x), ytr[idxs])
    opt.zero_grad(set_to_none=True); loss.backward(); opt.step()
dt = time.perf_counter() - t
with torch.no_grad():
    acc = (model(Xte).argmax(1) == yte).float().mean().item()

lat = []
if a.infer > 0:
    with torch.inference_mode():
        rows = [Xte[k:k + 1].clone() for k in range(1000)]
        for k in range(2000):                      # warm-up
            model(rows[k % 1000])
        for k in range(a.infer):
            x = rows[k % 1000]
            t0 = time.perf_counter(); out = model(x); lat.append(time.perf_counter() - t0)
med = sorted(lat)[len(lat) // 2] * 1e6 if lat else 0.0
print(f'torch {torch.__version__} threads {a.threads} batch {a.batch} momentum {a.momentum:g} '
      f'samples {n} train_s {dt:.4f} epoch_s {dt * 60000 / n:.4f} test_acc {acc * 100:.2f} '
      f'infer_us {med:.2f}', flush=True)
