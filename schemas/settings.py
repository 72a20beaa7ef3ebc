"""Runtime settings: FULIAN_* environment variables, optionally a fulian.toml."""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict, TomlConfigSettingsSource

MB = 1024 * 1024


class Settings(BaseSettings):
    """One place for every knob; the same code runs embedded or at scale."""

    # An empty variable means "not set": FULIAN_INBOX= must not become the current folder.
    model_config = SettingsConfigDict(env_prefix="FULIAN_", toml_file="fulian.toml", extra="ignore",
                                      env_ignore_empty=True)

    home: Path = Field(default=Path("./fulian-data"), description="Data folder")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; default SQLite in home")
    blob_url: str | None = Field(default=None, description="fsspec URL of the blob store")
    blob_options: dict[str, Any] = Field(default_factory=dict, repr=False, description=(
        "fsspec storage options of the blob store as JSON (endpoint_url, key, secret, ...)"))
    inbox: Path | None = Field(default=None, description="Drop folder scanned by the nightly run")
    max_file_size: int = Field(default=100 * MB, description="Larger files are rejected: too_large")
    spool_max_mb: int = Field(default=2048, ge=1, description=(
        "MB web uploads waiting in FULIAN_HOME/spool may take in all; an upload past it is refused (507)"))
    max_unzipped_size: int = Field(default=500 * MB, description="Zip content above this is a bomb")
    max_zip_ratio: float = Field(default=200.0, description="Compression ratio above this is a bomb")
    parse_timeout: float = Field(default=120.0, description="Seconds one file may take to parse")
    batch_size: int = Field(default=200, description="Files per Prefect task")
    claim_lease: float = Field(default=600.0, gt=0, description=(
        "Seconds a run's claim on a file lasts unless renewed (a dead run's files wait this long)"))
    workers: int = Field(default_factory=lambda: max(1, os.cpu_count() or 1))
    dask_address: str | None = Field(default=None, description=(
        "Dask scheduler (tcp://host:8786) that extracts batches; unset: this machine's workers"))
    actor: str = Field(default="system", description="Name written into audit events")
    review_threshold: float = Field(default=0.6, ge=0.0, le=1.0, description=(
        "An extracted value whose confidence is below this waits for review (待核实), not counted"))
    # OCR (extract/readers/ocr_engine.py): PP-OCRv6 via rapidocr, Tesseract as the fallback
    ocr_engine: Literal["rapidocr", "tesseract"] = Field(default="rapidocr", description=(
        "OCR engine for scans, images and pictures in Word files"))
    ocr_max_side: int = Field(default=2000, ge=640, le=8000, description=(
        "Longest side (pixels) a page image is read at; larger scans are scaled down"))
    ocr_det_side: int = Field(default=1280, ge=320, le=8000, description=(
        "Longest side (pixels) the text detector works on; its time and memory grow with it"))
    ocr_max_pages: int = Field(default=200, ge=0, description=(
        "Pages of one file read by OCR at most; the rest wait for review (ocr_incomplete); 0: no cap"))
    worker_memory_mb: int = Field(default=4096, ge=0, description=(
        "Address space one extraction worker may use (MB); a file needing more is rejected; 0: no limit"))
    ocr_device: Literal["auto", "cpu"] = Field(default="auto", description=(
        "auto: a GPU execution provider when onnxruntime offers one; cpu: never"))
    # IMAP mailbox (connectors/mailbox.py): off while imap_host is unset
    imap_host: str | None = Field(default=None, description="IMAP server; unset: no mailbox intake")
    imap_port: int = Field(default=993, description="IMAP port (993 with SSL, 143 without)")
    imap_user: str | None = Field(default=None, description="IMAP login")
    imap_password: SecretStr | None = Field(default=None, description="IMAP password")
    imap_ssl: bool = Field(default=True, description="IMAP over TLS; false only on a trusted link")
    imap_folder: str = Field(default="INBOX", description="Folder scanned for submissions")
    imap_done_folder: str = Field(default="fulian-processed",
                                  description="Folder that archived messages are moved to")
    imap_senders: str | None = Field(default=None, description=(
        "Sender addresses that claim a unit: inline YAML/JSON or a YAML file path"))
    imap_body_min_chars: int = Field(default=100, description=(
        "A message without document attachments whose body has this many letters is archived "
        "as a .txt; 0: never"))
    # Object storage (connectors/objects.py): off while objects_url is unset
    objects_url: str | None = Field(default=None, description="fsspec URL of an intake prefix")
    objects_options: dict[str, Any] = Field(default_factory=dict, repr=False, description=(
        "fsspec storage options as JSON (endpoint_url, key, secret, ...)"))
    objects_done_prefix: str = Field(default="processed/", description=(
        "Where archived objects go: beside the intake prefix, or a full URL"))

    # Web face (fulian/web): sessions and login rate limits
    web_idle_minutes: int = Field(default=30, ge=1, description=(
        "A web session ends after this many minutes without a request"))
    web_session_hours: int = Field(default=12, ge=1, description=(
        "A web session ends this many hours after login, however active"))
    login_window_minutes: int = Field(default=15, ge=1, description=(
        "Failed logins are counted over this many minutes"))
    login_max_failures: int = Field(default=5, ge=1, description=(
        "Failed logins of one account within the window before it is refused"))
    login_max_failures_address: int = Field(default=20, ge=1, description=(
        "Failed logins from one address within the window before it is refused"))

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings,
                                   dotenv_settings, file_secret_settings):
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))

    @cached_property
    def home_dir(self) -> Path:
        return self.home.expanduser().resolve()

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home_dir / 'fulian.db'}"

    @property
    def blobs(self) -> str:
        return self.blob_url or str(self.home_dir / "blobs")

    @property
    def inbox_dir(self) -> Path:
        return (self.inbox or self.home_dir / "inbox").expanduser().resolve()

    @property
    def processed_dir(self) -> Path:
        return self.home_dir / "processed"

    @property
    def rejected_dir(self) -> Path:
        return self.home_dir / "rejected"

    @property
    def reports_dir(self) -> Path:
        return self.home_dir / "reports"


def prefect_environment(settings: Settings) -> dict[str, str]:
    """Environment Prefect must see before it is imported: state in home, no telemetry."""
    env = {
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
        "PREFECT_HOME": str(settings.home_dir / "prefect"),
        "PREFECT_LOGGING_LEVEL": "WARNING",
    }
    return {k: v for k, v in env.items() if k not in os.environ}


def load_settings(**overrides) -> Settings:
    return Settings(**overrides)
