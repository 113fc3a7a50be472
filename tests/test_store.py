"""The index on disk (adviesqa.store): documents written as one record and read back, vectors
kept while a chunk or an answer sentence refers to them, the file record of a version,
cleanup of what dead builds leave, and reading a damaged index (the published version only,
or the one before it). The index under faults as a whole (kills, full disks, the CLI) is
tests/test_reliability.py's and tests/test_index_faults.py's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import garbage, older_version, published, truncate

from adviesqa import store
from adviesqa.embed import FakeEmbedder
from adviesqa.errors import IndexDamagedError, IndexMissingError
from adviesqa.types import (
    Chunk,
    DocumentMeta,
    Footnote,
    IndicatorTable,
    Reference,
    Section,
)

EMB = FakeEmbedder()


def _record(doc_id: str, texts: list[str], sentences: list[list[str]]) -> store.DocumentRecord:
    meta = DocumentMeta(doc_id, f"Titel {doc_id}", f"{doc_id}.md", "0" * 64, year=2014)
    path = ("1 Inleiding",)
    chunks = tuple(Chunk(doc_id, i, "body", t, path, 1, 2, (1,), (f"{doc_id}:tabel-1",), ((len(t), 1),))
                   for i, t in enumerate(texts))
    return store.DocumentRecord(
        meta=meta,
        sections=(Section(doc_id, "1", "1", "Inleiding", 1, path, 1),),
        chunks=chunks,
        embed_keys=tuple(store.embed_key(EMB.name, t) for t in texts),
        footnotes=(Footnote(doc_id, 1, "Zie STORE-beleidsrapport B-14-004.", 2),),
        tables=(IndicatorTable(f"{doc_id}:tabel-1", doc_id, "Tabel 1", "Omzet", columns=("sector", "2013"),
                               rows=(("Bouw", 363900),)),),
        references=(Reference("store-b-14-004", (1,), series="STORE-beleidsrapport", number="B-14-004", doc_id=doc_id),),
        pages_approximate=True,
        sentence_keys=tuple(tuple(store.sentence_key(EMB.name, s) for s in ss) for ss in sentences),
    )


def _write(writer: store.IndexWriter, *records: store.DocumentRecord) -> None:
    keys = {k: t for r in records for k, t in zip(r.embed_keys, (c.text for c in r.chunks))}
    sents = {k: "sentence" + k for r in records for ks in r.sentence_keys for k in ks}
    for r in records:
        writer.put_document(r)
    writer.put_embeddings(list(keys), EMB.embed_passages(list(keys.values())))
    writer.put_embeddings(list(sents), EMB.embed_passages(list(sents.values())))


def _finish(writer: store.IndexWriter, *records: store.DocumentRecord) -> store.IndexReader:
    texts = {cid: c.text for cid, c in writer.chunk_texts()}
    manifest = {"model": {"name": EMB.name, "dim": EMB.dim}, "chunking": {},
                "documents": {r.meta.doc_id: "fp" for r in records}}
    return store.IndexReader(writer.finish(manifest, texts, EMB.dim))


def test_a_document_record_is_written_and_read_back(tmp_path: Path) -> None:
    doc = _record("nota", ["Het QUOKKAFONDS steunt KMO's.", "Het fonds telt 4242 bedrijven."],
                  [["Het QUOKKAFONDS steunt KMO's."], []])
    writer = store.IndexWriter(tmp_path, None)
    _write(writer, doc)
    writer.put_embeddings(["wees"], EMB.embed_passages(["een vector die niemand gebruikt"]))
    reader = _finish(writer, doc)
    assert [sc.chunk for sc in reader.chunks.values()] == list(doc.chunks)
    assert {sc.title for sc in reader.chunks.values()} == {"Titel nota"}
    assert reader.documents == [doc.meta] and reader.approximate == {"nota": True}
    assert reader.sections == list(doc.sections)
    assert reader.footnotes == {("nota", 1): doc.footnotes[0]}
    assert reader.tables == {"nota:tabel-1": doc.tables[0]} and reader.references == list(doc.references)
    # the answer sentences' vectors stay with the index; a vector nothing refers to does not
    kept = reader.vectors([*doc.sentence_keys[0], "wees"])
    assert list(kept) == list(doc.sentence_keys[0])
    assert reader.manifest["counts"] == {"documents": 1, "chunks": 2, "footnotes": 1, "tables": 1, "references": 1}


def test_a_document_written_again_replaces_what_it_had(tmp_path: Path) -> None:
    first = _record("nota", ["Oude tekst een.", "Oude tekst twee."], [["Oude zin."], ["Nog een oude zin."]])
    writer = store.IndexWriter(tmp_path, None)
    _write(writer, first)
    version = writer.finish({"model": {"name": EMB.name, "dim": EMB.dim}, "chunking": {}, "documents": {"nota": "1"}},
                            {cid: c.text for cid, c in writer.chunk_texts()}, EMB.dim)
    second = _record("nota", ["Nieuwe tekst."], [["Nieuwe zin."]])
    writer = store.IndexWriter(tmp_path, version)
    _write(writer, second)
    reader = _finish(writer, second)
    assert [sc.chunk.text for sc in reader.chunks.values()] == ["Nieuwe tekst."]
    assert not reader.vectors([*first.sentence_keys[0], *first.sentence_keys[1]])  # pruned with their chunks
    assert list(reader.vectors(second.sentence_keys[0])) == list(second.sentence_keys[0])


def test_a_record_holds_one_vector_key_per_chunk() -> None:
    doc = _record("nota", ["Een.", "Twee."], [[], []])
    with pytest.raises(ValueError, match="nota: 2 chunks, 1 vector keys"):
        store.DocumentRecord(doc.meta, doc.sections, doc.chunks, doc.embed_keys[:1])
    with pytest.raises(ValueError, match="1 sentence key lists"):
        store.DocumentRecord(doc.meta, doc.sections, doc.chunks, doc.embed_keys, sentence_keys=((),))


def test_cleanup_without_current_keeps_complete_versions(built):
    """A lost CURRENT file must not make cleanup delete the good index."""
    vdir = built.index_dir / "versions"
    (built.index_dir / "CURRENT").unlink()
    (vdir / "v00000101T000000-000000-9").mkdir()  # partial
    store.cleanup_versions(built.index_dir)
    assert [p.name for p in vdir.iterdir() if (p / store.MANIFEST).exists()]
    assert not (vdir / "v00000101T000000-000000-9").exists()


def test_the_file_record_lists_every_file_of_a_version(one_version):
    version = published(one_version)
    files = json.loads((version / store.MANIFEST).read_text())["files"]
    on_disk = {p.relative_to(version).as_posix() for p in version.rglob("*") if p.is_file()} - {store.MANIFEST}
    assert set(files) == on_disk
    assert "sha256" not in files[store.DB_NAME] and all("sha256" in v for k, v in files.items() if k != store.DB_NAME)


def test_a_database_damaged_after_opening_is_named_when_read(one_version):
    reader = store.open_current(one_version.index_dir)
    garbage(store.DB_NAME)(reader.version)
    with pytest.raises(IndexDamagedError, match=store.DB_NAME):
        reader.vectors(["x" * 64])


def test_no_fallback_to_a_version_that_is_damaged_too(two_versions):
    truncate(store.FAISS_NAME)(published(two_versions))
    truncate(store.FAISS_NAME)(older_version(two_versions))
    with pytest.raises(IndexDamagedError) as caught:
        store.open_current(two_versions.index_dir)
    assert published(two_versions).name in str(caught.value)  # the published version is named


def test_no_fallback_without_a_readable_current(two_versions):
    """A newer complete version may be a build in progress: without CURRENT nothing is read."""
    (two_versions.index_dir / "CURRENT").write_bytes(b"\x00\xff../../etc")
    with pytest.raises(IndexDamagedError):
        store.open_current(two_versions.index_dir)
    (two_versions.index_dir / "CURRENT").unlink()
    with pytest.raises(IndexMissingError):
        store.open_current(two_versions.index_dir)


def test_a_rebuild_over_an_index_of_another_layout_embeds_again(tmp_path: Path) -> None:
    """A rebuild takes the vectors of the index before it; one of another layout (an older
    program) gives none, and the rebuild goes on without them."""
    import sqlite3

    old = tmp_path / "old"
    old.mkdir()
    db = sqlite3.connect(old / store.DB_NAME)
    db.execute("CREATE TABLE embeddings (key TEXT, vec BLOB)")
    db.commit()
    db.close()
    doc = _record("nota", ["Het QUOKKAFONDS steunt KMO's."], [["Het QUOKKAFONDS steunt KMO's."]])
    writer = store.IndexWriter(tmp_path / "index", None, reuse_vectors=old)
    _write(writer, doc)
    reader = _finish(writer, doc)
    assert [sc.chunk.text for sc in reader.chunks.values()] == ["Het QUOKKAFONDS steunt KMO's."]
