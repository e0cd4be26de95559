#!/usr/bin/python3
"""bench/k_curve.py: scores for bench/k_curve.sh (how many themes best reproduce the labels)

Usage: /usr/bin/python3 bench/k_curve.py DIR
DIR holds one folder per corpus, each with K-SEED.tsv files ("label<TAB>theme" per text,
written by build/bench/corpora_themes --assign) and "auto" (the automatic k). Prints the JSON
lines and the table bench/k_curve.sh describes. The scores are scikit-learn's:
normalized_mutual_info_score (geometric, as bench/corpora.sh), adjusted_mutual_info_score
(its default arithmetic normalisation) and adjusted_rand_score.
"""
import json
import os
import statistics
import sys

from sklearn.metrics import (adjusted_mutual_info_score, adjusted_rand_score,
                             normalized_mutual_info_score)

WITHIN = 0.01  # an AMI this close to the best counts as "as good"


def ranges(ks):
    """[8, 10, 12, 18] -> "8-12, 18" over the grid's order (neighbours in the grid join)."""
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in ks)


def main(root):
    rows = []
    for corpus in sorted(os.listdir(root), key=lambda c: (c.split("-")[0], int(c.split("-")[1]))):
        d = os.path.join(root, corpus)
        with open(os.path.join(d, "auto")) as f:
            auto = int(f.read().strip())
        per_k = {}
        labels = None
        for name in os.listdir(d):
            if not name.endswith(".tsv"):
                continue
            k, seed = (int(x) for x in name[:-4].split("-"))
            with open(os.path.join(d, name)) as f:
                pairs = [line.rstrip("\n").split("\t") for line in f]
            lab = [p[0] for p in pairs]
            got = [p[1] for p in pairs]
            labels = len(set(lab))
            s = {"nmi": normalized_mutual_info_score(lab, got, average_method="geometric"),
                 "ami": adjusted_mutual_info_score(lab, got),
                 "ari": adjusted_rand_score(lab, got)}
            print(json.dumps({"bench": "k_curve", "corpus": corpus, "labels": labels, "k": k,
                              "seed": seed, **{m: round(v, 4) for m, v in s.items()}}))
            per_k.setdefault(k, []).append(s)
        grid = sorted(per_k)
        med = {k: {m: statistics.median_low([s[m] for s in per_k[k]]) for m in ("ami", "ari")}
               for k in grid}
        best_ami = max(grid, key=lambda k: (med[k]["ami"], -k))
        best_ari = max(grid, key=lambda k: (med[k]["ari"], -k))
        near = [k for k in grid if med[k]["ami"] >= med[best_ami]["ami"] - WITHIN]
        runs = []
        for k in near:
            if runs and grid.index(k) == grid.index(runs[-1][1]) + 1:
                runs[-1] = (runs[-1][0], k)
            else:
                runs.append((k, k))
        print(json.dumps({"bench": "k_curve_best", "corpus": corpus, "labels": labels,
                          "auto_k": auto, "best_k_ami": best_ami,
                          "best_ami": round(med[best_ami]["ami"], 4),
                          "k_within_001_ami": near, "best_k_ari": best_ari,
                          "best_ari": round(med[best_ari]["ari"], 4)}))
        rows.append((corpus, labels, auto, best_ami, ranges(runs), best_ari))
    print(f"{'corpus':<12} {'labels':>6} {'auto k':>7} {'best k (AMI)':>13}  "
          f"{'AMI within 0.01 of best':<24} {'best k (ARI)':>12}", file=sys.stderr)
    for r in rows:
        print(f"{r[0]:<12} {r[1]:>6} {r[2]:>7} {r[3]:>13}  {r[4]:<24} {r[5]:>12}",
              file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
