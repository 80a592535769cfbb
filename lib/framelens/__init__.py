"""framelens: the helper library of the framelens book.

Data flows one way: seeds (immutable) -> corpus (registry, cleaning, units, sentences) ->
measures (references, frames, keyness, readability) -> tidy tables -> figures -> chapters.
"""

__version__ = "0.1.0"
