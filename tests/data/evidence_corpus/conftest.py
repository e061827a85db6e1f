# The trees are excerpts of other projects (their own tests included): never collect them.
collect_ignore_glob = ["trees/*"]
