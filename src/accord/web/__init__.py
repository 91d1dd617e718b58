"""The local web app (``accord serve``): FastAPI JSON API and one static page; see :mod:`.app`."""
