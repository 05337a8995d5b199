"""The mentoring programme: people, pairs, goals, sessions and partner suggestions."""
