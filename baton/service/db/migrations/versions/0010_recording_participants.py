"""recording_participants: the people heard in a recording, whose consent publishing needs

Filled from the participants of each recording's session as it stands now; from here on it only
grows as people are listed in the session or the recording is moved.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 20:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "recording_participants",
        sa.Column("recording_id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["recording_id"], ["recordings.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("recording_id", "person_id"),
    )
    op.execute(
        "INSERT INTO recording_participants (recording_id, person_id) "
        "SELECT recordings.id, session_participants.person_id FROM recordings "
        "JOIN session_participants ON session_participants.session_id = recordings.session_id"
    )


def downgrade() -> None:
    op.drop_table("recording_participants")
