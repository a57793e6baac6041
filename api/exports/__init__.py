"""Exports of one dossier for the firm: JSON, CSV and the PDF "Rapport LCB-FT".

Every builder works on a `DossierSnapshot` (plain data read once through a `FirmScope`), so a
route reads the store inside its transaction and renders outside it, and the builders never see
another firm's data.
"""

from api.exports.json_csv import dossier_csv, dossier_json
from api.exports.report_pdf import render_dossier_report
from api.exports.snapshot import DossierSnapshot, snapshot_from_store

__all__ = ["DossierSnapshot", "dossier_csv", "dossier_json", "render_dossier_report",
           "snapshot_from_store"]
