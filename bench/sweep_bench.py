#!/usr/bin/env python3
"""Sweep benchmark: which search finds the better model for the same compute, on one objective.

The objective is a Trainyard MLP on the `regression` generator (known best validation MSE: the noise variance, 0.25),
five swept keys (learning rate, layers, dropout, batch size, L2), at most 9 epochs with early stopping. For each seed
it runs, each as one `./trainyard sweep`:

  random      random sampler, 60 trials, every trial 9 epochs
  tpe         TPE sampler, 30 trials, every trial 9 epochs
  halving     random sampler with successive halving, 60 trials from 1 epoch up to 9
  tpe+hb      TPE with Hyperband (BOHB's combination), 34 trials (two rounds of the R = 9, eta = 3 brackets)
  optuna      (with --optuna) Optuna's TPESampler driving `./trainyard train --set ...` once per trial, 30 trials

and reads each sweep's ledger (trials/ledger.jsonl) for the best validation MSE after N trials and the epochs of
training spent. Run by hand, never by the tests; Optuna is Debian's python3-optuna (apt-get install python3-optuna):

  python3 bench/sweep_bench.py --seeds 1,2,3 [--optuna] [--work /tmp/sweep-bench]
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TRAINYARD = os.path.join(ROOT, "trainyard")

SPACE = {
    "train.learning-rate": ("loguniform", 0.0001, 0.5),
    "model.hidden": ("choice", [[8], [32], [64, 32], [128, 64]]),
    "model.dropout": ("uniform", 0.0, 0.5),
    "train.batch-size": ("choice", [16, 64, 256]),
    "model.l2": ("loguniform", 0.000001, 0.1),
}

METHODS = {
    "random": ["sweep.sampler=random", "sweep.scheduler=none", "sweep.trials=60"],
    "tpe": ["sweep.sampler=tpe", "sweep.scheduler=none", "sweep.trials=30"],
    "halving": ["sweep.sampler=random", "sweep.scheduler=halving", "sweep.trials=60"],
    "tpe+hb": ["sweep.sampler=tpe", "sweep.scheduler=hyperband", "sweep.trials=34"],
}


def hocon_value(v):
    return json.dumps(v)


def write_spec(work, data):
    domains = []
    for key, d in SPACE.items():
        if d[0] == "choice":
            domains.append(f'    "{key}" = {{choice = {json.dumps(d[1])}}}')
        else:
            domains.append(f'    "{key}" = {{{d[0]} = [{d[1]}, {d[2]}]}}')
    spec = f"""name = sweep-bench
