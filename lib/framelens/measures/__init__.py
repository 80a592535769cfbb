"""The measures layer: tables in, tables out.

References (the lexicon, its matcher and the reference verbs), frames (the codebook, its
tagger and the frame measures), keyness, readability, veiled references and the validation of
the measures against hand annotations. A measure takes corpus tables (units, sentences,
mentions...) and returns a tidy table with documented columns; it never draws, and never
imports `framelens.presentation` or `framelens.tools`.
"""
