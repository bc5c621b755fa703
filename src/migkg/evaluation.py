"""Score extraction against a gold file (the dev set's gold.jsonl schema).

Each document is built on its own, through the whole pipeline, and its
`agreements` JSON is compared with the gold agreements of that document.
Scalar fields (type, status, signed_on, place, validity, builds_on) score
as accuracy over gold agreements; parties and signatories as precision,
recall and F1 over the items.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .organizations import fold

GOLD_TYPES = {"memorandum of understanding", "cooperation agreement", "plan of action", "framework agreement",
              "joint declaration", "letter of intent", "host country agreement"}
FIELDS = ("parties", "type", "status", "signed_on", "place", "signatories", "themes", "validity", "builds_on")


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Score:
    fields: dict[str, Tally] = field(default_factory=lambda: {f: Tally() for f in FIELDS})
    misses: list[str] = field(default_factory=list)
    invented_dates: int = 0

    def table(self) -> str:
        rows = [f"{'field':<12} {'precision':>9} {'recall':>7} {'F1':>6}"]
        for name, t in self.fields.items():
            rows.append(f"{name:<12} {t.precision:>9.2f} {t.recall:>7.2f} {t.f1:>6.2f}")
        rows.append(f"dates where the gold has none: {self.invented_dates}")
        return "\n".join(rows)

    def as_dict(self) -> dict:
        return {"fields": {k: {"precision": round(t.precision, 4), "recall": round(t.recall, 4), "f1": round(t.f1, 4),
                               "tp": t.tp, "fp": t.fp, "fn": t.fn} for k, t in self.fields.items()},
                "invented_dates": self.invented_dates, "misses": self.misses}


def _norm(s: str | None) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold(s or "")).strip()


_STATE = re.compile(r"^(?:the\s+)?(?:government|state|republic|kingdom|gouvernement|gobierno|el gobierno|la)\s+(?:of\s+|de\s+|du\s+)?(?:the\s+)?", re.I)


def _country_code(name: str) -> str | None:
    from .places import country

    c = country(_STATE.sub("", name.strip()))
    return c.code if c else None


def _party_match(gold: dict, pred: dict) -> bool:
    g_names = {_norm(n) for n in [gold.get("name"), gold.get("acronym"), *gold.get("names_in_text", [])] if n}
    p_names = {_norm(n) for n in (pred.get("label"), pred.get("acronym")) if n}
    if g_names & p_names:
        return True
    if gold.get("kind") == "government":
        codes = {_country_code(n) for n in [gold.get("name"), *gold.get("names_in_text", [])] if n} - {None}
        if codes and _country_code(pred.get("label") or "") in codes:
            return True
    gname = _norm(gold.get("name"))
    return any(n and (n in gname or gname in n) and len(n) > 6 for n in p_names)


def _type(label: str | None) -> str:
    label = (label or "").lower()
    if label.startswith("other") or label not in GOLD_TYPES:
        return "other"
    return label


def _status(s: str | None) -> str:
    return {"to be signed": "announced"}.get(s or "", s or "")


def _date_ok(gold: str | None, pred: str | None) -> bool:
    if gold == pred:
        return True
    return bool(gold and pred and pred.startswith("--") and gold[4:] == pred[1:])


def _place_ok(gold: str | None, pred: str | None) -> bool:
    if not gold or not pred:
        return gold == pred
    return _norm(gold.split(",")[0]) == _norm(pred.split(",")[0])


def _surname(name: str) -> str:
    return _norm(name).split()[-1] if _norm(name) else ""


def score_document(gold_agreements: list[dict], predicted: list[dict], label: str, score: Score) -> None:
    used = set()
    earlier = {iri for p in predicted for iri in p["builds_on"]}
    for g in gold_agreements:
        best, best_n = None, (0, False)
        for i, p in enumerate(predicted):
            n = (sum(any(_party_match(gp, pp) for pp in p["parties"]) for gp in g["parties"]), p["iri"] not in earlier)
            if i not in used and n[0] > 0 and n > best_n:
                best, best_n = i, n
        p = predicted[best] if best is not None else None
        if best is not None:
            used.add(best)
        _score_pair(g, p, label, score)
    for i, p in enumerate(predicted):
        if i not in used and p["iri"] not in earlier:
            score.fields["parties"].fp += len(p["parties"])
            score.misses.append(f"{label}: extra agreement {p['iri']}")


def _scalar(score: Score, name: str, ok: bool, label: str, gold, pred) -> None:
    t = score.fields[name]
    if ok:
        t.tp += 1
    else:
        t.fp += 1 if pred not in (None, [], "") else 0
        t.fn += 1
        score.misses.append(f"{label}: {name}: gold {gold!r}, got {pred!r}")


def _score_pair(g: dict, p: dict | None, label: str, score: Score) -> None:
    pred_parties = p["parties"] if p else []
    t = score.fields["parties"]
    matched = [gp for gp in g["parties"] if any(_party_match(gp, pp) for pp in pred_parties)]
    t.tp += len(matched)
    t.fn += len(g["parties"]) - len(matched)
    extra = [pp for pp in pred_parties if not any(_party_match(gp, pp) for gp in g["parties"])]
    t.fp += len(extra)
    for gp in g["parties"]:
        if gp not in matched:
            score.misses.append(f"{label}: parties: missed {gp['name']}")
    for pp in extra:
        score.misses.append(f"{label}: parties: extra {pp['label']}")
    p = p or {}
    _scalar(score, "type", _type(g["type"]) == _type(p.get("type")), label, g["type"], p.get("type"))
    _scalar(score, "status", _status(g["status"]) == p.get("status"), label, g["status"], p.get("status"))
    _scalar(score, "signed_on", _date_ok(g["signed_on"], p.get("signed_on")), label, g["signed_on"], p.get("signed_on"))
    if g["signed_on"] is None and p.get("signed_on"):
        score.invented_dates += 1
    _scalar(score, "place", _place_ok(g["place"], p.get("place")), label, g["place"], p.get("place"))
    validity_ok = (g.get("valid_from") == p.get("valid_from")) and (g.get("valid_until") == p.get("valid_until"))
    _scalar(score, "validity", validity_ok, label, (g.get("valid_from"), g.get("valid_until")),
            (p.get("valid_from"), p.get("valid_until")))
    _scalar(score, "builds_on", bool(g.get("builds_on")) == bool(p.get("builds_on")), label, g.get("builds_on"), p.get("builds_on"))
    gs = {_surname(s["name"]) for s in g["signatories"]}
    ps = {_surname(s["name"]) for s in p.get("signatories", [])}
    st = score.fields["signatories"]
    st.tp += len(gs & ps)
    st.fp += len(ps - gs)
    st.fn += len(gs - ps)
    for miss in sorted(gs - ps):
        score.misses.append(f"{label}: signatories: missed {miss}")
    for extra in sorted(ps - gs):
        score.misses.append(f"{label}: signatories: extra {extra}")
    gt = {w for th in g.get("themes", []) for w in _norm(th).split() if len(w) > 4}
    pt = {w for th in p.get("themes", []) for w in _norm(th["label"]).split() if len(w) > 4}
    tt = score.fields["themes"]
    tt.tp += len(gt & pt)
    tt.fp += len(pt - gt)
    tt.fn += len(gt - pt)


def evaluate(gold_path: Path, docs_dir: Path, *, together: bool = False) -> Score:
    """Score what `migkg agreements --format json` prints against the gold.

    By default each document is built on its own (extraction alone); with together=True the
    whole folder is built at once and each gold line is compared with the merged agreement
    its file contributes to (extraction plus resolution across sources)."""
    from .lookups import agreements
    from .pipeline import BuildReport, build_dataset
    import pyoxigraph

    from .export import serialize

    gold = [json.loads(line) for line in Path(gold_path).read_text(encoding="utf-8").splitlines() if line.strip()]
    score = Score()
    by_file: dict[str, list[dict]] = {}
    for entry in gold:
        by_file.setdefault(entry["file"], []).append(entry)
    def predicted_for(paths):
        ds = build_dataset(paths, BuildReport())
        store = pyoxigraph.Store()
        store.load(serialize(ds, "nq"), format=pyoxigraph.RdfFormat.N_QUADS)
        return agreements(store)

    everything = predicted_for([Path(docs_dir) / f for f in sorted(by_file)]) if together else None
    for file_name, entries in sorted(by_file.items()):
        predicted = everything if together else predicted_for([Path(docs_dir) / file_name])
        for entry in entries:
            mine = [a for a in predicted if any(s["file"] == file_name and (len(entries) == 1 or s.get("url") == entry.get("url"))
                                                for s in a["sources"])]
            score_document(entry["agreements"], mine, entry["id"], score)
    return score
