# HDBSCAN: the tree on hand-built trees, the serial edges against a brute force, the
# silhouette, and the reference checks against R's dbscan::hdbscan and scikit-learn.
dt_add_unit_test(test_hdbscan SOURCES test_hdbscan.c LABELS hdbscan)
dt_add_unit_test(test_mst SOURCES test_mst.c LABELS hdbscan)
