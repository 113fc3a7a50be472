"""The plain script a user would write to search the index once, as the yardstick of a
one-shot `adviesqa search` (oneshot.py): load the rebuilt sentence-transformers folder of
the default model, embed one question with the "query: " prompt, search the index's FAISS
file (an IndexFlatIP behind an id map) and print the ids and scores.

    python benchmarks/plain_search.py MODEL_FOLDER INDEX_VERSION/dense.faiss "QUESTION" [K]
"""

import json
import sys

import faiss
from sentence_transformers import SentenceTransformer

model = SentenceTransformer(sys.argv[1], device="cpu")
index = faiss.read_index(sys.argv[2])
query = model.encode([sys.argv[3]], prompt="query: ", normalize_embeddings=True)
scores, ids = index.search(query, int(sys.argv[4]) if len(sys.argv) > 4 else 5)
print(json.dumps({"ids": ids[0].tolist(), "scores": scores[0].tolist()}))
