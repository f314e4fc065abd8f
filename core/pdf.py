"""The PDF font rule, written once: a CJK CID font (STSong-Light, built into reportlab), so
Chinese text renders and can be extracted. Reports and quotes print with it."""

PDF_FONT = "STSong-Light"


def cjk_font() -> str:
    """Register the CJK font with reportlab (once per process) and return its name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    return PDF_FONT
