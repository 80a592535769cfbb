"""Tools around the analysis: the command line (`cli`), streaming over a directory (`stream`),
the benchmarks (`bench`), the build fingerprint (`buildinfo`), the Sphinx extension
(`sphinx_fixes`) and the reproducibility appendix's checks (`reproducibility`).
"""
