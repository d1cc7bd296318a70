"""The meeting definition: read the YAML, merge ``extends``, validate, check across fields; start, roll and document it."""
