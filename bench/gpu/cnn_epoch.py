# PyTorch baseline for bench/gpu/cnn_epoch.kiln.md: one training epoch of the
# two-block CNN (conv 32 + BN, conv 64 + BN, pooling, linear; Adam 1e-3, batch 64)
# on synthetic 1x28x28 images made on the device, so no data loading is timed.
# Eager, then the training step captured once in a CUDA graph and replayed.
#   python3 cnn_epoch.py [--device cuda|cpu] [--epochs N] [--samples N] [--batch B]
# Prints "pytorch eager: X s/epoch" and "pytorch graph: X s/epoch" (the median
# of --epochs timed epochs after one warm-up epoch) and the final losses.
import argparse
import statistics
import time

import torch
from torch import nn
import torch.nn.functional as F


def make_model():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 10))


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def setup(samples, device):
    """Data and a fresh model, drawn in the same order as cnn_epoch.kiln.md, so that
    both start from the same numbers and their final losses can be compared."""
    torch.manual_seed(0)
    x = torch.randn(samples, 1, 28, 28, device=device)
    y = torch.randint(0, 10, (samples,), device=device)
    model = make_model().to(device)
    return x, y, model


def eager_step(model, opt, x, y):
    loss = F.cross_entropy(model(x), y)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    return loss


def timed_epochs(run_epoch, epochs, device):
    """One warm-up epoch, then the median of `epochs` timed ones."""
    run_epoch()
    times = []
    for _ in range(epochs):
        sync(device)
        started = time.perf_counter()
        loss = run_epoch()
        sync(device)
        times.append(time.perf_counter() - started)
    return statistics.median(times), loss


def bench_eager(samples, batch, epochs, device):
    x, y, model = setup(samples, device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    n = x.shape[0]

    def run_epoch():
        loss = None
        for i in range(0, n, batch):
            loss = eager_step(model, opt, x[i:i + batch], y[i:i + batch])
        return loss

    seconds, loss = timed_epochs(run_epoch, epochs, device)
    print(f"pytorch eager: {seconds:.3f} s/epoch", flush=True)
    print(f"pytorch eager final loss: {loss.item():.4f}", flush=True)
    return seconds


def bench_graph(samples, batch, epochs, device):
    x, y, model = setup(samples, device)
    # capturable: Adam keeps its step count on the device, so step() can be captured.
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, capturable=True)
    n = x.shape[0]
    static_x = x[:batch].clone()
    static_y = y[:batch].clone()

    # Warm up on a side stream before capture, as PyTorch's CUDA graph docs show:
    # it lets cuDNN pick its algorithms and Adam create its state outside the graph.
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        for _ in range(3):
            eager_step(model, opt, static_x, static_y)
    torch.cuda.current_stream().wait_stream(side)

    # Gradients must live in the graph's memory pool: capture with them set to None.
    graph = torch.cuda.CUDAGraph()
    opt.zero_grad(set_to_none=True)
    with torch.cuda.graph(graph):
        static_loss = F.cross_entropy(model(static_x), static_y)
        static_loss.backward()
        opt.step()

    full = n - n % batch

    def run_epoch():
        loss = static_loss
        for i in range(0, full, batch):
            static_x.copy_(x[i:i + batch])
            static_y.copy_(y[i:i + batch])
            graph.replay()
        if full < n:
            # The last, smaller batch does not fit the captured shapes: run it eagerly.
            # Replays overwrite the .grad tensors the graph owns, but an eager backward
            # adds into them: zero them in place (dropping them would detach the graph).
            opt.zero_grad(set_to_none=False)
            loss = F.cross_entropy(model(x[full:]), y[full:])
            loss.backward()
            opt.step()
        return loss

    seconds, loss = timed_epochs(run_epoch, epochs, device)
    print(f"pytorch graph: {seconds:.3f} s/epoch", flush=True)
    print(f"pytorch graph final loss: {loss.item():.4f}", flush=True)
    return seconds


def main():
    parser = argparse.ArgumentParser(description="One CNN training epoch in PyTorch, eager and as a CUDA graph.")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--epochs", type=int, default=3, help="timed epochs after one warm-up epoch")
    parser.add_argument("--samples", type=int, default=60000)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--no-graph", action="store_true", help="eager only")
    args = parser.parse_args()

    device = torch.device(args.device)
    print(f"torch {torch.__version__}, device {device}"
          + (f" ({torch.cuda.get_device_name(device)})" if device.type == "cuda" else
             f", {torch.get_num_threads()} threads"), flush=True)
    print(f"{args.samples} samples, batch {args.batch}, median of {args.epochs} epochs after a warm-up",
          flush=True)
    bench_eager(args.samples, args.batch, args.epochs, device)
    if device.type == "cuda" and not args.no_graph:
        bench_graph(args.samples, args.batch, args.epochs, device)
    else:
        print("pytorch graph: skipped (CUDA graphs need a GPU)", flush=True)


if __name__ == "__main__":
    main()
