#!/usr/bin/python3
"""Regenerates the ROUGE reference fixtures that the Java tests of the metrics module compare against.

Independent reference, not a copy of the Java code:
- Stems come from NLTK's real PorterStemmer (nltk.stem.porter, default mode NLTK_EXTENSIONS), the
  stemmer Google's rouge-score uses. Debian's python3-nltk provides it:
      apt-get install -y python3-nltk && /usr/bin/python3 metrics/src/test/python/make_fixtures.py
- Scores come from a line-by-line transcription of rouge-score's algorithm (google-research/google-research,
  rouge/tokenize.py, rouge/tokenizers.py DefaultTokenizer, rouge/rouge_scorer.py RougeScorer.score,
  _create_ngrams, _score_ngrams, _score_lcs, _lcs_table, _backtrack_norec, _summary_level_lcs,
  _union_lcs, _find_union, lcs_ind, and rouge/scoring.py fmeasure). rouge-score itself is not
  installable here; the transcription is checked below against the expectations of rouge-score's own
  rouge/rouge_scorer_test.py before any fixture is written.

Texts are real shared data read in place (../shared/data beside the repository); the fixtures hold only
row references, derived words and numbers. Floats are written with repr(), which round-trips exactly.

Outputs (metrics/src/test/resources/org/instruct4j/metrics/rouge/):
- porter_stems.tsv: "word<TAB>stem" for every distinct token longer than 3 characters (the tokens rouge-score
  stems) of the Alpaca 5,000-row subset, the Self-Instruct predictions and the 175 seed tasks.
- rouge_pairs.tsv: one line per (target, prediction, stemming) with P/R/F of rouge1, rouge2, rougeL,
  rougeLsum. A text reference is "alpaca/<row>/<field>" (alpaca/alpaca_5000_subset_pr152.json) or
  "self_instruct/<line>/<field>" (self_instruct/predictions/text-davinci-003_predictions.jsonl).
"""
import collections
import json
import os
import re

from nltk.stem import porter

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", "..", ".."))
DATA = os.path.join(os.path.dirname(REPO), "shared", "data")
OUT = os.path.join(REPO, "metrics", "src", "test", "resources", "org", "instruct4j", "metrics", "rouge")
TYPES = ["rouge1", "rouge2", "rougeL", "rougeLsum"]


# ---- transcription of rouge-score: tokenize.py ----
def tokenize(text, stemmer):
    text = text.lower()
    text = re.sub(r"[^a-z0-9]+", " ", text)
    tokens = re.split(r"\s+", text)
    if stemmer:
        tokens = [stemmer.stem(x) if len(x) > 3 else x for x in tokens]
    return [x for x in tokens if re.match(r"^[a-z0-9]+$", x)]


# ---- transcription of rouge-score: scoring.py ----
def fmeasure(precision, recall):
    if precision + recall > 0:
        return 2 * precision * recall / (precision + recall)
    return 0.0


def score_tuple(precision, recall):
    return (precision, recall, fmeasure(precision, recall))


# ---- transcription of rouge-score: rouge_scorer.py ----
def score(target, prediction, stemmer):
    target_tokens = tokenize(target, stemmer)
    prediction_tokens = tokenize(prediction, stemmer)
    result = {}
    for rouge_type in TYPES:
        if rouge_type == "rougeL":
            result[rouge_type] = _score_lcs(target_tokens, prediction_tokens)
        elif rouge_type == "rougeLsum":
            def get_sents(text):
                return [x for x in text.split("\n") if len(x)]
            result[rouge_type] = _summary_level_lcs(
                [tokenize(s, stemmer) for s in get_sents(target)],
                [tokenize(s, stemmer) for s in get_sents(prediction)])
        else:
            n = int(rouge_type[5:])
            result[rouge_type] = _score_ngrams(_create_ngrams(target_tokens, n),
                                               _create_ngrams(prediction_tokens, n))
    return result


def _create_ngrams(tokens, n):
    ngrams = collections.Counter()
    for ngram in (tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)):
        ngrams[ngram] += 1
    return ngrams


