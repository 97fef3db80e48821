#!/usr/bin/python3
"""The same matmul peak measurement as MatmulPeakBench, in PyTorch: /usr/bin/python3 bench/python/matmul_peak.py [N [fp32|bf16]]"""
import statistics
import sys
import time

import torch

n = int(sys.argv[1]) if len(sys.argv) > 1 else 2048
torch.set_num_threads(2)
dtypes = {"fp32": (torch.float32,), "bf16": (torch.bfloat16,)}.get(sys.argv[2] if len(sys.argv) > 2 else "", (torch.float32, torch.bfloat16))
for dtype in dtypes:
    a, b = torch.randn(n, n).to(dtype), torch.randn(n, n).to(dtype)
    rates = []
    for i in range(13):
        began = time.perf_counter()
        (a @ b).sum().item()
        if i >= 3:
            rates.append(2.0 * n ** 3 / (time.perf_counter() - began) / 1e9)
    print(f"pytorch {torch.__version__} matmul {n}^2 {dtype}: median {statistics.median(rates):.1f} GFLOP/s")
