"""Weekly fixity audit: the chain and every blob, both digests."""

from __future__ import annotations

from prefect import flow, get_run_logger

from archive.fixity import verify_archive
from flows.runtime import close_runtime, open_runtime


class FixityError(RuntimeError):
    pass


@flow(name="fixity-audit")
def fixity_audit() -> dict:
    rt = open_runtime()
    try:
        report = verify_archive(rt.archive)
    finally:
        close_runtime(rt)
    summary = report.summary()
    get_run_logger().info("fixity: %d events, %d blobs, ok=%s", report.events, report.blobs, report.ok)
    if not report.ok:  # a failed run is what an operator sees in the Prefect UI
        raise FixityError("; ".join(summary["chain_problems"] + summary["blob_problems"]))
    return summary
