"""Drafts: documents under consultation, versions, sections with stable anchors."""
