"""What managers read: gradebook tables, status, the report, HTML, certificates, the export plugin, the dashboard."""
