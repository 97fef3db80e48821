"""Fits AlpacaEval 2's length_controlled_minimal GLM with alpaca_eval's own functions and scikit-learn, for instruct4j's tests.

Usage: python3 fit_glm.py ALPACA_EVAL_CHECKOUT > glm_fits.json
(a checkout of https://github.com/tatsu-lab/alpaca_eval; the fixtures here were made at commit
cd543a149df89434d8a54582c0151c0b945c3d20 with Debian bookworm's python3 3.11,
python3-sklearn 1.2.1, python3-pandas 1.5.3 and numpy 1.24.2).

alpaca_eval's fit_LogisticRegressionCV needs scikit-learn's metadata routing (1.4+), which Debian's 1.2.1 lacks, so the
cross-validation it runs is written out here with the same parts: its design matrix (tanh(std_delta_len) and the
not_gamed_baseline constant, no intercept), rows duplicated with soft labels as sample weights, LogisticRegression(
penalty="l1", solver="liblinear", fit_intercept=False, random_state=123) for each C of LogisticRegressionCV's default
grid (np.logspace(-4, 4, 10)), the folds of GroupKFold(5) over the questions (sklearn's own split, passed to nothing
else), alpaca_eval's logloss_continuous as the score, the best mean score's C refitted on all rows, and the prediction at
std_delta_len = 0.
"""
import importlib.util
import json
import sys
import types

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

# glm_winrate.py's imports that the functions used here do not need
stub = {name: types.ModuleType(name) for name in ["huggingface_hub", "patsy", "alpaca_eval", "alpaca_eval.constants",
                                                  "alpaca_eval.types", "alpaca_eval.utils", "alpaca_eval.metrics",
                                                  "alpaca_eval.metrics.winrate"]}
stub["huggingface_hub"].hf_hub_download = None
stub["patsy"].build_design_matrices = stub["patsy"].dmatrix = None
stub["alpaca_eval"].constants, stub["alpaca_eval"].types, stub["alpaca_eval"].utils = (
    stub["alpaca_eval.constants"], stub["alpaca_eval.types"], stub["alpaca_eval.utils"])
stub["alpaca_eval.types"].AnyLoadableDF = object
stub["alpaca_eval.metrics"].__path__ = []
stub["alpaca_eval.metrics.winrate"].get_winrate = None
sys.modules.update(stub)
spec = importlib.util.spec_from_file_location("alpaca_eval.metrics.glm_winrate",
                                              sys.argv[1] + "/src/alpaca_eval/metrics/glm_winrate.py")
glm_winrate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(glm_winrate)

CS = np.logspace(-4, 4, 10)


def fit(preferences, model_lengths, baseline_lengths):
    df = pd.DataFrame({"preference": preferences})
    std_delta_len = pd.Series(baseline_lengths, dtype=float) - pd.Series(model_lengths, dtype=float)
    df["std_delta_len"] = std_delta_len / std_delta_len.std()
    X = pd.DataFrame({"np.tanh(std_delta_len)": np.tanh(df["std_delta_len"]), "not_gamed_baseline.astype(float)": 1.0})
    n = len(df)
    data_1 = X.copy()
    data_0 = X.copy()
    X_dup = pd.concat([data_1, data_0], axis=0).reset_index(drop=True)
    y_dup = np.concatenate([np.ones(n), np.zeros(n)])
    true_prob = np.concatenate([df["preference"].values, 1 - df["preference"].values])
    groups = np.concatenate([np.arange(n), np.arange(n)])

    def model(C, rows):
        m = LogisticRegression(C=C, penalty="l1", solver="liblinear", fit_intercept=False, random_state=123, dual=False)
        m.fit(X_dup.iloc[rows], y_dup[rows], sample_weight=true_prob[rows])
        return m

    folds = list(GroupKFold(n_splits=5).split(X_dup, y_dup, groups))
    scores = []
    for C in CS:
        fold_scores = []
        for train, test in folds:
            m = model(C, train)
            y_pred = m.predict_proba(X_dup.iloc[test])[:, 1]
            fold_scores.append(-glm_winrate.logloss_continuous(y_dup[test], y_pred, true_prob[test]))
        scores.append(np.mean(fold_scores))
    best = int(np.argmax(scores))
    final = model(CS[best], np.arange(2 * n))
    test = pd.DataFrame({"np.tanh(std_delta_len)": 0.0, "not_gamed_baseline.astype(float)": np.ones(n)})
    predicted = final.predict_proba(test)[:, 1]
    fold_of = {int(g): k for k, (_, t) in enumerate(folds) for g in groups[t]}
    return {"preferences": list(preferences), "model_lengths": list(model_lengths), "baseline_lengths": list(baseline_lengths),
            "folds": [fold_of[i] for i in range(n)], "c": float(CS[best]), "weights": [float(w) for w in final.coef_[0]],
            "weights_by_c": [[float(w) for w in model(C, np.arange(2 * n)).coef_[0]] for C in CS],
            "win_rate": float(np.mean(preferences)), "length_controlled_win_rate": float(predicted.mean())}


rng = np.random.default_rng(7)
cases = []
# a judge that prefers the longer answer 90 % of the time; one that prefers the model 80 % of the time whatever the
# lengths; one that mixes both, with ties
for n, length_bias, model_bias, ties in [(16, 0.9, 0.5, 0.0), (16, 0.5, 0.8, 0.0), (15, 0.75, 0.65, 0.2), (12, 0.85, 0.3, 0.1),
                                         (16, 1.0, 0.5, 0.0), (16, 1.0, 1.0, 0.1)]:
    model_lengths = rng.integers(50, 2000, n)
    baseline_lengths = rng.integers(50, 2000, n)
    longer = (model_lengths > baseline_lengths).astype(float)
    by_length = np.where(rng.random(n) < length_bias, longer, 1 - longer)
    by_model = (rng.random(n) < model_bias).astype(float)
    preferences = np.where(rng.random(n) < ties, 0.5, np.where(rng.random(n) < 0.5, by_length, by_model))
    cases.append(fit([float(p) for p in preferences], [int(v) for v in model_lengths], [int(v) for v in baseline_lengths]))
json.dump(cases, sys.stdout, indent=1)
print()
