"""Every setting Baton reads, in one place (environment variables prefixed ``BATON_``).

Nothing else in the code base reads ``os.environ``: the embedded default and a scale-out
deployment differ only in the values here.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

GIB = 1024**3


class Settings(BaseSettings):
    """Baton's configuration; defaults are the embedded single-machine setup."""

    model_config = SettingsConfigDict(env_prefix="BATON_", env_file=None, extra="ignore")

    data_dir: Path = Field(
        Path("baton-data"), description="Where media, SQLite and the index live."
    )
    host: str = "127.0.0.1"
    port: int = 8000

    database_url: str | None = Field(
        None, description="SQLAlchemy URL; empty means a SQLite file in the data directory."
    )
    qdrant_url: str | None = Field(
        None, description="Qdrant server URL; empty means Qdrant Edge in-process."
    )
    qdrant_api_key: str | None = None
    redis_url: str | None = Field(
        None, description="Redis URL for the job queue; empty means Huey on SQLite in-process."
    )
    embedded_workers: int = Field(
        1,
        ge=0,
        description="Job consumer threads inside `baton serve` (0: none, use `baton worker`).",
    )

    max_upload_bytes: int = Field(4 * GIB, gt=0)
    max_duration_seconds: float = Field(6 * 3600, gt=0)
    browser_recording_idle_seconds: float = Field(
        120,
        gt=0,
        description="A session filmed in the page that has sent nothing for this long (its tab "
        "closed, its laptop slept) is taken into the library as far as it arrived.",
    )

    whisper_model: str = Field(
        "tiny.en", description="'tiny.en' (bundled) or a CTranslate2 Whisper model folder."
    )
    whisper_refine_model: str | None = Field(
        "base",
        description="Once a recording is ready, transcribe it again with this more accurate "
        "model ('base' is bundled; empty: no second pass). It stays searchable meanwhile.",
    )
    whisper_device: str = "cpu"
    whisper_compute_type: str = "int8"
    whisper_cpu_threads: int = Field(
        1, ge=0, description="Threads per decoder (0: CTranslate2's default of 4)."
    )
    whisper_parallel_parts: int = Field(
        2, ge=1, description="Decode this many parts of each recording side by side."
    )
    whisper_max_part_seconds: float = Field(
        600,
        ge=60,
        description="Cut a long recording into parts no longer than this, each decoded after "
        "the one before it on its side (what one part holds in memory does not grow with the "
        "recording's length).",
    )
    whisper_batch_size: int = Field(
        0, ge=0, description="Above 0: faster-whisper's batched pipeline instead of parts."
    )
    whisper_beam_size: int = Field(5, ge=1)
    whisper_best_of: int = Field(2, ge=1)
    whisper_no_repeat_ngram_size: int = Field(6, ge=0)
    glossary_in_transcription: Literal["off", "prompt", "hotwords"] = Field(
        "off",
        description="Give the glossary's terms to Whisper as an initial prompt or as hotwords.",
    )
    whisper_fill_gaps: bool = Field(
        True, description="Decode again the stretches of speech the first pass skipped."
    )

    find_speakers: bool = Field(True, description="Find who speaks when (voice embeddings).")
    max_speakers: int = Field(8, ge=1, le=20)
    speaker_device: str = "cpu"
    speaker_match_similarity: float = Field(
        0.8,
        ge=-1,
        le=1,
        description="Voice similarity at which a speaker is named after a person automatically.",
    )

    embedding_model: str = Field(
        "all-MiniLM-L6-v2", description="Bundled name, or a sentence-transformers model folder."
    )
    embedding_batch_size: int = Field(32, gt=0)
    passage_min_words: int = Field(40, gt=0)
    passage_max_words: int = Field(120, gt=0)
    passage_phases: int = Field(
        4,
        ge=1,
        le=8,
        description="Search also ranks the transcript cut this many times in all, each cut "
        "shifted part-way into the first passage, so no answer is split by where a cut fell.",
    )

    search_answer_turn_reach: float = Field(
        20.0,
        ge=0,
        description="Play a hit's answering sentence from where its speaker's turn began, when "
        "that was at most this many seconds before it.",
    )
    search_answer_reply_margin: float = Field(
        0.12,
        ge=0,
        le=2,
        description="Where a question is asked in the session after a hit's closest sentence, "
        "play the reply instead when its closest sentence is at most this much less close.",
    )
    search_answer_number_boost: float = Field(
        0.1,
        ge=0,
        le=2,
        description="For a question asking for an amount, this is added to the similarity of "
        "each sentence that says a number, when choosing a hit's answering sentence.",
    )
    search_sentence_weight: float = Field(
        0.5,
        ge=0,
        description="The weight in fusion of a third ranking: the head of the pool by how close "
        "each passage's best sentences come to the question (0 turns it off).",
    )
    search_sentence_top: int = Field(
        2, ge=1, le=10, description="How many of a passage's closest sentences are averaged."
    )
    search_sentence_head: int = Field(
        50,
        ge=1,
        le=1000,
        description="How many of the fused pool's best points the sentence ranking reorders.",
    )
    search_rrf_k: int = Field(
        2, ge=1, description="Reciprocal rank fusion constant: lower trusts each top more."
    )
    search_keyword_weight: float = Field(
        1.0, gt=0, description="The keyword (BM25) ranking's weight in fusion; meaning counts 1."
    )
    search_code_keyword_weight: float = Field(
        3.0,
        gt=0,
        description="The keyword ranking's weight when the question names a code or number "
        "(it is answered where that code is said).",
    )

    goal_tag_threshold: float = Field(
        0.4, ge=0, le=1, description="Evidence score at which a passage is tagged to a goal."
    )
    topic_tag_threshold: float = Field(
        0.4, ge=0, le=1, description="Evidence score at which a passage is tagged to a topic."
    )
    search_gap_similarity: float = Field(
        0.35,
        ge=-1,
        le=1,
        description="A search whose best passage is less similar than this is a search gap.",
    )

    admin_email: str | None = Field(
        None, description="With no account yet, the first start creates this admin."
    )
    admin_password: SecretStr | None = Field(None, description="The first admin's password.")
    session_days: int = Field(7, gt=0, description="How long a browser stays signed in.")
    oauth_token_hours: int = Field(
        12, gt=0, description="How long a token from POST /api/v1/auth/token lasts."
    )
    token: SecretStr | None = Field(
        None,
        description="The API token the `baton` client commands (import, search, status, demo) "
        "send; make one with `baton users token EMAIL` or POST /api/v1/auth/tokens.",
    )
    oidc_issuer: str | None = Field(
        None,
        description="OpenID Connect single sign-on: the provider's issuer URL (its discovery "
        "document lives under /.well-known/openid-configuration). Unset: no single sign-on.",
    )
    oidc_client_id: str | None = Field(None, description="Baton's client id at the provider.")
    oidc_client_secret: SecretStr | None = Field(None, description="Baton's client secret.")
    oidc_name: str = Field("single sign-on", description="The provider's name on the button.")
    oidc_new_account_role: Literal["mentor", "learner"] | None = Field(
        None,
        description="Give someone with no account one with this role on their first sign-on; "
        "unset, only people who already have an account (matched by email) get in.",
    )
    cookie_secure: bool = Field(
        True, description="Send the session cookie over HTTPS only (localhost counts as secure)."
    )

    log_level: str = "INFO"

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    @property
    def first_admin_file(self) -> Path:
        """Where a first start without BATON_ADMIN_* leaves the generated admin's password."""
        return self.data_dir / "first-admin.txt"

    @property
    def scratch_dir(self) -> Path:
        """Where decoded samples are mapped from while a recording is processed."""
        return self.data_dir / "scratch"

    @property
    def edge_index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def queue_path(self) -> Path:
        return self.data_dir / "queue.db"

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'baton.db').resolve()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
