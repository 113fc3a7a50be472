"""Optional generative answers through a LangChain chat model (`LLMAnswerer`).

The passages go into the prompt as data (inside <passage> elements, escaped), the model is
told to use nothing else, and its output is checked: every [n] must name a passage given
(others are removed and flagged), and every number it states must occur in a cited passage,
else the answer is flagged and the caller falls back to the extractive answer."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import BaseMessage
from langchain_core.prompts import ChatPromptTemplate

from ..config import Settings
from ..errors import ConfigError, ModelError
from ..text.languages import alternation, document_language, language
from ..text.numbers import WRITTEN_NUMBER, digits_of
from ..types import Citation, Hit
from .answerer import Answerer, Evidence
from .compose import Draft
from .question import Question

PROMPT = ChatPromptTemplate.from_messages(
    [("system", "{system}"), ("human", "<passages>\n{passages}\n</passages>\n\nVraag / question: {question}")]
)
MARKER = re.compile(r"\[(\d{1,3})\]")


@dataclass
class Generated:
    ok: bool
    text: str
    citations: list[Citation] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


def load_chat_model(settings: Settings) -> BaseChatModel | None:
    """`ADVIESQA_LLM`: "ollama:qwen2.5:7b", "openai:<model>" (with ADVIESQA_LLM_BASE_URL for any
    OpenAI-compatible server), "llamacpp:/path/model.gguf". Empty: None (extractive only)."""
    spec = settings.llm.strip()
    if not spec:
        return None
    provider, _, model = spec.partition(":")
    if not model:
        raise ConfigError(f"ADVIESQA_LLM={spec!r}: use provider:model, e.g. ollama:qwen2.5:7b")
    try:
        if provider == "llamacpp":
            from langchain_community.chat_models import ChatLlamaCpp

            return ChatLlamaCpp(model_path=model, temperature=0)
        from langchain.chat_models import init_chat_model

        kwargs: dict[str, Any] = {"temperature": 0}
        if settings.llm_base_url:
            kwargs["base_url"] = settings.llm_base_url
        if settings.llm_api_key:
            kwargs["api_key"] = settings.llm_api_key
        return init_chat_model(model, model_provider=provider, **kwargs)
    except ImportError as exc:
        raise ModelError(
            f"ADVIESQA_LLM={spec!r} needs the LangChain integration for {provider!r}: pip install -e '.[llm]' ({exc})"
        ) from exc


def render_passages(hits: Sequence[Hit]) -> str:
    return "\n".join(
        f'<passage n="{i}" section="{html.escape(h.chunk.section_str)}" page="{h.chunk.page_start}">'
        f"{html.escape(h.chunk.text)}</passage>"
        for i, h in enumerate(hits, start=1)
    )


def system_prompt(lang: str) -> str:
    """The chat model's instructions in the question's language (text/nl.py, text/en.py),
    naming the documents' language."""
    lg = language(lang)
    return lg.llm_system.format(documents=document_language().names.get(lg.code, document_language().code))


def messages(question: str, hits: Sequence[Hit], lang: str) -> list[BaseMessage]:
    return PROMPT.format_messages(system=system_prompt(lang), passages=render_passages(hits), question=question)


def check_output(raw: str, hits: Sequence[Hit]) -> Generated:
    """Map markers to passages, drop and flag unknown ones, and flag numbers no cited passage holds."""
    flags: list[str] = []
    n = len(hits)

    def keep(m: re.Match[str]) -> str:
        if 1 <= int(m.group(1)) <= n:
            return m.group(0)
        flags.append(f"removed-unknown-marker-{m.group(1)}")
        return ""

    text = re.sub(r"\s+", " ", MARKER.sub(keep, raw)).strip()
    used = sorted({int(x) for x in MARKER.findall(text)})
    citations = [Citation(i, hits[i - 1], "", "") for i in used]
    cited_digits = " ".join(digits_of(t) for t in (hits[i - 1].chunk.text for i in used))
    cited_plain = " ".join(hits[i - 1].chunk.text for i in used)
    for num in WRITTEN_NUMBER.findall(MARKER.sub("", text)):
        d = digits_of(num)
        if d and d not in cited_digits and num.strip() not in cited_plain:
            flags.append(f"number-not-in-cited-passage:{num.strip()}")
    if not used and not re.search(alternation("abstention_phrase"), text, re.I):
        flags.append("no-citations")
    ok = not any(f.startswith(("number-not-in", "no-citations")) for f in flags)
    return Generated(ok, text, citations, flags)


def generate_answer(
    chat_model: BaseChatModel,
    question: str,
    hits: Sequence[Hit],
    lang: str,
    on_token: Callable[[str], None] | None = None,
) -> Generated:
    try:
        if on_token is None:
            raw = chat_model.invoke(messages(question, hits, lang)).content
        else:
            pieces = []
            for piece in stream_answer(chat_model, question, hits, lang):
                pieces.append(piece)
                on_token(piece)
            raw = "".join(pieces)
    except Exception as exc:  # a down server must not take the answer with it
        return Generated(False, "", [], [f"llm-error:{type(exc).__name__}"])
    return check_output(raw if isinstance(raw, str) else str(raw), hits)


def stream_answer(chat_model: BaseChatModel, question: str, hits: Sequence[Hit], lang: str) -> Iterator[str]:
    """Text pieces as the model produces them (for the app); check the joined text with
    `check_output` afterwards."""
    for chunk in chat_model.stream(messages(question, hits, lang)):
        piece = chunk.content
        if isinstance(piece, str) and piece:
            yield piece


class LLMAnswerer:
    """Answers in the model's words from the best passages; an output that fails the checks
    (a number no cited passage holds, no citation) gives way to the extractive answer."""

    mode = "llm"

    def __init__(self, chat_model: BaseChatModel, fallback: Answerer) -> None:
        self.chat_model = chat_model
        self.fallback = fallback

    def answer(self, q: Question, evidence: Evidence, on_token: Callable[[str], None] | None = None) -> Draft:
        hits = evidence.hits[: max(5, evidence.extractive_citations)]
        gen = generate_answer(self.chat_model, q.text, hits, q.lang, on_token)
        if gen.ok:
            return Draft(gen.text, tuple(gen.citations), (), "llm", tuple(gen.flags))
        draft = self.fallback.answer(q, evidence)
        return replace(draft, flags=tuple(gen.flags) + ("fallback-extractive",))
