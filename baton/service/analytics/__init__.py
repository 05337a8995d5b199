"""Reports for knowledge managers: knowledge at risk, coverage, search gaps, programme health."""
