"""Sample and fixture generator: realistic federation files in every format, bad inputs,
the demo inbox, a bulk set for benchmarks and a corpus with ground truth.

Modules: spec (format-free content), office (docx/xlsx/xls/csv), legacy (.doc via
LibreOffice), layout + pdfs (text PDF, scanned PDF, page images), bad (rejects).
"""
