"""The book steps: parse → check → registry (identity) → normalise, plus English answers.

Pure functions over the plain dataclasses of `model`; nothing here imports MkDocs.
"""
