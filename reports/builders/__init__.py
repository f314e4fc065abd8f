"""The four reports of the original system, a module each: its filter form and its builder.

Builders read only through the apps' selectors, so every report shows exactly what its viewer
may see; the sums and counts are computed by the database, and Python only formats the final,
small result. `reports.registry` lists them.
"""
