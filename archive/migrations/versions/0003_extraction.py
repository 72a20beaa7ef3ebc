"""extraction (issue 9: value corrections and review of uncertain values)

Revision ID: 0003
Revises: 0002

A slot in the chain reserved for this work; empty until it needs a schema change.
"""

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
