"""AdviesQA: document-grounded question answering over SERV advices and the reports they cite."""

__version__ = "0.1.0"
