"""gradebook: learners, labs, submissions, criterion verdicts, reviews

Revision ID: 0001
Revises: 
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('labs',
    sa.Column('id', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=400), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('learners',
    sa.Column('id', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=400), nullable=True),
    sa.Column('external_id', sa.String(length=100), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.String(length=200), nullable=False),
    sa.Column('lab_id', sa.String(length=200), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('criterion', sa.String(length=20), nullable=False),
    sa.Column('verdict', sa.String(length=20), nullable=False),
    sa.Column('automatic_verdict', sa.String(length=20), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('reviewer', sa.String(length=200), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['lab_id'], ['labs.id'], ),
    sa.ForeignKeyConstraint(['learner_id'], ['learners.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reviews_learner_id'), ['learner_id'], unique=False)

    op.create_table('submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.String(length=200), nullable=False),
    sa.Column('lab_id', sa.String(length=200), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('commit', sa.String(length=64), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('graded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('max_score', sa.Float(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['lab_id'], ['labs.id'], ),
    sa.ForeignKeyConstraint(['learner_id'], ['learners.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('learner_id', 'lab_id', 'content_hash')
    )
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submissions_lab_id'), ['lab_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submissions_learner_id'), ['learner_id'], unique=False)

    op.create_table('criterion_verdicts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('criterion', sa.String(length=20), nullable=False),
    sa.Column('competence', sa.String(length=10), nullable=False),
    sa.Column('verdict', sa.String(length=20), nullable=False),
    sa.Column('fraction', sa.Float(), nullable=True),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('criterion_verdicts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_criterion_verdicts_submission_id'), ['submission_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('criterion_verdicts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_criterion_verdicts_submission_id'))

    op.drop_table('criterion_verdicts')
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submissions_learner_id'))
        batch_op.drop_index(batch_op.f('ix_submissions_lab_id'))

    op.drop_table('submissions')
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reviews_learner_id'))

    op.drop_table('reviews')
    op.drop_table('learners')
    op.drop_table('labs')