def _score_lcs(target_tokens, prediction_tokens):
    if not target_tokens or not prediction_tokens:
        return (0, 0, 0)
    lcs_length = _lcs_table(target_tokens, prediction_tokens)[-1][-1]
    return score_tuple(lcs_length / len(prediction_tokens), lcs_length / len(target_tokens))


def _lcs_table(ref, can):
    rows, cols = len(ref), len(can)
    table = [[0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(1, rows + 1):
        for j in range(1, cols + 1):
            if ref[i - 1] == can[j - 1]:
                table[i][j] = table[i - 1][j - 1] + 1
            else:
                table[i][j] = max(table[i - 1][j], table[i][j - 1])
    return table


def _backtrack_norec(t, ref, can):
    i, j = len(ref), len(can)
    lcs = []
    while i > 0 and j > 0:
        if ref[i - 1] == can[j - 1]:
            lcs.insert(0, i - 1)
            i -= 1
            j -= 1
        elif t[i][j - 1] > t[i - 1][j]:
            j -= 1
        else:
            i -= 1
    return lcs


def _summary_level_lcs(ref_sent, can_sent):
    if not ref_sent or not can_sent:
        return (0, 0, 0)
    m = sum(map(len, ref_sent))
    n = sum(map(len, can_sent))
    if not n or not m:
        return (0, 0, 0)
    token_cnts_r = collections.Counter()
    token_cnts_c = collections.Counter()
    for s in ref_sent:
        token_cnts_r.update(s)
    for s in can_sent:
        token_cnts_c.update(s)
    hits = 0
    for r in ref_sent:
        for t in _union_lcs(r, can_sent):
            if token_cnts_c[t] > 0 and token_cnts_r[t] > 0:
                hits += 1
                token_cnts_c[t] -= 1
                token_cnts_r[t] -= 1
    return score_tuple(hits / n, hits / m)


def _union_lcs(ref, c_list):
    lcs_list = [lcs_ind(ref, c) for c in c_list]
    return [ref[i] for i in _find_union(lcs_list)]


def _find_union(lcs_list):
    return sorted(list(set().union(*lcs_list)))


def lcs_ind(ref, can):
    return _backtrack_norec(_lcs_table(ref, can), ref, can)


def _score_ngrams(target_ngrams, prediction_ngrams):
    intersection = 0
    for ngram in target_ngrams:
        intersection += min(target_ngrams[ngram], prediction_ngrams[ngram])
    precision = intersection / max(sum(prediction_ngrams.values()), 1)
    recall = intersection / max(sum(target_ngrams.values()), 1)
    return score_tuple(precision, recall)


def check_transcription():
    """The expectations of rouge-score's own rouge_scorer_test.py."""
    def close(a, b, places=7):
        assert round(abs(a - b), places) == 0, (a, b)
    s = score("testing one two", "testing", None)["rouge1"]
    close(s[0], 1); close(s[1], 1 / 3); close(s[2], 1 / 2)
    s = score("testing one two", "testing one", None)
    close(s["rouge2"][0], 1); close(s["rouge2"][1], 1 / 2); close(s["rouge2"][2], 2 / 3)
    close(s["rougeL"][0], 1); close(s["rougeL"][1], 2 / 3); close(s["rougeL"][2], 4 / 5)
    s = score("testing one two", "testing two", None)["rougeL"]
    close(s[2], 4 / 5)
    for t in TYPES:
        assert score("testing one two", "", None)[t] == (0, 0, 0)
    t = _lcs_table([1, 2, 3, 4, 5], [2, 5, 3, 4])
    assert t[5][4] == 3 and _backtrack_norec(t, [1, 2, 3, 4, 5], [2, 5, 3, 4]) == [1, 2, 3]
    assert _union_lcs([1, 2, 3, 4, 5], [[1, 2, 6, 7, 8], [1, 3, 8, 9, 5]]) == [1, 2, 3, 5]
    s = _summary_level_lcs([[1, 2, 3, 4, 5]], [[1, 2, 6, 7, 8], [1, 3, 8, 9, 5]])
    assert s[1] == 0.8 and s[0] == 0.4
    close(s[2], 0.5333, 3)
    assert _summary_level_lcs([["reference"]], [[]])[1] == 0.0
    s = score("w1 w2 w3 w4 w5", "w1 w2 w6 w7 w8\nw1 w3 w8 w9 w5", None)["rougeLsum"]
    close(s[1], 0.8); close(s[0], 0.4); close(s[2], 0.5333, 3)
    assert score("w1 w2 w3 w4 w5", "/", None)["rougeLsum"] == (0, 0, 0)


def load_texts():
    with open(os.path.join(DATA, "alpaca", "alpaca_5000_subset_pr152.json"), encoding="utf-8") as f:
        alpaca = json.load(f)
    with open(os.path.join(DATA, "self_instruct", "predictions", "text-davinci-003_predictions.jsonl"),
              encoding="utf-8") as f:
        self_instruct = [json.loads(line) for line in f]
    with open(os.path.join(DATA, "alpaca", "seed_tasks.jsonl"), encoding="utf-8") as f:
        seeds = [json.loads(line) for line in f]
    return {"alpaca": alpaca, "self_instruct": self_instruct}, seeds


def text(sources, ref):
    name, row, field = ref.split("/")
    return sources[name][int(row)][field]


def choose_pairs(sources):
    """Deterministic choice of (target ref, prediction ref): every Self-Instruct prediction against its
    target, plus Alpaca pairs of low, high and non-ASCII overlap, and short instruction pairs."""
    alpaca = sources["alpaca"]
    pairs = [(f"self_instruct/{i}/target", f"self_instruct/{i}/response")
             for i in range(len(sources["self_instruct"]))]
    pairs += [(f"alpaca/{i}/output", f"alpaca/{i + 1}/output") for i in range(0, 4000, 50)]

    def most_similar(i, field, window):
        def overlap(j):
            return score(alpaca[i][field], alpaca[j][field], None)["rouge1"][2]
        candidates = [(i + k) % len(alpaca) for k in range(1, window)]
        return max(candidates, key=lambda j: (overlap(j), -j))
    pairs += [(f"alpaca/{i}/output", f"alpaca/{most_similar(i, 'output', 60)}/output")
              for i in range(7, 5000, 125)]
    pairs += [(f"alpaca/{i}/instruction", f"alpaca/{most_similar(i, 'instruction', 200)}/instruction")
              for i in range(3, 5000, 170)]
    non_ascii = [i for i, r in enumerate(alpaca) if any(ord(c) > 127 for c in r["output"])][:30]
    pairs += [(f"alpaca/{i}/output", f"alpaca/{i}/input" if alpaca[i]["input"] else f"alpaca/{i}/instruction")
              for i in non_ascii]
    return pairs


def main():
    check_transcription()
    sources, seeds = load_texts()
    stemmer = porter.PorterStemmer()
    os.makedirs(OUT, exist_ok=True)

    texts = [r[f] for r in sources["alpaca"] for f in ("instruction", "input", "output")]
    texts += [r[f] for r in sources["self_instruct"] for f in ("instruction", "input", "target", "response")]
    texts += [s["instruction"] for s in seeds]
    texts += [inst[f] for s in seeds for inst in s["instances"] for f in ("input", "output")]
    words = sorted({w for t in texts for w in tokenize(t, None) if len(w) > 3})
    with open(os.path.join(OUT, "porter_stems.tsv"), "w", encoding="utf-8", newline="\n") as f:
        for w in words:
            f.write(f"{w}\t{stemmer.stem(w)}\n")

    columns = [f"{t}_{m}" for t in TYPES for m in ("precision", "recall", "fmeasure")]
    with open(os.path.join(OUT, "rouge_pairs.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\t".join(["target", "prediction", "stemming"] + columns) + "\n")
        for target_ref, prediction_ref in choose_pairs(sources):
            for use_stemmer in (False, True):
                scores = score(text(sources, target_ref), text(sources, prediction_ref),
                               stemmer if use_stemmer else None)
                values = [repr(float(v)) for t in TYPES for v in scores[t]]
                f.write("\t".join([target_ref, prediction_ref, str(use_stemmer).lower()] + values) + "\n")
    print(f"{len(words)} stems, fixtures in {OUT}")


if __name__ == "__main__":
    main()
