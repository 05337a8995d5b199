"""A recording's transcript: stored segments, their speakers, corrections and versions."""
