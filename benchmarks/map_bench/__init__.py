"""The parts of the map-interactions benchmark (``benchmarks/map_interactions.py``).

``config`` holds the constants every part shares (the views measured, the goals of
the issue, the paths); ``databases`` builds or reuses the two SQLite databases of
the whole country; ``naive`` is the naive Dash app the app is measured against;
``payloads`` describes the interactions and the requests the browser sends for
them; ``measure`` times them and counts their bytes; ``scaling`` makes copies of a
database with the growing facts N times and ``facts_scale`` times each theme's
cold changes on them; ``report`` prints the build timings, the tables, the goal
verdicts and a profile.  The modules import each
other relatively, so the package works whatever name it is imported under.
"""
