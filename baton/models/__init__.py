"""The machine-learning models, each loaded once per process, lazily and under a lock.

No machine Baton runs on is assumed to reach a model hub: weights come from pip packages
or local folders, and Hugging Face libraries are told to stay offline so that a model name
needing a download fails at once with a clear message instead of hanging.
"""

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
