"""sentences: each sentence of a transcript with its own vector, so a hit plays its answer

Recordings already in the library get theirs when they are next processed (a reprocess or
the refining pass); until then their hits play from the passage's start, as before.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 21:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sentences",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("recording_id", sa.String(length=36), nullable=False),
        sa.Column("start", sa.Float(), nullable=False),
        sa.Column("end", sa.Float(), nullable=False),
        sa.Column("turn_start", sa.Float(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["recording_id"], ["recordings.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sentences_recording_start", "sentences", ["recording_id", "start"])


def downgrade() -> None:
    op.drop_index("ix_sentences_recording_start", table_name="sentences")
    op.drop_table("sentences")
