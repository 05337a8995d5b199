"""sign_in_failures: failed sign-ins counted per account and network address

Guesses from one address slow down and lock that address only, so that they cannot shut an
account's owner (the only admin included) out from anywhere else. ``users.failed_logins`` and
``users.next_login_at`` are no longer read.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 20:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_failures",
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "source"),
    )


def downgrade() -> None:
    op.drop_table("sign_in_failures")
