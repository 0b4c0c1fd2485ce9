"""members: a role per coder (coder, lead, viewer) and the database login that acts as them;
text columns without length limits on every backend

Revision ID: 0003
Revises: 0002

PostgreSQL enforced VARCHAR(n) limits that SQLite ignores, so one long outlet name dropped a whole
import batch on a server and imported fine into a file. Both backends now store text unbounded;
the few limits that matter (a coder's name) are checked by the project, the same way everywhere.
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# (table, column) that were VARCHAR(n) in 0001/0002
_BOUNDED = [
    ('meta', 'key'),
    ('documents', 'external_id'), ('documents', 'outlet'), ('documents', 'published'), ('documents', 'sha256'),
    ('documents', 'layout'),
    ('zones', 'kind'),
    ('coders', 'name'),
    ('categories', 'slug'), ('categories', 'name'), ('categories', 'kind'), ('categories', 'shortcut'),
    ('categories', 'colour'), ('categories', 'level'),
    ('annotations', 'origin'),
    ('document_labels', 'value'),
    ('document_status', 'status'),
    ('suggestions', 'rule_id'), ('suggestions', 'pattern_version'),
    ('suggestion_decisions', 'rule_id'), ('suggestion_decisions', 'decision'),
    ('suggestion_runs', 'text_sha256'), ('suggestion_runs', 'pattern_version'),
]


def upgrade() -> None:
    # Plain ADD COLUMN and a unique index: a batch ("copy and move") on SQLite would drop the coders
    # table, which every label references.
    op.add_column('coders', sa.Column('role', sa.Text(), nullable=False, server_default='coder'))
    op.add_column('coders', sa.Column('db_role', sa.Text(), nullable=True))
    op.create_index('uq_coders_db_role', 'coders', ['db_role'], unique=True)
    if op.get_bind().dialect.name == 'postgresql':
        for table, column in _BOUNDED:
            op.alter_column(table, column, type_=sa.Text())


def downgrade() -> None:
    op.drop_index('uq_coders_db_role', table_name='coders')
    with op.batch_alter_table('coders', schema=None) as batch_op:
        batch_op.drop_column('db_role')
        batch_op.drop_column('role')
