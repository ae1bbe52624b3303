"""Reporters: turn results into text. They know nothing of click."""
