#!/usr/bin/python3
"""The same matmul peak measurement as MatmulPeakBench, in PyTorch: /usr/bin/python3 bench/python/matmul_peak.py [N]"""
import statistics
import sys
import time

import torch

n = int(sys.argv[1]) if len(sys.argv) > 1 else 2048
torch.set_num_threads(2)
for dtype in (torch.float32, torch.bfloat16):
    a, b = torch.randn(n, n).to(dtype), torch.randn(n, n).to(dtype)
    rates = []
    for i in range(13):
        began = time.perf_counter()
        (a @ b).sum().item()
        if i >= 3:
            rates.append(2.0 * n ** 3 / (time.perf_counter() - began) / 1e9)
    print(f"pytorch {torch.__version__} matmul {n}^2 {dtype}: median {statistics.median(rates):.1f} GFLOP/s")
