"""PyTorch reference for `trainyard bench`: the bench's network, optimiser and epochs on the minibatches the bench
prepared (exported once as raw float32), one thread. Reads the job from argv[1] (JSON written by Trainyard, numbers
and names only); prints one JSON line of results. Not a test dependency: the bench skips it when torch is absent."""
import json
import sys
import time

import numpy as np
import torch


def batches(spec, prefix):
    x = np.fromfile(spec[prefix + "_features"], dtype="<f4").reshape(-1, spec["inputs"])
    y = np.fromfile(spec[prefix + "_labels"], dtype="<f4").reshape(-1, spec["outputs"])
    out, at = [], 0
    for rows in spec[prefix + "_rows"]:
        out.append((torch.from_numpy(x[at:at + rows].copy()), torch.from_numpy(y[at:at + rows].copy())))
        at += rows
    return out


def network(spec):
    act = {"relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh, "identity": torch.nn.Identity}
    layers, width = [], spec["inputs"]
    for hidden in spec["hidden"]:
        if spec["dropout"] > 0:
            layers.append(torch.nn.Dropout(spec["dropout"]))
        layers += [torch.nn.Linear(width, hidden), act[spec["activation"]]()]
        width = hidden
    layers.append(torch.nn.Linear(width, spec["outputs"]))
    net = torch.nn.Sequential(*layers)
    for m in net:
        if isinstance(m, torch.nn.Linear):
            torch.nn.init.xavier_normal_(m.weight)  # DL4J's XAVIER: normal, variance 2 / (fan in + fan out)
            torch.nn.init.zeros_(m.bias)
    return net


def loss_of(spec):
    head = spec["head"]
    if head == "sigmoid_xent":
        return torch.nn.BCEWithLogitsLoss()
    if head == "softmax_mcxent":
        return lambda out, y: torch.nn.functional.cross_entropy(out, y.argmax(dim=1))
    if head == "identity_mae":
        return torch.nn.L1Loss()
    return torch.nn.MSELoss()


def optimiser(spec, params):
    if spec["optimizer"] == "sgd":
        return torch.optim.SGD(params, lr=spec["learning_rate"])
    if spec["optimizer"] == "momentum":
        return torch.optim.SGD(params, lr=spec["learning_rate"], momentum=spec["momentum"], nesterov=True)
    return torch.optim.Adam(params, lr=spec["learning_rate"], betas=(spec["beta1"], spec["beta2"]))


def auc(scores, positive):
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    i = 0
    while i < len(scores):  # average ranks over ties
        j = i
        while j + 1 < len(scores) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    pos = positive.sum()
    neg = len(positive) - pos
    return float((ranks[positive].sum() - pos * (pos + 1) / 2) / (pos * neg)) if pos and neg else None


def main():
    spec = json.load(open(sys.argv[1]))
    torch.set_num_threads(1)
    torch.manual_seed(spec["seed"])
    train, test = batches(spec, "train"), batches(spec, "test")
    net, loss, = network(spec), loss_of(spec)
    opt = optimiser(spec, net.parameters())
    seconds = []
    for _ in range(spec["epochs"]):
        net.train()
        start = time.perf_counter()
        for x, y in train:
            opt.zero_grad()
            loss(net(x), y).backward()
            opt.step()
        seconds.append(time.perf_counter() - start)
    net.eval()
    with torch.no_grad():
        out = torch.cat([net(x) for x, _ in test]).numpy()
    y = np.concatenate([y.numpy() for _, y in test])
    result = {"torch": torch.__version__, "threads": torch.get_num_threads(), "epoch_seconds": seconds,
              "cpu_seconds": time.process_time()}
    if spec["head"] == "sigmoid_xent":
        result["test_accuracy"] = float(((out[:, 0] > 0) == (y[:, 0] > 0.5)).mean())
        result["test_auc"] = auc(out[:, 0], y[:, 0] > 0.5)
    elif spec["head"] == "softmax_mcxent":
        result["test_accuracy"] = float((out.argmax(axis=1) == y.argmax(axis=1)).mean())
    print(json.dumps(result))


if __name__ == "__main__":
    main()
