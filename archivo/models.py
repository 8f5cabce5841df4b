# Retention schedule (TPCD), closing, transfers to the Archivo Central, legal holds and
# disposal arrive with the archive issue.
