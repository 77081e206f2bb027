"""Export of the media library's catalogue: a YAML configuration, an HTML page, a partner API URL."""
