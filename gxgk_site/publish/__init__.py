"""Publishing: from the checked site to the static column. ``build.py`` runs the build's phases;
the other modules are its parts (what is public, which pages, the files beside them, what changed
since the last build, the output folder)."""
