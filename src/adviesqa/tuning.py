"""Every weight and threshold of retrieval and answering, in one object loaded from one file
(`tuning.toml` beside this module, or the file named by ADVIESQA_TUNING_FILE).

Benchmarks vary a copy (`tuning.replace_at("evidence.rank_prior", 0.1)`) and pass it to the
engine; no module global is patched. Values are chosen on the tune half of
tests/data/gold_everyday.jsonl (see tests/data/README.md) and checked on its validate half and
on the regression set tests/data/gold.jsonl; the comments in tuning.toml give the measurements.
Per-language values fall back to the "default" entry, so a third language needs no edit here."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, is_dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from .errors import ConfigError

T = TypeVar("T")


@dataclass(frozen=True)
class LangWeights:
    """How a sentence is scored for a question in one language: an English question shares few
    stems with Dutch text, so the model's similarity counts for more and shared words for less."""

    similarity: float = 0.55
    coverage: float = 0.2
    # lexical (BM25) list's weight in the fusion
    lexical: float = 1.0
    # the least match in meaning (cosine of question and best chosen sentence) that answers, and
    # the least it must stand out above the question's ordinary matches (Signals.margin)
    min_similarity: float = -1.0
    min_margin: float = -1.0
    # the least share of the question's words (weighted by rarity; words the documents never use
    # do not count) that the chosen sentences cover
    min_coverage: float = 0.0


@dataclass(frozen=True)
class FusionTuning:
    rrf_k: int = 60
    # weight of the third list in the fusion: passages by their best sentence (rerank.unit_search); 0: off
    units: float = 0.0


@dataclass(frozen=True)
class RerankTuning:
    """Evidence rerank: best sentence similarity + passage similarity + share of the question's
    content words + the RRF score (benchmarks/rerank_weights.py)."""

    sentence: float = 1.0
    passage: float = 0.5
    coverage: float = 0.2
    fusion: float = 2.0
    head: int = 30  # passages of the fused list that are reordered
    # similarity an English unit loses for an English question (the model favours its own language)
    language_bias: float = 0.04


@dataclass(frozen=True)
class EvidenceTuning:
    """How the extractive answerer scores and picks sentences (benchmarks/answer_weights.py)."""

    bonus: float = 0.5
    rank_prior: float = 0.12
    top_passages: int = 8
    same_passage_floor: float = 0.85
    other_passage_floor: float = 0.75
    single_value_floor: float = 0.95
    max_sentences: int = 3
    # bonuses by what the question asks for (before `bonus` scales them)
    number_figure: float = 0.08
    number_any: float = 0.03
    year: float = 0.06
    list_intro: float = 0.02
    source: float = 0.04
    reason: float = 0.0  # a sentence that states a reason, for a "why" question
    named_row: float = 0.16
    figure_caption: float = 0.08
    caption_penalty: float = 0.05
    bibliographic_penalty: float = 0.10
    footnote_penalty: float = 0.05
    # the sentence after a chosen one joins it when it covers this much more of the question
    follow_gain: float = 0.2
    colon_penalty: float = 0.03
    # a table row chosen for a question that names no row of its table, while another row scores
    # within this much of it: the answer gives the asked column for every row (compose.column_sentence)
    row_tie: float = 0.01
    # a question word of at least this many letters counts as said by a sentence that holds it
    # inside a compound ("durfkapitaal" in "durfkapitaalsysteem"; text.tokens.in_compounds); 0: never
    compound_letters: int = 5
    # when the best sentence of a count question counts nothing or something else, a sentence
    # scoring at least this share of its score that counts what is asked answers instead
    # (run.counted_instead); above 1: never
    value_fallback: float = 2.0


@dataclass(frozen=True)
class AbstentionTuning:
    """When the evidence does not answer: thresholds on the match in meaning between the question
    and the chosen sentences, and on the score of the best sentence."""

    min_score: float = -1e9
    min_coverage: float = 0.0
    name_passages: int = 3
    # a question word that neither the documents nor the language know ("ecologiepremie") means
    # the documents do not treat it, unless the best match stands out at least this much
    unknown_margin: float = -1.0


