"""suggestions, per-coder decisions on them, and incremental suggestion runs

Revision ID: 0002
Revises: 0001
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('suggestion_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('coder_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('rule_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('decision', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('final_category_id', sa.Integer(), nullable=True),
    sa.Column('annotation_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], ),
    sa.ForeignKeyConstraint(['coder_id'], ['coders.id'], ),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['final_category_id'], ['categories.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('coder_id', 'document_id', 'category_id', 'start', 'end', name='uq_suggestion_decision')
    )
    with op.batch_alter_table('suggestion_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suggestion_decisions_coder_id'), ['coder_id'], unique=False)

    op.create_table('suggestion_runs',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('text_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('pattern_version', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('run_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id')
    )
    op.create_table('suggestions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('rule_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('extra', sa.JSON(), nullable=False),
    sa.Column('pattern_version', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], ),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('suggestions', schema=None) as batch_op:
        batch_op.create_index('ix_suggestions_doc', ['document_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('suggestions', schema=None) as batch_op:
        batch_op.drop_index('ix_suggestions_doc')

    op.drop_table('suggestions')
    op.drop_table('suggestion_runs')
    with op.batch_alter_table('suggestion_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suggestion_decisions_coder_id'))

    op.drop_table('suggestion_decisions')
