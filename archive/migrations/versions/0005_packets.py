"""packets (issue 8: annual review packets and bonus awards)

Revision ID: 0005
Revises: 0004

A slot in the chain reserved for this work; empty until it needs a schema change.
"""

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
