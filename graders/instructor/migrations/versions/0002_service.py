"""grading service: tokens, submissions in flight, uploads, audit log

Revision ID: 0002
Revises: 0001
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('service_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('learner_id', sa.String(length=200), nullable=False),
    sa.Column('instructor', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('service_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_tokens_learner_id'), ['learner_id'], unique=False)

    op.create_table('service_submissions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('learner_id', sa.String(length=200), nullable=False),
    sa.Column('lab_id', sa.String(length=200), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('git_url', sa.Text(), nullable=True),
    sa.Column('commit', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('worker', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('learner_id', 'lab_id', 'content_hash')
    )
    with op.batch_alter_table('service_submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_submissions_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_submissions_learner_id'), ['learner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_submissions_status'), ['status'], unique=False)

    op.create_table('service_uploads',
    sa.Column('submission_id', sa.String(length=36), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('submission_id')
    )
    op.create_table('service_audit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=100), nullable=False),
    sa.Column('target', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('service_audit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_audit_at'), ['at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('service_audit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_audit_at'))
    op.drop_table('service_audit')
    op.drop_table('service_uploads')
    with op.batch_alter_table('service_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_submissions_status'))
        batch_op.drop_index(batch_op.f('ix_service_submissions_learner_id'))
        batch_op.drop_index(batch_op.f('ix_service_submissions_created_at'))
    op.drop_table('service_submissions')
    with op.batch_alter_table('service_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_tokens_learner_id'))
    op.drop_table('service_tokens')
