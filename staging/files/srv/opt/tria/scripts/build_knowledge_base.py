#!/usr/bin/env python3
"""Staging stand-in for scripts/build_knowledge_base.py: indexes the policy documents into the
ChromaDB-like store the backend reads (data/chromadb/collections.json). --verify-only checks it."""
import json
import os
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
store = os.path.join(root, "data", "chromadb", "collections.json")
if "--verify-only" in sys.argv:
    try:
        with open(store) as f:
            kb = json.load(f)
    except (OSError, ValueError):
        print("knowledge base not built")
        sys.exit(1)
    for name, count in kb.items():
        print(f"  {name}: {count} documents")
    sys.exit(0 if all(kb.values()) else 1)
os.makedirs(os.path.dirname(store), exist_ok=True)
kb = {"policies_en": 42, "faqs_en": 118, "escalation_rules": 12, "tone_personality": 7}
tmp = store + ".tmp"
with open(tmp, "w") as f:
    json.dump(kb, f)
os.replace(tmp, store)
for name, count in kb.items():
    print(f"indexed {name}: {count} documents")
