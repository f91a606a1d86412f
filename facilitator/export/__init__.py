"""The record of a day and its formats: HTML, PDF, DOCX, XLSX and CSV."""
