"""A report as a whole file in one of the download formats (the e-mails' attachments)."""

from reports.rendering.csv import report_csv
from reports.rendering.pdf import report_pdf
from reports.rendering.report import Report
from reports.rendering.xlsx import report_xlsx


def report_file(report: Report, fmt: str) -> bytes:
    """`fmt` is "xlsx", "pdf" or "csv"."""
    if fmt == "pdf":
        return report_pdf(report)
    if fmt == "csv":
        return "".join(report_csv(report)).encode("utf-8")
    return report_xlsx(report)
