#!/usr/bin/python3
"""PyTorch eager reference for bench/src/main/java/org/instruct4j/bench/train/TrainThroughputBench.java.

The same Llama (RMSNorm, rotate-half RoPE, manual causal attention, SwiGLU, tied head), the same random batch
shape and the same step: forward, cross-entropy over every position, backward, clip_grad_norm_(1.0), AdamW.
bf16 = torch.autocast on CPU with fp32 parameters and optimizer state (the usual mixed precision).

    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/python/train_throughput.py MODEL SEQ BATCH fp32|bf16 [STEPS]
    (MODEL: 10m | 110m | 260k; Debian's python3-torch 1.13)
"""
import math
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# steps run before the measured ones, as TrainThroughputBench's WARMUP: the first steps grow the heap to its size
WARMUP = 3

SHAPES = {  # dim, ffn, layers, heads, kv_heads, vocab
    "10m": (256, 768, 8, 8, 8, 8192),
    "110m": (768, 2048, 12, 12, 12, 32000),
    "260k": (64, 172, 5, 8, 4, 512),
}


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rotate(x, cos, sin):
    half = x.shape[-1] // 2
    rotated = torch.cat((-x[..., half:], x[..., :half]), dim=-1)
    return x * cos + rotated * sin


class Block(nn.Module):
    def __init__(self, dim, ffn, heads, kv_heads):
        super().__init__()
        self.heads, self.kv_heads, self.head_dim = heads, kv_heads, dim // heads
        self.input_layernorm = RMSNorm(dim)
        self.q_proj = nn.Linear(dim, heads * self.head_dim, bias=False)
        self.k_proj = nn.Linear(dim, kv_heads * self.head_dim, bias=False)
        self.v_proj = nn.Linear(dim, kv_heads * self.head_dim, bias=False)
        self.o_proj = nn.Linear(heads * self.head_dim, dim, bias=False)
        self.post_attention_layernorm = RMSNorm(dim)
        self.gate_proj = nn.Linear(dim, ffn, bias=False)
        self.up_proj = nn.Linear(dim, ffn, bias=False)
        self.down_proj = nn.Linear(ffn, dim, bias=False)

    def forward(self, x, cos, sin, mask):
        b, t, _ = x.shape
        h = self.input_layernorm(x)
        q = self.q_proj(h).view(b, t, self.heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(h).view(b, t, self.kv_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(h).view(b, t, self.kv_heads, self.head_dim).transpose(1, 2)
        q, k = rotate(q, cos, sin), rotate(k, cos, sin)
        if self.kv_heads != self.heads:
            k = k.repeat_interleave(self.heads // self.kv_heads, dim=1)
            v = v.repeat_interleave(self.heads // self.kv_heads, dim=1)
        scores = (q @ k.transpose(2, 3)) / math.sqrt(self.head_dim)
        probs = scores.masked_fill(mask, float("-inf")).softmax(-1, dtype=torch.float32).to(v.dtype)
        attn = (probs @ v).transpose(1, 2).reshape(b, t, -1)
        x = x + self.o_proj(attn)
        h = self.post_attention_layernorm(x)
        return x + self.down_proj(F.silu(self.gate_proj(h)) * self.up_proj(h))


class Llama(nn.Module):
    def __init__(self, dim, ffn, layers, heads, kv_heads, vocab):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, dim)
        self.layers = nn.ModuleList(Block(dim, ffn, heads, kv_heads) for _ in range(layers))
        self.norm = RMSNorm(dim)
        self.head_dim = dim // heads
        for p in self.parameters():
            if p.dim() == 2:
                nn.init.normal_(p, std=0.02)

    def forward(self, ids):
        t = ids.shape[1]
        inv = 1.0 / (10000 ** (torch.arange(0, self.head_dim, 2).float() / self.head_dim))
        angles = torch.outer(torch.arange(t).float(), inv)
        angles = torch.cat((angles, angles), dim=-1)
        cos, sin = angles.cos(), angles.sin()
        mask = torch.ones(t, t, dtype=torch.bool).triu(1)
        x = self.embed_tokens(ids)
        for layer in self.layers:
            x = layer(x, cos, sin, mask)
        return F.linear(self.norm(x), self.embed_tokens.weight)


def main():
    name, seq, batch, precision = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    steps = int(sys.argv[5]) if len(sys.argv) > 5 else 5
    torch.set_num_threads(2)
    torch.manual_seed(0)
    dim, ffn, layers, heads, kv_heads, vocab = SHAPES[name]
    model = Llama(dim, ffn, layers, heads, kv_heads, vocab)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)
    rates, cpu_rates, peak = [], [], 0
    for step in range(WARMUP + steps):
        tokens = torch.randint(3, vocab, (batch, seq + 1))
        inputs, targets = tokens[:, :-1], tokens[:, 1:]
        reset_peak_rss()
        began, cpu_began = time.perf_counter(), time.process_time()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=precision == "bf16"):
            logits = model(inputs)
        loss = F.cross_entropy(logits.float().reshape(-1, vocab), targets.reshape(-1), ignore_index=-100)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=False)
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu_began
        print(f"step {step}: loss {loss.item():.4f}, {seconds:.2f} s ({cpu:.2f} CPU-s), {batch * seq / seconds:.0f} tokens/s, "
              f"peak RSS {peak_rss_mb()} MB", file=sys.stderr)
        if step >= WARMUP:
            rates.append(batch * seq / seconds)
            cpu_rates.append(batch * seq / cpu)
            peak = max(peak, peak_rss_mb())
    print(f"pytorch {torch.__version__} {name} seq {seq} batch {batch} {precision} threads {torch.get_num_threads()}: "
          f"median {statistics.median(rates):.0f} tokens/s over {steps} steps (min {min(rates):.0f}, max {max(rates):.0f}), "
          f"{statistics.median(cpu_rates):.0f} tokens per CPU-second, peak RSS {peak} MB")


def reset_peak_rss():
    """Linux: the peak resident size (VmHWM) starts again from the current size."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def peak_rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    return -1


if __name__ == "__main__":
    main()
