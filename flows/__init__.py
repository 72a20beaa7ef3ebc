"""Prefect flows. Prefect reads its settings when first imported, so set them here, first."""

from flows.env import prepare_prefect_env

prepare_prefect_env()
