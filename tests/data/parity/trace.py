import sys, torch
d = sys.argv[1]
model = torch.jit.load(d + "/net.ts.pt")
model.eval()
io = torch.load(d + "/net.io.pt")
names = sorted(name for name, _ in model.named_parameters())
expected = sorted(["conv.weight", "conv.bias", "bn.weight", "bn.bias", "head.1.weight", "head.1.bias"])
assert names == expected, names
weights = torch.load(d + "/net.weights.pt")
for name, value in model.state_dict().items():
    assert torch.equal(value, weights[name]), name
y = model(io["x"])
assert (y - io["y"]).abs().max().item() < 1e-5
torch.save({"y": model(torch.ones(5, 1, 8, 8))}, d + "/python_trace.pt")
