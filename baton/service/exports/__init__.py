"""Exports: a recording's transcript in subtitle and document formats, a topic's knowledge pack."""
