"""moto's server with the two Glue calls it lacks and Trino's Hive connector makes.

A `CREATE TABLE ... AS` into the staging database (how a restore copies an old snapshot,
shared/ops/restore.ts) ends with Trino resetting the new table's column statistics. Athena's
Glue answers; moto 5.2 raises NotImplementedError. Statistics are not part of what the suite
relies on, so they are accepted and dropped. Local stand-in only: nothing of the product runs
here.
"""
import sys

from moto.glue.responses import GlueResponse
from moto.server import main


def _accept(self):
    return "{}"


def _accept_all(self):
    return '{"Errors": []}'


GlueResponse.delete_column_statistics_for_table = _accept
GlueResponse.update_column_statistics_for_table = _accept_all

if __name__ == "__main__":
    sys.exit(main())