@dataclass(frozen=True)
class Tuning:
    fusion: FusionTuning = field(default_factory=FusionTuning)
    rerank: RerankTuning = field(default_factory=RerankTuning)
    evidence: EvidenceTuning = field(default_factory=EvidenceTuning)
    abstention: AbstentionTuning = field(default_factory=AbstentionTuning)
    languages: dict[str, LangWeights] = field(default_factory=lambda: {"default": LangWeights()})
    # the evidence rerank's weights for questions in one language ([rerank_languages.en]: what
    # it does not set comes from [rerank])
    rerank_languages: dict[str, RerankTuning] = field(default_factory=dict)

    def lang(self, lang: str) -> LangWeights:
        return self.languages.get(lang) or self.languages.get("default") or LangWeights()

    def rerank_for(self, lang: str | None) -> RerankTuning:
        """The rerank weights for a question in `lang` (None: the [rerank] ones)."""
        return self.rerank_languages.get(lang or "", self.rerank)

    def replace_at(self, dotted: str, value: Any) -> Tuning:
        """A copy with one value changed: "evidence.rank_prior", "languages.nl.similarity"."""
        head, _, rest = dotted.partition(".")
        if head == "languages":
            lang, _, name = rest.partition(".")
            langs = dict(self.languages)
            langs[lang] = replace(self.lang(lang), **{name: value})
            return replace(self, languages=langs)
        if head == "rerank_languages":
            lang, _, name = rest.partition(".")
            by_lang = dict(self.rerank_languages)
            by_lang[lang] = replace(self.rerank_for(lang), **{name: value})
            return replace(self, rerank_languages=by_lang)
        group = getattr(self, head)
        return replace(self, **{head: replace(group, **{rest: value})})

    def get(self, dotted: str) -> Any:
        head, _, rest = dotted.partition(".")
        if head == "languages":
            lang, _, name = rest.partition(".")
            return getattr(self.lang(lang), name)
        if head == "rerank_languages":
            lang, _, name = rest.partition(".")
            return getattr(self.rerank_for(lang), name)
        return getattr(getattr(self, head), rest)


def _build(cls: type[T], data: dict[str, Any], where: str) -> T:
    names = {f.name: f for f in fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(data) - set(names))
    if unknown:
        raise ConfigError(f"{where}: unknown setting(s) {unknown}; known: {sorted(names)}")
    kwargs: dict[str, Any] = {}
    for k, v in data.items():
        default = getattr(cls(), k)
        if isinstance(default, bool) or not isinstance(v, (int, float)) or isinstance(v, bool):
            raise ConfigError(f"{where}.{k}: a number is needed, got {v!r}")
        kwargs[k] = int(v) if isinstance(default, int) else float(v)
    return cls(**kwargs)


def parse_tuning(data: dict[str, Any], where: str = "tuning") -> Tuning:
    groups = {
        "fusion": FusionTuning,
        "rerank": RerankTuning,
        "evidence": EvidenceTuning,
        "abstention": AbstentionTuning,
    }
    unknown = sorted(set(data) - set(groups) - {"languages", "rerank_languages"})
    if unknown:
        known = sorted(groups) + ["languages", "rerank_languages"]
        raise ConfigError(f"{where}: unknown section(s) {unknown}; known: {known}")
    kwargs: dict[str, Any] = {
        name: _build(cls, data.get(name, {}), f"{where} [{name}]") for name, cls in groups.items()
    }
    langs = {
        lang: _build(LangWeights, vals, f"{where} [languages.{lang}]")
        for lang, vals in data.get("languages", {}).items()
    }
    langs.setdefault("default", LangWeights())
    rerank_langs = {
        lang: _build(RerankTuning, {**data.get("rerank", {}), **vals}, f"{where} [rerank_languages.{lang}]")
        for lang, vals in data.get("rerank_languages", {}).items()
    }
    return Tuning(languages=langs, rerank_languages=rerank_langs, **kwargs)


DEFAULT_FILE = "tuning.toml"


@lru_cache(maxsize=8)
def load_tuning(path: Path | None = None) -> Tuning:
    """The tuning file: `path`, else the one shipped with the package."""
    if path is None:
        text = resources.files("adviesqa").joinpath(DEFAULT_FILE).read_text(encoding="utf-8")
        where = f"adviesqa/{DEFAULT_FILE}"
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(
                f"{path}: the tuning file cannot be read ({exc.strerror}); fix ADVIESQA_TUNING_FILE"
            ) from exc
        where = str(path)
    try:
        return parse_tuning(tomllib.loads(text), where)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: not valid TOML ({exc}); fix the file") from exc


def as_dict(t: Any) -> Any:
    """Plain data (for benchmark output)."""
    if is_dataclass(t):
        return {f.name: as_dict(getattr(t, f.name)) for f in fields(t)}
    if isinstance(t, dict):
        return {k: as_dict(v) for k, v in t.items()}
    return t


def tuning_path(path: Path | None = None) -> Path:
    """The file `load_tuning(path)` reads."""
    return Path(path) if path is not None else Path(str(resources.files("adviesqa").joinpath(DEFAULT_FILE)))


def save_values(values: dict[str, float], path: Path | None = None) -> Path:
    """Write chosen values ("abstention.min_score": 0.71) into the tuning file, keeping its
    comments and everything else as it is."""
    import tomlkit

    target = tuning_path(path)
    doc = tomlkit.parse(target.read_text(encoding="utf-8"))
    for dotted, value in values.items():
        *groups, name = dotted.split(".")
        table: Any = doc
        for g in groups:
            if g not in table:
                table[g] = tomlkit.table()
            table = table[g]
        table[name] = value
    parse_tuning(tomllib.loads(tomlkit.dumps(doc)), str(target))  # what is written must load
    target.write_text(tomlkit.dumps(doc), encoding="utf-8")
    load_tuning.cache_clear()
    return target
