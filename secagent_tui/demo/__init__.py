"""The demo stack and the test doubles: local GitHub and Ollama servers that speak the real
protocols (:mod:`.github`, :mod:`.ollama`), demo repositories and the session that runs them."""
