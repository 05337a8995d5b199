"""Accounts: users and roles, passwords, sign-in with lockout, API tokens, browser sessions."""
