"""Staging stand-in for the backend's src/config.py: every credential comes from the environment."""
import os

DATABASE_URL = os.environ["DATABASE_URL"]
OPENAI_API_KEY = os.environ["OPENAI_API_KEY"]
TAX_RATE = float(os.environ.get("TAX_RATE", "0.09"))
REDIS_HOST = os.environ.get("REDIS_HOST", "127.0.0.1")
REDIS_PORT = int(os.environ.get("REDIS_PORT", "6379"))
