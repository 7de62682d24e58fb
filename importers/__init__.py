"""Margin."""
