"""Settings modules: ``base`` (development default), ``test`` and ``production``."""
