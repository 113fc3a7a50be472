"""What the tests of loading and of the readers share: the fixture `tmp_settings` (settings
whose corpus is the test's tmp_path; conftest registers this module as a plugin), a paragraph
of Dutch, and `fails`, which loads a file that must be refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from adviesqa.config import Settings
from adviesqa.errors import LoadError
from adviesqa.load import load_document

DUTCH = (
    "De SERV formuleert in dit advies aanbevelingen op twee niveaus. In eerste instantie "
    "benadrukt hij het belang van een stimulerend flankerend beleid. Daarnaast doet de SERV "
    "een aantal specifieke aanbevelingen voor het Vlaamse industriële KMO-beleid, gericht op "
    "het wegwerken van de groeibelemmeringen. Een efficiënt en doeltreffend beleid is één "
    "van de prioriteiten; de financiële context blijft moeilijk.\n"
)


@pytest.fixture
def tmp_settings(tmp_path: Path) -> Settings:
    return Settings(corpus_dir=tmp_path)


def fails(path: Path, settings: Settings, *phrases: str) -> str:
    """Load `path`, which must fail with a LoadError naming the file and holding `phrases`;
    the message."""
    with pytest.raises(LoadError) as info:
        load_document(path, settings)
    message = str(info.value)
    assert str(path) in message, message  # names the file
    for phrase in phrases:
        assert phrase in message, message
    return message
