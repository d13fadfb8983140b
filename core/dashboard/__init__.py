"""What the pages stand on: filters and URL, typed cached loaders, charts, annotation."""
