"""The indicators page and the process-quality report (HTML and PDF)."""