data {{ path = "{data}", label = target, id = [row_id], nulls = impute }}
model.hidden = [32]
train {{ epochs = 9, batch-size = 64, workers = 1, early-stopping {{ patience = 3, metric = mse }} }}
sweep {{
  space {{
{chr(10).join(domains)}
  }}
  metric = mse, parallel = 2, workers-per-trial = 1, min-epochs = 1, max-epochs = 9, eta = 3
}}
"""
    path = os.path.join(work, "spec.conf")
    with open(path, "w") as f:
        f.write(spec)
    return path


def run(cmd, log):
    with open(log, "w") as out:
        code = subprocess.call(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    if code != 0:
        sys.exit(f"{' '.join(cmd)} failed with exit code {code}; see {log}")


def ledger_runs(run_dir):
    """Each ended trial run in ledger order: (trial, budget, best metric or None, epochs trained in this run)."""
    runs = []
    trained = {}
    with open(os.path.join(run_dir, "trials", "ledger.jsonl")) as f:
        for line in f:
            e = json.loads(line)
            if e["event"] not in ("finished", "failed"):
                continue
            o = e["outcome"]
            done = o.get("epochsRun", 0)
            ok = o["status"].upper() == "SUCCEEDED"
            # A promoted trial continues from its checkpoint: this run trained only the epochs past the last one.
            spent = max(0, done - trained.get(e["trial"], 0)) if ok else done
            trained[e["trial"]] = max(done, trained.get(e["trial"], 0))
            best = o["best"] if ok and o["best"] is not None else None
            if isinstance(best, str):
                best = None
            runs.append((e["trial"], e["epochs"], best, spent))
    return runs


def best_after_trials(runs, n):
    values = [b for t, _, b, _ in runs if t < n and b is not None and math.isfinite(b)]
    return min(values) if values else float("nan")


def epochs_to_reach(runs, target):
    spent = 0
    for _, _, b, s in runs:
        spent += s
        if b is not None and b <= target:
            return spent
    return None


def sweep(method, seed, spec, work):
    out = os.path.join(work, f"{method}-{seed}")
    if not os.path.exists(os.path.join(out, "_SUCCESS")):
        cmd = [TRAINYARD, "sweep", spec, "--out", out, "--set", f"sweep.seed={seed}"]
        for s in METHODS[method]:
            cmd += ["--set", s]
        started = time.time()
        run(cmd, out + ".log")
        print(f"  {method} seed {seed}: {time.time() - started:.0f} s", file=sys.stderr)
    return ledger_runs(out)


def optuna_runs(seed, work):
    """Optuna's trials as the ledger's runs are read: one per trial directory, by trial number."""
    runs = []
    base = os.path.join(work, f"optuna-{seed}")
    for name in sorted(os.listdir(base)):
        path = os.path.join(base, name, "metrics.json")
        number = int(name.split("-")[1])
        if not os.path.exists(path):
            runs.append((number, 9, None, 0))
            continue
        with open(path) as f:
            m = json.load(f)
        runs.append((number, 9, m["validation"]["mse"], len(m.get("history", []))))
    return runs


def optuna_tpe(seed, spec, work, trials):
    """Optuna's TPESampler (its defaults, seeded) proposing each trial, `./trainyard train` training it."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)

    def objective(trial):
        sets = []
        for key, d in SPACE.items():
            name = key.replace(".", "_")
            if d[0] == "choice":
                labels = [json.dumps(c) for c in d[1]]
                v = json.loads(trial.suggest_categorical(name, labels))
            elif d[0] == "loguniform":
                v = trial.suggest_float(name, d[1], d[2], log=True)
            else:
                v = trial.suggest_float(name, d[1], d[2])
            sets += ["--set", f"{key}={hocon_value(v)}"]
        out = os.path.join(work, f"optuna-{seed}", f"trial-{trial.number:04d}")
        os.makedirs(os.path.dirname(out), exist_ok=True)
        code = subprocess.call([TRAINYARD, "train", spec, "--out", out] + sets,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        if code != 0:
            return float("inf")
        with open(os.path.join(out, "metrics.json")) as f:
            return json.load(f)["validation"]["mse"]

    if not os.path.exists(os.path.join(work, f"optuna-{seed}")):
        # Two trials at once, as the Trainyard sweeps run them (sweep.parallel = 2).
        study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed), direction="minimize")
        study.optimize(objective, n_trials=trials, n_jobs=2)
    return optuna_runs(seed, work)


def summary(values):
    finite = [v for v in values if v is not None and math.isfinite(v)]
    if not finite:
        return "-"
    sd = statistics.stdev(finite) if len(finite) > 1 else 0.0
    return f"{statistics.mean(finite):.4f} ± {sd:.4f}"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seeds", default="1,2,3")
    p.add_argument("--work", default="/tmp/sweep-bench")
    p.add_argument("--rows", type=int, default=4000)
    p.add_argument("--optuna", action="store_true", help="also run Optuna's TPE (python3-optuna)")
    p.add_argument("--methods", default=",".join(METHODS))
    a = p.parse_args()
    seeds = [int(s) for s in a.seeds.split(",")]
    os.makedirs(a.work, exist_ok=True)
    data = os.path.join(a.work, "data")
    if not os.path.exists(os.path.join(data, "_dataset.json")):
        run([TRAINYARD, "generate", "regression", "--out", data, "--rows", str(a.rows), "--seed", "3"],
            os.path.join(a.work, "generate.log"))
    spec = write_spec(a.work, data)
    results = {}
    for seed in seeds:
        for method in a.methods.split(","):
            results.setdefault(method, {})[seed] = sweep(method, seed, spec, a.work)
        if a.optuna:
            started = time.time()
            results.setdefault("optuna", {})[seed] = optuna_tpe(seed, spec, a.work, 30)
            print(f"  optuna seed {seed}: {time.time() - started:.0f} s", file=sys.stderr)

    print("best validation MSE (known best 0.25), mean ± sd over seeds " + a.seeds)
    print("| search | best after 30 trials | best after 60 | epochs trained | epochs to reach random's best after 60 |")
    print("|---|---|---|---|---|")
    for method, by_seed in results.items():
        at30 = [best_after_trials(r, 30) for r in by_seed.values()]
        at60 = [best_after_trials(r, 60) for r in by_seed.values()]
        spent = [sum(x[3] for x in r) for r in by_seed.values()]
        reach = []
        for seed, r in by_seed.items():
            if "random" in results and seed in results["random"]:
                e = epochs_to_reach(r, best_after_trials(results["random"][seed], 60))
                reach.append("-" if e is None else str(e))
        trials = max(t for r in by_seed.values() for t, *_ in r) + 1
        print(f"| {method} | {summary(at30)} | {summary(at60) if trials > 30 else '-'} | "
              f"{statistics.mean(spent):.0f} | {', '.join(reach)} |")


if __name__ == "__main__":
    main()
