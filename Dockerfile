# Baton for scale-out: the same image runs `baton serve` and `baton worker`.
FROM python:3.11-slim
WORKDIR /app
ENV PIP_NO_CACHE_DIR=1 HF_HUB_OFFLINE=1
# torch is pinned; point PIP_EXTRA_INDEX_URL at a CPU-only wheel index for a small image,
# or leave it for the CUDA build on GPU hosts.
ARG PIP_EXTRA_INDEX_URL=""
RUN pip install "torch==2.13.0"
COPY pyproject.toml README.md ./
COPY baton ./baton
RUN pip install .
EXPOSE 8000
CMD ["baton", "serve", "--host", "0.0.0.0"]
