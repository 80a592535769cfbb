"""The corpus layer: seeds -> registry -> cleaning -> sentences -> units.

Reads the immutable seeds through the validated registry (`registry`), cleans each unit's lines
keeping a map back to the seed characters (`cleaning`), splits sentences (`sentences`) and
builds the tidy units and sentences tables (`units`). Nothing here imports a measure.
"""
