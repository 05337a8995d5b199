"""Speakers of recordings: storing the voices found, naming them after people, voice prints."""
