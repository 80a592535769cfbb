"""The presentation layer: tables for the pages (`tables`), one figure module per chapter
(`figures`) and the shared look (`style`). It sits on top of the measures and is never
imported by them.
"""
