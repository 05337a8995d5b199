"""Curation: topics, the glossary, and the review of suggested tags."""
