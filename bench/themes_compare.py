#!/usr/bin/python3
"""bench/themes_compare.py: scikit-learn's side of bench/themes_compare.sh

Usage: /usr/bin/python3 bench/themes_compare.py [-v] [-r ROUNDS] [--seed S] [--init INIT] FILE K
       [STOPWORDS]

Reads FILE (one text a line, "label<TAB>text", written by build/bench/themes_compare --gen),
then times scikit-learn's equivalent of ahphub's theme pipeline on the texts, already in
memory (file reading and imports are excluded, as on the C side):
    TfidfVectorizer(sublinear_tf=True, smooth_idf=True, norm="l2", ngram_range=(1, 2),
                    min_df=2, max_df=0.8, stop_words=<data/stopwords-en.txt>)
    NMF(n_components=K, init="nndsvda", solver="cd", max_iter=200, tol=1e-4, random_state=S)
    labels: the 10 top terms of each component (get_feature_names_out + argsort of a row)
and prints one JSON line:
    {"bench":"themes_vs_sklearn","texts":N,"system":"scikit-learn","k":K,"seconds":S,"nmi":X,...}
with the split of the time (vectorise, nmf, labels), the CPU time of the process (all its
threads; NumPy's BLAS may use more than one) as cpu_seconds, the vocabulary size and NMF's iterations.
nmi is normalized_mutual_info_score(labels, strongest component, average_method="geometric"),
which is I(T; L) / sqrt(H(T) H(L)) as in ahphub's test and bench. With -r R the pipeline runs
R times and the median time is printed. --seed sets random_state (the randomised SVD of the
start; default 1).

Init: "nndsvda" (NNDSVD with its zeros filled by the mean of X) is what ahphub's nmf.c does and
what scikit-learn >= 1.1 picks by default for this shape; --init nndsvd gives plain NNDSVD.

Stop words: ahphub's list, read as vocab.c's stopwords_parse reads it (# comment lines and
blank lines skipped, lower-cased). scikit-learn removes stop words after its own tokenisation
(token_pattern \\b\\w\\w+\\b), which splits "don't" into "don" + "t"; the pieces of each listed
word are added to the list, as scikit-learn's "stop_words may be inconsistent" warning asks,
so the same words are removed on both sides. The differences that remain are listed in
bench/themes_compare.sh.
"""
import json
import re
import sys
import time
import warnings


def load_stopwords(path):
    words = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            w = line.strip().lower()
            if not w or w.startswith("#"):
                continue
            words.add(w)
            words.update(re.findall(r"(?u)\b\w\w+\b", w))
    return sorted(words)


def main(argv):
    verbose, rounds, seed, init = False, 1, 1, "nndsvda"
    args = list(argv[1:])
    while args and args[0].startswith("-"):
        opt = args.pop(0)
        if opt == "-v":
            verbose = True
        elif opt == "-r":
            rounds = int(args.pop(0))
        elif opt == "--seed":
            seed = int(args.pop(0))
        elif opt == "--init":
            init = args.pop(0)
        else:
            break
    if len(args) not in (2, 3):
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    path, k = args[0], int(args[1])
    stop = load_stopwords(args[2] if len(args) == 3 else "data/stopwords-en.txt")

    import numpy as np
    import sklearn
    from sklearn.decomposition import NMF
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import normalized_mutual_info_score

    warnings.simplefilter("ignore", ConvergenceWarning)
    labels, texts = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            lab, sep, text = line.rstrip("\n").partition("\t")
            if sep and text:
                labels.append(lab)
                texts.append(text)

    runs, cpus = [], []
    for _ in range(rounds):
        t0, c0 = time.perf_counter(), time.process_time()
        vec = TfidfVectorizer(sublinear_tf=True, smooth_idf=True, norm="l2",
                              ngram_range=(1, 2), min_df=2, max_df=0.8, stop_words=stop)
        x = vec.fit_transform(texts)
        t1 = time.perf_counter()
        nmf = NMF(n_components=k, init=init, solver="cd", max_iter=200, tol=1e-4,
                  random_state=seed)
        w = nmf.fit_transform(x)
        t2 = time.perf_counter()
        names = vec.get_feature_names_out()
        tops = [[names[i] for i in np.argsort(-row)[:10]] for row in nmf.components_]
        t3 = time.perf_counter()
        cpus.append(time.process_time() - c0)
        runs.append((t3 - t0, t1 - t0, t2 - t1, t3 - t2))
    runs.sort()
    total, tv, tn, tl = runs[len(runs) // 2]
    cpu = sorted(cpus)[len(cpus) // 2]
    pred = np.argmax(w, axis=1)
    score = normalized_mutual_info_score(labels, pred, average_method="geometric")
    print(json.dumps({
        "bench": "themes_vs_sklearn", "texts": len(texts), "system": "scikit-learn", "k": k,
        "seconds": round(total, 4), "cpu_seconds": round(cpu, 4), "nmi": round(float(score), 4),
        "terms": x.shape[1], "vectorise_s": round(tv, 4), "nmf_s": round(tn, 4),
        "labels_s": round(tl, 4), "n_iter": int(nmf.n_iter_), "init": init, "seed": seed,
        "sklearn": sklearn.__version__,
    }, separators=(",", ":")), flush=True)
    if verbose:
        for j, terms in enumerate(tops):
            size = int((pred == j).sum())
            sys.stderr.write(f"  component {j} ({size} texts): {'; '.join(terms)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
