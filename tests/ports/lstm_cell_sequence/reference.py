# pytorch/examples time_sequence_prediction: two LSTMCells and a Linear over sine
# waves (8 waves of 60 steps), MSELoss and LBFGS(lr = 0.8) with a closure; 2 steps.
import sys

import numpy as np
import torch
import torch.nn as nn


class Sequence(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm1 = nn.LSTMCell(1, 16)
        self.lstm2 = nn.LSTMCell(16, 16)
        self.linear = nn.Linear(16, 1)

    def forward(self, input):
        outputs = []
        h_t = torch.zeros(input.size(0), 16)
        c_t = torch.zeros(input.size(0), 16)
        h_t2 = torch.zeros(input.size(0), 16)
        c_t2 = torch.zeros(input.size(0), 16)
        for input_t in input.split(1, dim=1):
            h_t, c_t = self.lstm1(input_t, (h_t, c_t))
            h_t2, c_t2 = self.lstm2(h_t, (h_t2, c_t2))
            output = self.linear(h_t2)
            outputs += [output]
        return torch.cat(outputs, dim=1)


out = sys.argv[1]
torch.manual_seed(2)
T, L, N = 20, 60, 8
x = np.empty((N, L), np.int64)
x[:] = np.array(range(L)) + np.random.RandomState(3).randint(-4 * T, 4 * T, N).reshape(N, 1)
waves = torch.from_numpy(np.sin(x / 1.0 / T).astype("float32"))
input, target = waves[:, :-1], waves[:, 1:]
seq = Sequence()
torch.save({"input": input, "target": target, "start": seq.state_dict()}, f"{out}/start.pt")
criterion = nn.MSELoss()
optimizer = torch.optim.LBFGS(seq.parameters(), lr=0.8)
losses = []
for i in range(2):
    def closure():
        optimizer.zero_grad()
        out = seq(input)
        loss = criterion(out, target)
        losses.append(loss.item())
        loss.backward()
        return loss
    optimizer.step(closure)
torch.save({"end": seq.state_dict(), "losses": torch.tensor(losses)}, f"{out}/reference.pt")
