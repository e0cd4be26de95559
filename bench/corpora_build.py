#!/usr/bin/python3
"""bench/corpora_build.py: labelled text corpora from what Debian ships, for bench/corpora.sh

Usage: /usr/bin/python3 bench/corpora_build.py OUTDIR [SIZE ...]
       (CORPORA="packages-5 man-6" builds only those)

Writes, in OUTDIR, one "label<TAB>text" line per text (the format bench/themes_compare.py and
build/bench/corpora_themes read), for each corpus at its natural size (NAME-natural.tsv) and
at each SIZE (NAME-SIZE.tsv), and prints one JSON line per file: corpus, texts, labels (k).

Corpora (built from this machine, so they are the same on any Debian bookworm install):
  packages-N   (N = 5, 10, 15, 20, 30) the one-line package descriptions (the Description:
               synopsis) of apt's package lists (/var/lib/apt/lists/*_Packages.lz4,
               decompressed with the lz4 program, or `apt-cache dumpavail` when there are
               none), labelled by Section (an area prefix such as contrib/ removed), keeping
               the N largest sections (ties by name). A synopsis that appears more than once in
               a section is kept once; one that appears in two sections is dropped (its label
               would be a coin toss).
  man-6        the NAME line of each English manual page in /usr/share/man/manN installed by
               a package of those lists (dpkg's file lists say which; pages from other
               sources are left out), the text after "\\-", roff escapes removed, labelled by
               the section N; sections with at least 200 pages (1, 2, 3, 5, 7, 8 here). The
               same dedup rule. Which pages there are depends on what is installed.
Scaling to SIZE: texts drawn uniformly with replacement from the natural corpus (random.Random
with a fixed seed per corpus and size), each given a light variation with probability 1/2:
one of its words (of four or more) left out. Labels keep the natural proportions.
"""
import glob
import gzip
import json
import os
import random
import re
import subprocess
import sys


def packages_stanzas():
    lists = sorted(glob.glob("/var/lib/apt/lists/*_Packages.lz4"))
    if lists:
        for path in lists:
            yield subprocess.run(["lz4", "-dc", path], check=True,
                                 capture_output=True).stdout.decode("utf-8", "replace")
    else:
        yield subprocess.run(["apt-cache", "dumpavail"], check=True,
                             capture_output=True).stdout.decode("utf-8", "replace")


def packages_pairs():
    pairs = []
    seen_pkg = set()
    for text in packages_stanzas():
        for stanza in text.split("\n\n"):
            fields = {}
            for line in stanza.split("\n"):
                m = re.match(r"^([A-Za-z0-9-]+):\s*(.*)$", line)
                if m:
                    fields[m.group(1)] = m.group(2)
            pkg, sec, desc = fields.get("Package"), fields.get("Section"), fields.get("Description")
            if not pkg or not sec or not desc or pkg in seen_pkg:
                continue
            seen_pkg.add(pkg)
            pairs.append((sec.split("/")[-1], desc.strip()))
    return pairs, seen_pkg


ROFF = re.compile(r"\\f[BIRP]|\\f\(..|\\s[-+]?\d|\\\(..|\\\*\(..|\\[&|^%e]")


def debian_man_pages(debian_pkgs):
    """The English manual pages installed by packages that Debian's archive holds (dpkg's file
    lists), so pages installed from elsewhere (here google-cloud-cli's 16,000 gcloud pages)
    do not make the corpus."""
    pages = set()
    for lst in glob.glob("/var/lib/dpkg/info/*.list"):
        pkg = os.path.basename(lst)[:-5].split(":")[0]
        if pkg not in debian_pkgs:
            continue
        with open(lst, encoding="utf-8", errors="replace") as f:
            for line in f:
                line = line.rstrip("\n")
                if re.match(r"^/usr/share/man/man[0-9]/[^/]+$", line):
                    pages.add(line)
    return pages


def man_pairs(debian_pkgs):
    pairs = []
    pages = debian_man_pages(debian_pkgs)
    for path in sorted(glob.glob("/usr/share/man/man[0-9]/*")):
        if path not in pages:
            continue
        sec = os.path.basename(os.path.dirname(path))[3:]
        try:
            opener = gzip.open if path.endswith(".gz") else open
            with opener(path, "rt", encoding="utf-8", errors="replace") as f:
                lines = f.read(20000).split("\n")
        except OSError:
            continue
        for i, line in enumerate(lines):
            if re.match(r'^\.S[Hh]\s+"?(NAME|Name)"?\s*$', line):
                body = []
                for nxt in lines[i + 1:i + 6]:
                    if nxt.startswith(".S") and body:
                        break
                    if nxt.startswith(".") and not nxt.startswith(".Nd"):
                        continue
                    body.append(nxt[4:] if nxt.startswith(".Nd ") else nxt)
                line = " ".join(body)
                if "\\-" in line:
                    text = line.split("\\-", 1)[1]
                elif " - " in line:
                    text = line.split(" - ", 1)[1]
                else:
                    break
                text = ROFF.sub("", text).replace("\\", "").strip()
                if len(text.split()) >= 2:
                    pairs.append((sec, text))
                break
    return pairs


def clean(pairs, keep):
    """Keeps the labels in keep; a text once per label; drops texts found under two labels."""
    labels_of = {}
    for lab, text in pairs:
        if lab in keep:
            labels_of.setdefault(text, set()).add(lab)
    out = sorted((next(iter(labs)), text) for text, labs in labels_of.items() if len(labs) == 1)
    return out


def sections(pairs, top=None, at_least=0):
    counts = {}
    for lab, _ in pairs:
        counts[lab] = counts.get(lab, 0) + 1
    ranked = sorted(counts, key=lambda s: (-counts[s], s))
    if top:
        ranked = ranked[:top]
    return {s for s in ranked if counts[s] >= at_least}


def write(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for lab, text in rows:
            f.write(f"{lab}\t{' '.join(text.split())}\n")


def scaled(rows, n, seed):
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        lab, text = rows[rng.randrange(len(rows))]
        words = text.split()
        if len(words) >= 4 and rng.random() < 0.5:
            del words[rng.randrange(len(words))]
        out.append((lab, " ".join(words)))
    return out


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    outdir, sizes = argv[1], [int(s) for s in argv[2:]]
    os.makedirs(outdir, exist_ok=True)
    pk, debian_pkgs = packages_pairs()
    mp = man_pairs(debian_pkgs)
    corpora = {f"packages-{n}": clean(pk, sections(pk, top=n)) for n in (5, 10, 15, 20, 30)}
    corpora["man-6"] = clean(mp, sections(mp, at_least=200))
    only = os.environ.get("CORPORA")
    for ci, (name, rows) in enumerate(corpora.items()):  # ci: the seed, whatever is built
        if only and name not in only.split():
            continue
        k = len({lab for lab, _ in rows})
        if not 5 <= k <= 30:
            sys.stderr.write(f"corpora_build: {name} has {k} labels, outside 5..30\n")
        variants = [("natural", rows)] + [(str(n), scaled(rows, n, 1000 * ci + i))
                                           for i, n in enumerate(sizes)]
        for tag, data in variants:
            path = os.path.join(outdir, f"{name}-{tag}.tsv")
            write(path, data)
            print(json.dumps({"corpus": name, "size": tag, "texts": len(data), "labels": k,
                              "file": path}, separators=(",", ":")), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
