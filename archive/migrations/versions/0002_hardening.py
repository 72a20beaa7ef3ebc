"""hardening (issue 14: hostile input)

Revision ID: 0002
Revises: 0001

A slot in the chain reserved for this work; empty until it needs a schema change.
"""

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
