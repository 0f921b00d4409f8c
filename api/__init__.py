"""docready's HTTP shell (FastAPI): translates requests to library calls, nothing more."""
