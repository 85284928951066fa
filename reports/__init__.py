"""The board report: assembled from the same data as the pages, rendered to PDF in a worker."""
