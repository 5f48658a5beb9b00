#!/usr/bin/env python3
"""The peers' PyTorch MLP on a peer split (../shared/peer-splits), with one thing changed at a time.

Run by hand, never by a test (Debian python3-torch, python3-sklearn, python3-pandas):
  python3 bench/peer_mlp.py data.csv --features a,b,c --hidden 128,128 [--init xavier] [--seeds 42,43,44]

data.csv: the peer table as CSV (row_id, split, label, features...). Prints one line per seed and the mean.
Reference protocol (the peers' README): Adam 1e-3, batch 256, cross-entropy, standard scaling fitted on train,
early stopping on validation log-loss (min improvement 1e-4, patience 50), the best epoch's weights restored.
"""
import argparse
import copy

import numpy as np
import pandas as pd
import torch
from sklearn.metrics import accuracy_score, f1_score, roc_auc_score

p = argparse.ArgumentParser()
p.add_argument("csv")
p.add_argument("--features", required=True)
p.add_argument("--hidden", default="128,128")
p.add_argument("--seeds", default="42,43,44,45,46")
p.add_argument("--init", default="torch", choices=["torch", "xavier"], help="xavier: DL4J's XAVIER, zero biases")
p.add_argument("--eps", type=float, default=1e-8)
p.add_argument("--min-delta", type=float, default=1e-4)
p.add_argument("--patience", type=int, default=50)
p.add_argument("--batch", type=int, default=256)
p.add_argument("--no-shuffle", action="store_true", help="the rows in file order every epoch")
p.add_argument("--fixed-batches", action="store_true", help="one random order drawn once, kept every epoch")
p.add_argument("--epochs", type=int, default=2000)
a = p.parse_args()

torch.set_num_threads(1)
d = pd.read_csv(a.csv)
features = a.features.split(",")
parts = {s: d[d.split == s] for s in ("train", "val", "test")}
mean, std = parts["train"][features].mean(), parts["train"][features].std(ddof=0).replace(0, 1)
x = {s: torch.tensor(((v[features] - mean) / std).values, dtype=torch.float32) for s, v in parts.items()}
y = {s: torch.tensor(v["label"].values, dtype=torch.long) for s, v in parts.items()}
classes = int(d["label"].max()) + 1
results = []
for seed in [int(s) for s in a.seeds.split(",")]:
    torch.manual_seed(seed)
    sizes = [len(features)] + [int(h) for h in a.hidden.split(",") if h] + [classes]
    layers = []
    for i in range(len(sizes) - 1):
        lin = torch.nn.Linear(sizes[i], sizes[i + 1])
        if a.init == "xavier":
            # DL4J XAVIER: normal, variance 2 / (fan_in + fan_out); biases 0
            torch.nn.init.normal_(lin.weight, 0, (2.0 / (sizes[i] + sizes[i + 1])) ** 0.5)
            torch.nn.init.zeros_(lin.bias)
        layers += [lin] + ([torch.nn.ReLU()] if i < len(sizes) - 2 else [])
    net = torch.nn.Sequential(*layers)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, eps=a.eps)
    loss_fn = torch.nn.CrossEntropyLoss()
    best, best_state, waited = float("inf"), None, 0
    g = torch.Generator().manual_seed(seed)
    n = len(y["train"])
    fixed = torch.randperm(n, generator=g)
    for epoch in range(a.epochs):
        net.train()
        order = torch.arange(n) if a.no_shuffle else fixed if a.fixed_batches else torch.randperm(n, generator=g)
        for i in range(0, n, a.batch):
            idx = order[i:i + a.batch]
            opt.zero_grad()
            loss_fn(net(x["train"][idx]), y["train"][idx]).backward()
            opt.step()
        net.eval()
        with torch.no_grad():
            val = loss_fn(net(x["val"]), y["val"]).item()
        if val < best - a.min_delta:
            best, best_state, waited = val, copy.deepcopy(net.state_dict()), 0
        else:
            waited += 1
            if waited >= a.patience:
                break
    net.load_state_dict(best_state)
    with torch.no_grad():
        prob = torch.softmax(net(x["test"]), 1).numpy()
    pred, truth = prob.argmax(1), y["test"].numpy()
    row = [accuracy_score(truth, pred), f1_score(truth, pred, average="macro")]
    if classes == 2:
        row.append(roc_auc_score(truth, prob[:, 1]))
    results.append(row)
    print("seed", seed, "epochs", epoch + 1, " ".join("%.4f" % v for v in row), flush=True)
r = np.array(results)
print("mean", " ".join("%.4f ± %.4f" % (m, s) for m, s in zip(r.mean(0), r.std(0))))
