"""The demo programme: three pairs, their goals, six sessions, topics and a glossary."""
