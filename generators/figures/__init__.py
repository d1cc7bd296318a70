"""The figures from the indicator workbook: read, compute, rank, allocate quotas; the blank workbook."""
